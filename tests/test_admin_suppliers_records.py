"""Framework staff's supplier pages: price cards, accreditations, exclusions, users, and who may see them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import Accreditation, AuditEvent, Exclusion, OutboxMessage, SupplierPrice, User
from tests.factories import (
    make_accreditation,
    make_exclusion,
    make_lot,
    make_membership,
    make_price,
    make_price_item,
    make_supplier,
    make_user,
)


@pytest.fixture
def staff(auth):
    user = make_user("staff", email="staff@example.test")
    db.session.commit()
    auth.login("staff@example.test")
    return user


def body(response) -> str:
    return response.get_data(as_text=True)


def _date(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


@pytest.fixture
def priced():
    supplier, lot = make_supplier(), make_lot(title="Platform")
    make_membership(supplier, lot)
    item = make_price_item(lot, "User licence")
    make_price(supplier, item, 1000, date(2021, 4, 1))
    db.session.commit()
    return supplier, lot, item


def test_price_card_shows_today_and_a_past_date(client, staff, priced):
    supplier, lot, item = priced
    make_price(supplier, item, 1500, date(2023, 4, 1))
    db.session.commit()
    url = f"/admin/suppliers/{supplier.id}/lots/{lot.id}/prices"
    page = body(client.get(url))
    assert "Prices today" in page and "£15.00" in page and "£10.00" in page
    page = body(client.get(url + "?on=1&on=6&on=2022"))
    assert "Prices on 1 June 2022" in page and "Applied" in page
    assert 'id="on-year" name="on" type="text" value="2022"' in page


@pytest.mark.parametrize(
    ("query", "message", "link"),
    [
        ("on=31&on=6&on=2022", "The date must be a real date", "#on-day"),
        ("on=1&on=&on=2022", "The date must include a month", "#on-month"),
        ("on=not-a-date", "The date must include a month", "#on-month"),
    ],
)
def test_price_card_on_a_bad_date_says_why_and_shows_today(client, staff, priced, query, message, link):
    supplier, lot, _ = priced
    page = body(client.get(f"/admin/suppliers/{supplier.id}/lots/{lot.id}/prices?{query}"))
    assert "<title>Error: Price card" in page
    assert f'<a href="{link}">{message}</a>' in page
    assert "Prices today" in page and "£10.00" in page


def test_add_prices_adds_a_version(client, staff, priced):
    supplier, lot, item = priced
    url = f"/admin/suppliers/{supplier.id}/lots/{lot.id}/prices/new"
    assert "Currently £10.00" in body(client.get(url))
    response = client.post(url, data={"effective_from": _date(today_london()), f"item_{item.id}": "£1,234.50"})
    assert response.status_code == 302
    assert "1 new price added" in body(client.get(response.headers["Location"]))
    prices = db.session.scalars(select(SupplierPrice.unit_price_pence).order_by(SupplierPrice.effective_from)).all()
    assert prices == [1000, 123450]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "supplier_price.added"))


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5", "Enter a price of £0 or more for User licence"),
        ("12.345", "Enter the price for User licence in pounds, like 12.50"),
        ("ten", "Enter the price for User licence in pounds"),
    ],
)
def test_add_prices_bad_amounts_keep_values(client, staff, priced, amount, message):
    supplier, lot, item = priced
    url = f"/admin/suppliers/{supplier.id}/lots/{lot.id}/prices/new"
    page = body(client.post(url, data={"effective_from": _date(today_london()), f"item_{item.id}": amount}))
    assert message in page and f'value="{amount}"' in page and "There is a problem" in page


def test_add_prices_refuses_back_dating_and_same_date(client, staff, priced):
    supplier, lot, item = priced
    url = f"/admin/suppliers/{supplier.id}/lots/{lot.id}/prices/new"
    page = body(client.post(url, data={"effective_from": ["1", "1", "2022"], f"item_{item.id}": "9"}))
    assert "must be today or in the future" in page
    page = body(client.post(url, data={"effective_from": ["1", "4", "2021"], f"item_{item.id}": "9"}))
    assert "never overwritten" in page
    page = body(client.post(url, data={"effective_from": ["", "", ""], f"item_{item.id}": ""}))
    assert "Enter the date the prices take effect" in page
    page = body(client.post(url, data={"effective_from": _date(today_london()), f"item_{item.id}": ""}))
    assert "Enter at least one price" in page
    assert (
        db.session.scalar(select(SupplierPrice.unit_price_pence).where(SupplierPrice.effective_from > date(2022, 1, 1)))
        is None
    )


def test_prices_for_a_lot_the_supplier_is_not_on_is_404(client, staff):
    supplier, lot = make_supplier(), make_lot()
    db.session.commit()
    assert client.get(f"/admin/suppliers/{supplier.id}/lots/{lot.id}/prices").status_code == 404


def test_accreditation_add_with_other_scheme_edit_and_remove(client, staff):
    supplier = make_supplier()
    db.session.commit()
    response = client.post(
        f"/admin/suppliers/{supplier.id}/accreditations/new",
        data={
            "scheme": "other",
            "other_scheme": "Police Assured Secure Facility",
            "certificate_reference": "PASF-9",
            "awarded_on": ["1", "1", "2024"],
            "expires_on": ["", "", ""],
        },
    )
    assert response.status_code == 302
    accreditation = db.session.scalar(select(Accreditation))
    assert accreditation.scheme == "Police Assured Secure Facility" and accreditation.expires_on is None
    edit_url = f"/admin/suppliers/{supplier.id}/accreditations/{accreditation.id}/edit"
    assert 'value="Police Assured Secure Facility"' in body(client.get(edit_url))
    client.post(
        edit_url, data={"scheme": "ISO 27001", "awarded_on": ["1", "1", "2024"], "expires_on": ["1", "1", "2020"]}
    )
    assert db.session.get(Accreditation, accreditation.id).scheme == "Police Assured Secure Facility"
    client.post(edit_url, data={"scheme": "ISO 27001", "expires_on": ["1", "1", "2027"]})
    db.session.expire_all()
    assert db.session.get(Accreditation, accreditation.id).scheme == "ISO 27001"
    response = client.post(f"/admin/suppliers/{supplier.id}/accreditations/{accreditation.id}/remove")
    assert response.status_code == 302
    assert db.session.scalar(select(Accreditation)) is None


def test_accreditation_bad_input(client, staff):
    supplier = make_supplier()
    db.session.commit()
    url = f"/admin/suppliers/{supplier.id}/accreditations/new"
    page = body(client.post(url, data={"scheme": "", "certificate_reference": "REF-1"}))
    assert "Select a scheme" in page and 'value="REF-1"' in page
    page = body(client.post(url, data={"scheme": "other", "other_scheme": ""}))
    assert "Enter the name of the scheme" in page
    page = body(
        client.post(
            url, data={"scheme": "ISO 9001", "awarded_on": ["1", "1", "2024"], "expires_on": ["1", "1", "2023"]}
        )
    )
    assert "The expiry date must be on or after the date it was awarded" in page
    page = body(client.post(url, data={"scheme": "ISO 9001", "awarded_on": ["1", "", "2024"]}))
    assert "Date awarded must include a month" in page


def test_expired_accreditation_is_tagged(client, staff):
    supplier = make_supplier()
    make_accreditation(supplier, "Cyber Essentials", expires_on=today_london() - timedelta(days=1))
    db.session.commit()
    assert "Expired" in body(client.get(f"/admin/suppliers/{supplier.id}"))


def test_record_exclusion_defaults_to_maximum(client, staff):
    supplier = make_supplier()
    db.session.commit()
    response = client.post(
        f"/admin/suppliers/{supplier.id}/exclusions/new",
        data={"ground": "Fraud conviction", "kind": "mandatory", "starts_on": ["1", "3", "2025"]},
    )
    assert response.status_code == 302
    assert "Exclusion recorded until 28 February 2030" in body(client.get(response.headers["Location"]))


def test_exclusion_beyond_maximum_is_refused_with_values_kept(client, staff):
    supplier = make_supplier()
    db.session.commit()
    page = body(
        client.post(
            f"/admin/suppliers/{supplier.id}/exclusions/new",
            data={
                "ground": "Poor performance",
                "kind": "discretionary",
                "starts_on": ["1", "1", "2025"],
                "ends_on": ["1", "1", "2029"],
            },
        )
    )
    assert "can last at most 3 years" in page and "Poor performance" in page
    page = body(client.post(f"/admin/suppliers/{supplier.id}/exclusions/new", data={}))
    assert "Enter the ground for exclusion" in page and "Select whether the ground is mandatory" in page
    assert db.session.scalar(select(Exclusion)) is None


def test_end_exclusion_early(client, staff):
    supplier = make_supplier()
    exclusion = make_exclusion(supplier, date(2025, 1, 1), date(2099, 1, 1))
    db.session.commit()
    url = f"/admin/suppliers/{supplier.id}/exclusions/{exclusion.id}/end"
    page = body(client.post(url, data={"ends_on": ["1", "1", "2100"], "reason": "Oops"}))
    assert "can only be ended early" in page
    response = client.post(url, data={"ends_on": ["1", "6", "2025"], "reason": "Self-cleaning accepted"})
    assert response.status_code == 302
    assert db.session.get(Exclusion, exclusion.id).ends_on == date(2025, 6, 1)


def test_invite_user_to_supplier(client, staff):
    supplier = make_supplier()
    db.session.commit()
    url = f"/admin/suppliers/{supplier.id}/users/invite"
    response = client.post(url, data={"name": "Olive Orlo", "email": "Olive@Orlo.example"})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "olive@orlo.example"))
    assert user.supplier_id == supplier.id and user.role == "supplier"
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "olive@orlo.example"))
    page = body(client.post(url, data={"name": "Again", "email": "olive@orlo.example"}))
    assert "A user with this email address already exists" in page and 'value="Again"' in page


# --- who may see these pages ------------------------------------------------------------------------

STAFF_PAGES = [
    "/admin/suppliers/",
    "/admin/suppliers/new",
    "/admin/suppliers/{s}",
    "/admin/suppliers/{s}/edit",
    "/admin/suppliers/{s}/lots/add",
    "/admin/suppliers/{s}/lots/{lot}/prices",
    "/admin/suppliers/{s}/lots/{lot}/prices/new",
    "/admin/suppliers/{s}/accreditations/new",
    "/admin/suppliers/{s}/exclusions/new",
    "/admin/suppliers/{s}/users/invite",
]


@pytest.mark.parametrize("role", ["buyer", "approver", "evaluator", "supplier"])
def test_other_roles_are_refused_staff_pages(client, auth, role, priced):
    supplier, lot, _ = priced
    make_user(role, email=f"{role}@example.test", supplier=supplier if role == "supplier" else None)
    db.session.commit()
    auth.login(f"{role}@example.test")
    for page in STAFF_PAGES:
        assert client.get(page.format(s=supplier.id, lot=lot.id)).status_code == 403, page
    assert client.post(f"/admin/suppliers/{supplier.id}/edit", data={"legal_name": "Hijack"}).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, priced):
    supplier, lot, _ = priced
    for page in STAFF_PAGES:
        response = client.get(page.format(s=supplier.id, lot=lot.id))
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], page


def test_every_staff_page_renders(client, staff, priced):
    supplier, lot, _ = priced
    for page in STAFF_PAGES:
        assert client.get(page.format(s=supplier.id, lot=lot.id)).status_code == 200, page
