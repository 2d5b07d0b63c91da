"""Framework staff pages for lots, capabilities and price items: flows, bad input, refusals and access."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Capability, Lot, PriceItem
from tests.factories import (
    make_capability,
    make_claim,
    make_framework,
    make_lot,
    make_price,
    make_price_item,
    make_supplier,
    make_user,
)


@pytest.fixture
def staff(auth):
    user = make_user("staff", email="staff@pds.example.test")
    db.session.commit()
    auth.login("staff@pds.example.test")
    return user


def event_types() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.event_type).order_by(AuditEvent.id)))


# Access


@pytest.mark.parametrize("role", ["buyer", "evaluator", "supplier"])
def test_structure_pages_refuse_other_roles(client, auth, role):
    lot = make_lot()
    capability = make_capability(lot, "Listening")
    item = make_price_item(lot, "Licence")
    make_user(role, email="other@example.test")
    db.session.commit()
    auth.login("other@example.test")
    for path in (
        f"/admin/frameworks/{lot.framework_id}/lots/new",
        f"/admin/frameworks/lots/{lot.id}",
        f"/admin/frameworks/lots/{lot.id}/edit",
        f"/admin/frameworks/lots/{lot.id}/capabilities/new",
        f"/admin/frameworks/capabilities/{capability.id}/edit",
        f"/admin/frameworks/capabilities/{capability.id}/remove",
        f"/admin/frameworks/lots/{lot.id}/price-items/new",
        f"/admin/frameworks/price-items/{item.id}/edit",
        f"/admin/frameworks/price-items/{item.id}/remove",
    ):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/admin/frameworks/capabilities/{capability.id}/remove").status_code == 403
    assert db.session.get(Capability, capability.id) is not None


def test_anonymous_user_is_sent_to_sign_in_from_a_lot(client):
    lot = make_lot()
    db.session.commit()
    response = client.get(f"/admin/frameworks/lots/{lot.id}")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize(
    "path",
    ["/admin/frameworks/lots/999", "/admin/frameworks/capabilities/999/edit", "/admin/frameworks/price-items/9/remove"],
)
def test_unknown_objects_are_404(client, staff, path):
    assert client.get(path).status_code == 404


# Lots


def test_add_lot_suggests_the_next_number_and_saves(client, staff):
    framework = make_framework()
    make_lot(framework, title="First")
    db.session.commit()
    assert 'value="2"' in client.get(f"/admin/frameworks/{framework.id}/lots/new").get_data(as_text=True)
    response = client.post(
        f"/admin/frameworks/{framework.id}/lots/new", data={"number": "2", "title": "24/7 contact", "description": ""}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/frameworks/{framework.id}")
    assert db.session.scalar(select(Lot).where(Lot.number == 2)).title == "24/7 contact"
    assert "Lot 2 added" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert "lot.created" in event_types()


@pytest.mark.parametrize(
    ("data", "message", "kept"),
    [
        ({"number": "1", "title": "Again"}, "Lot 1 already exists on this framework", 'value="Again"'),
        ({"number": "one", "title": "Words"}, "Lot number must be a whole number", 'value="one"'),
        ({"number": "", "title": "Blank"}, "Enter the lot number", 'value="Blank"'),
        ({"number": "0", "title": "Zero"}, "Lot number must be 1 or more", 'value="Zero"'),
        ({"number": "3", "title": ""}, "Enter a lot title", 'value="3"'),
        ({"number": "3", "title": "Platform", "cpv_code": "7200"}, "Enter a CPV code in the form", 'value="7200"'),
    ],
)
def test_bad_lot_input_shows_errors_and_keeps_answers(client, staff, data, message, kept):
    framework = make_framework()
    make_lot(framework, number=1)
    db.session.commit()
    response = client.post(f"/admin/frameworks/{framework.id}/lots/new", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in body
    assert message in body
    assert kept in body
    assert len(db.session.get(type(framework), framework.id).lots) == 1


def test_edit_lot(client, staff):
    lot = make_lot(title="Old")
    db.session.commit()
    assert 'value="Old"' in client.get(f"/admin/frameworks/lots/{lot.id}/edit").get_data(as_text=True)
    response = client.post(
        f"/admin/frameworks/lots/{lot.id}/edit",
        data={"number": "1", "title": "New", "description": "More", "cpv_code": "72000000 - 5"},
    )
    assert response.headers["Location"].endswith(f"/admin/frameworks/lots/{lot.id}")
    saved = db.session.get(Lot, lot.id)
    assert (saved.title, saved.cpv_code) == ("New", "72000000-5")
    assert "lot.updated" in event_types()
    assert "72000000-5" in client.get(f"/admin/frameworks/lots/{lot.id}").get_data(as_text=True)


def test_lot_page_lists_capabilities_and_price_items_with_counts(client, staff):
    lot = make_lot(title="Platform")
    claimed = make_capability(lot, "Listening to communities")
    make_claim(make_supplier(), claimed)
    make_price_item(lot, "User licence", basis="per_month", unit="per user licence")
    db.session.commit()
    body = client.get(f"/admin/frameworks/lots/{lot.id}").get_data(as_text=True)
    assert "Lot 1: Platform" in body
    assert "Listening to communities" in body
    assert "per user licence" in body and "Per month" in body
    # A claimed capability offers Change, not Remove.
    assert 'Remove<span class="govuk-visually-hidden"> Listening to communities' not in body
    assert 'Remove<span class="govuk-visually-hidden"> User licence' in body


# Capabilities


def test_add_capability_then_edit_its_position(client, staff):
    lot = make_lot()
    db.session.commit()
    response = client.post(
        f"/admin/frameworks/lots/{lot.id}/capabilities/new", data={"name": "24/7 contact", "description": ""}
    )
    assert response.headers["Location"].endswith(f"/admin/frameworks/lots/{lot.id}")
    assert "Capability added: 24/7 contact" in client.get(response.headers["Location"]).get_data(as_text=True)
    capability = db.session.scalar(select(Capability))
    assert capability.position == 1
    client.post(
        f"/admin/frameworks/capabilities/{capability.id}/edit",
        data={"name": "24/7 digital contact", "description": "Round the clock", "position": "4"},
    )
    db.session.refresh(capability)
    assert (capability.name, capability.position) == ("24/7 digital contact", 4)
    assert event_types()[-2:] == ["capability.created", "capability.updated"]


@pytest.mark.parametrize(
    ("data", "message", "kept"),
    [
        ({"name": "", "description": "Why"}, "Enter the capability&#39;s name", ">Why</textarea>"),
        ({"name": "existing", "description": ""}, "Lot 1 already has a capability called existing", 'value="existing"'),
        ({"name": "New", "position": "first"}, "Position must be a whole number", 'value="first"'),
    ],
)
def test_bad_capability_input(client, staff, data, message, kept):
    lot = make_lot()
    make_capability(lot, "Existing")
    db.session.commit()
    response = client.post(f"/admin/frameworks/lots/{lot.id}/capabilities/new", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in body and message in body and kept in body
    assert len(db.session.scalars(select(Capability)).all()) == 1


def test_remove_capability_after_confirmation(client, staff):
    lot = make_lot()
    capability = make_capability(lot, "Unused")
    db.session.commit()
    page = client.get(f"/admin/frameworks/capabilities/{capability.id}/remove").get_data(as_text=True)
    assert "Remove capability \u2018Unused\u2019?" in page
    response = client.post(f"/admin/frameworks/capabilities/{capability.id}/remove")
    assert response.headers["Location"].endswith(f"/admin/frameworks/lots/{lot.id}")
    assert db.session.get(Capability, capability.id) is None
    assert "Capability removed: Unused" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert "capability.removed" in event_types()


def test_removing_a_claimed_capability_is_refused_not_a_500(client, staff):
    capability = make_capability(make_lot(), "Claimed")
    make_claim(make_supplier(), capability)
    make_claim(make_supplier(), capability)
    db.session.commit()
    page = client.get(f"/admin/frameworks/capabilities/{capability.id}/remove").get_data(as_text=True)
    assert "2 suppliers have claimed this capability" in page
    assert "Change its name or description instead" in page
    response = client.post(f"/admin/frameworks/capabilities/{capability.id}/remove")
    assert response.status_code == 200
    assert "There is a problem" in response.get_data(as_text=True)
    assert db.session.get(Capability, capability.id) is not None


# Price items


def test_add_price_item_shows_the_basis_hint_and_saves(client, staff):
    lot = make_lot()
    db.session.commit()
    page = client.get(f"/admin/frameworks/lots/{lot.id}/price-items/new").get_data(as_text=True)
    assert "multiplied by the number of months" in page
    response = client.post(
        f"/admin/frameworks/lots/{lot.id}/price-items/new",
        data={"name": "Onboarding", "unit": "per day", "basis": "one_off"},
    )
    assert response.status_code == 302
    item = db.session.scalar(select(PriceItem))
    assert (item.name, item.unit, item.basis) == ("Onboarding", "per day", "one_off")
    assert "price_item.created" in event_types()


@pytest.mark.parametrize(
    ("data", "message", "kept"),
    [
        ({"name": "Training", "unit": "per session"}, "Select how the price is charged", 'value="Training"'),
        ({"name": "", "unit": "per session", "basis": "one_off"}, "Enter the price item&#39;s name", "per session"),
        ({"name": "Training", "unit": "", "basis": "one_off"}, "Enter the unit, like per user licence", "Training"),
        ({"name": "LICENCE", "unit": "each", "basis": "one_off"}, "already has a price item called LICENCE", "each"),
        ({"name": "Training", "unit": "each", "basis": "weekly"}, "Select how the price is charged", "Training"),
    ],
)
def test_bad_price_item_input(client, staff, data, message, kept):
    lot = make_lot()
    make_price_item(lot, "Licence")
    db.session.commit()
    response = client.post(f"/admin/frameworks/lots/{lot.id}/price-items/new", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in body and message in body and kept in body
    assert len(db.session.scalars(select(PriceItem)).all()) == 1


def test_edit_price_item(client, staff):
    item = make_price_item(make_lot(), "Licence", basis="per_month", unit="per user")
    db.session.commit()
    assert 'value="per_month" checked' in client.get(f"/admin/frameworks/price-items/{item.id}/edit").get_data(
        as_text=True
    )
    response = client.post(
        f"/admin/frameworks/price-items/{item.id}/edit",
        data={"name": "User licence", "unit": "per user licence", "basis": "per_month"},
    )
    assert response.status_code == 302
    assert db.session.get(PriceItem, item.id).name == "User licence"
    assert "price_item.updated" in event_types()


def test_priced_item_cannot_be_removed(client, staff):
    item = make_price_item(make_lot(), "Licence")
    make_price(make_supplier(), item, 1500)
    db.session.commit()
    response = client.post(f"/admin/frameworks/price-items/{item.id}/remove")
    assert response.status_code == 200
    assert "1 supplier has priced this item" in response.get_data(as_text=True)
    assert db.session.get(PriceItem, item.id) is not None


def test_unpriced_item_is_removed(client, staff):
    lot = make_lot()
    item = make_price_item(lot, "Spare")
    db.session.commit()
    response = client.post(f"/admin/frameworks/price-items/{item.id}/remove")
    assert response.headers["Location"].endswith(f"/admin/frameworks/lots/{lot.id}")
    assert db.session.get(PriceItem, item.id) is None
    assert "price_item.removed" in event_types()
