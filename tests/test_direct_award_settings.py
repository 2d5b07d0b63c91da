"""Framework staff: a lot's direct award settings and suppliers' framework rankings (services and pages)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent
from portal.services.direct_awards import settings
from portal.services.errors import PermissionDeniedError, ValidationError
from tests.factories import make_lot, make_membership, make_supplier, make_user


@pytest.fixture
def staff():
    user = make_user("staff", email="staff@example.test")
    db.session.commit()
    return user


@pytest.fixture
def lot():
    lot = make_lot()
    db.session.commit()
    return lot


def _event(event_type: str) -> AuditEvent:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.event_type == event_type)).one()


def test_settings_saved_and_audited(staff, lot):
    settings.update_lot_settings(staff, lot, True, "highest_ranking", ["lower_cost"])
    assert (lot.direct_award_allowed, lot.selection_mechanism, lot.direct_award_tie_break) == (
        True, "highest_ranking", "lower_cost",
    )  # fmt: skip
    event = _event("lot.direct_award_settings_changed")
    assert json.loads(event.after_json)["direct_award_allowed"] is True


@pytest.mark.parametrize(
    ("mechanism", "ties", "field"),
    [
        ("cheapest", [], "selection_mechanism"),
        (None, [], "selection_mechanism"),
        ("lowest_cost", ["lower_cost", "lower_cost"], "tie_break_first"),
        ("lowest_cost", ["coin_toss"], "tie_break_first"),
    ],
)
def test_settings_refusals(staff, lot, mechanism, ties, field):
    with pytest.raises(ValidationError) as error:
        settings.update_lot_settings(staff, lot, True, mechanism, ties)
    assert error.value.field == field


def test_only_staff_change_settings_and_rankings(lot):
    buyer = make_user("buyer")
    membership = make_membership(make_supplier(), lot)
    db.session.commit()
    with pytest.raises(PermissionDeniedError):
        settings.update_lot_settings(buyer, lot, True, "lowest_cost", [])
    with pytest.raises(PermissionDeniedError):
        settings.set_ranking(buyer, membership, 1)


def test_ranking_set_cleared_and_audited(staff, lot):
    membership = make_membership(make_supplier(), lot)
    db.session.commit()
    settings.set_ranking(staff, membership, 3)
    assert membership.framework_ranking == 3
    settings.set_ranking(staff, membership, None)
    assert membership.framework_ranking is None
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.event_type == "lot_membership.ranking_changed"))
    assert [json.loads(e.after_json)["framework_ranking"] for e in events] == [3, None]
    with pytest.raises(ValidationError, match="1 or more"):
        settings.set_ranking(staff, membership, 0)


def test_lot_page_shows_settings_and_the_form_saves_them(client, auth, staff, lot):
    auth.login(staff.email)
    page = client.get(f"/admin/frameworks/lots/{lot.id}").get_data(as_text=True)
    assert "Direct award allowed" in page and "No, only by mini-competition" in page
    response = client.post(
        f"/admin/frameworks/lots/{lot.id}/direct-award",
        data={
            "direct_award_allowed": "yes",
            "selection_mechanism": "lowest_cost",
            "tie_break_first": "framework_ranking",
            "tie_break_second": "lower_cost",
        },
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/admin/frameworks/lots/{lot.id}")
    db.session.refresh(lot)
    assert lot.direct_award_allowed and lot.direct_award_tie_break == "framework_ranking,lower_cost"
    page = client.get(f"/admin/frameworks/lots/{lot.id}").get_data(as_text=True)
    assert "Direct award settings saved" in page and "Better framework ranking" in page


def test_settings_form_bad_input(client, auth, staff, lot):
    auth.login(staff.email)
    page = client.post(
        f"/admin/frameworks/lots/{lot.id}/direct-award",
        data={"direct_award_allowed": "yes", "tie_break_first": "lower_cost", "tie_break_second": "lower_cost"},
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Select the selection mechanism" in text
    page = client.post(
        f"/admin/frameworks/lots/{lot.id}/direct-award",
        data={"direct_award_allowed": "yes", "selection_mechanism": "lowest_cost", "tie_break_first": "lower_cost",
              "tie_break_second": "lower_cost"},
    )  # fmt: skip
    assert "Select each tie-break once" in page.get_data(as_text=True)
    db.session.refresh(lot)
    assert lot.direct_award_allowed is False


def test_ranking_page(client, auth, staff, lot):
    supplier = make_supplier()
    membership = make_membership(supplier, lot)
    db.session.commit()
    auth.login(staff.email)
    url = f"/admin/suppliers/{supplier.id}/memberships/{membership.id}/ranking"
    assert "Framework ranking of" in client.get(url).get_data(as_text=True)
    bad = client.post(url, data={"framework_ranking": "first"})
    assert bad.status_code == 200 and "Framework ranking must be a whole number" in bad.get_data(as_text=True)
    zero = client.post(url, data={"framework_ranking": "0"})
    assert "Framework ranking must be 1 or more" in zero.get_data(as_text=True)
    assert client.post(url, data={"framework_ranking": "2"}).status_code == 302
    db.session.refresh(membership)
    assert membership.framework_ranking == 2
    page = client.get(f"/admin/suppliers/{supplier.id}").get_data(as_text=True)
    assert "Change ranking" in page


def test_buyers_cannot_reach_the_staff_settings(client, auth, lot):
    buyer = make_user("buyer", email="buyer@example.test")
    supplier = make_supplier()
    membership = make_membership(supplier, lot)
    db.session.commit()
    auth.login(buyer.email)
    assert client.get(f"/admin/frameworks/lots/{lot.id}/direct-award").status_code == 403
    assert client.get(f"/admin/suppliers/{supplier.id}/memberships/{membership.id}/ranking").status_code == 403
