"""Framework staff's supplier pages: list, create, edit, the supplier page, lots and evidence."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, LotMembership, Supplier
from tests.factories import (
    make_accreditation,
    make_capability,
    make_claim,
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


def test_supplier_list_searches_by_name_and_summarises_status(client, staff):
    lot = make_lot()
    make_membership(make_supplier(legal_name="Orlo Ltd", trading_name="Orlo"), lot)
    softcat = make_supplier(legal_name="Softcat plc", trading_name="Softcat")
    make_exclusion(softcat, date(2020, 1, 1), date(2099, 1, 1))
    db.session.commit()
    page = body(client.get("/admin/suppliers/"))
    assert "Orlo" in page and "Softcat" in page
    assert "active on at least one lot" in page and "excluded today" in page
    page = body(client.get("/admin/suppliers/?q=soft"))
    assert "Softcat" in page and "Orlo Ltd" not in page
    assert "Excluded" in page
    assert "No suppliers match" in body(client.get("/admin/suppliers/?q=nothing-like-this"))


def test_create_supplier(client, staff):
    response = client.post(
        "/admin/suppliers/new",
        data={
            "legal_name": "Orlo Ltd",
            "trading_name": "Orlo",
            "companies_house_number": "05379456",
            "sme": "yes",
            "contact_email": "bids@orlo.example",
            "website": "orlo.example.com",
            "description": "Social media",
        },
    )
    supplier = db.session.scalar(select(Supplier).where(Supplier.legal_name == "Orlo Ltd"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/suppliers/{supplier.id}")
    assert supplier.sme and supplier.website == "https://orlo.example.com"
    assert "Orlo Ltd added" in body(client.get(response.headers["Location"]))


def test_create_supplier_bad_input_keeps_values(client, staff):
    make_supplier(legal_name="Orlo Ltd")
    db.session.commit()
    response = client.post(
        "/admin/suppliers/new",
        data={
            "legal_name": "Orlo Ltd",
            "companies_house_number": "123",
            "sme": "",
            "contact_email": "not-an-email",
            "website": "not a website",
            "trading_name": "Kept trading name",
        },
    )
    page = body(response)
    assert response.status_code == 200
    assert "There is a problem" in page and "<title>Error:" in page
    assert "Select yes if the supplier is an SME" in page
    assert "Enter an email address in the correct format" in page
    assert "Enter a website address in the correct format" in page
    assert 'value="Kept trading name"' in page


def test_duplicate_legal_name_shown_on_field(client, staff):
    make_supplier(legal_name="Orlo Ltd")
    db.session.commit()
    page = body(client.post("/admin/suppliers/new", data={"legal_name": "orlo ltd", "sme": "no"}))
    assert "A supplier with this legal name already exists" in page
    assert 'value="orlo ltd"' in page


def test_malformed_company_number_shown_on_field(client, staff):
    page = body(
        client.post(
            "/admin/suppliers/new", data={"legal_name": "New Ltd", "sme": "no", "companies_house_number": "12AB"}
        )
    )
    assert "like 05379456 or SC123456" in page and 'value="12AB"' in page


def test_edit_supplier_records_before_and_after(client, staff):
    supplier = make_supplier(legal_name="Old Ltd", companies_house_number=None)
    db.session.commit()
    form = client.get(f"/admin/suppliers/{supplier.id}/edit")
    assert 'value="Old Ltd"' in body(form)
    response = client.post(
        f"/admin/suppliers/{supplier.id}/edit",
        data={
            "legal_name": "New Ltd",
            "trading_name": supplier.trading_name,
            "sme": "no",
            "contact_email": supplier.contact_email,
            "companies_house_number": "sc123456",
        },
    )
    assert response.status_code == 302
    db.session.refresh(supplier)
    assert supplier.legal_name == "New Ltd" and supplier.companies_house_number == "SC123456"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "supplier.updated"))
    assert '"Old Ltd"' in event.before_json and '"New Ltd"' in event.after_json


def test_supplier_page_shows_everything(client, staff):
    supplier = make_supplier(legal_name="Orlo Ltd", trading_name="Orlo")
    lot = make_lot(title="Social media management")
    make_membership(supplier, lot)
    make_claim(supplier, make_capability(lot, "Mobile use"), "Works on force phones")
    item = make_price_item(lot, "User licence")
    make_price(supplier, item, 4500)
    make_accreditation(supplier, "ISO 27001", expires_on=date(2020, 1, 1))
    make_exclusion(supplier, date(2020, 1, 1), date(2099, 1, 1))
    make_user("supplier", supplier=supplier, name="Olive Orlo")
    db.session.commit()
    page = body(client.get(f"/admin/suppliers/{supplier.id}"))
    for text in (
        "Social media management",
        "Works on force phones",
        "£45.00",
        "ISO 27001",
        "Expired",
        "is excluded today",
        "Olive Orlo",
        "Invite a user",
    ):
        assert text in page


def test_unknown_supplier_is_404(client, staff):
    assert client.get("/admin/suppliers/9999").status_code == 404


def test_add_to_lot_then_suspend_reinstate_remove(client, staff):
    supplier, lot = make_supplier(), make_lot(title="Digital contact")
    db.session.commit()
    response = client.post(
        f"/admin/suppliers/{supplier.id}/lots/add", data={"lot_id": lot.id, "joined_on": ["1", "4", "2021"]}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/admin/suppliers/{supplier.id}#lots")
    membership = db.session.scalar(select(LotMembership))
    assert membership.joined_on == date(2021, 4, 1)
    base = f"/admin/suppliers/{supplier.id}/memberships/{membership.id}"
    client.post(f"{base}/suspend", data={"reason": "Security review"})
    db.session.refresh(membership)
    assert membership.status == "suspended" and membership.status_changed_at is not None
    client.post(f"{base}/reinstate", data={"reason": ""})
    db.session.refresh(membership)
    assert membership.status == "active"
    response = client.post(f"{base}/remove", data={"reason": "Left framework", "left_on": ["31", "3", "2023"]})
    assert "removed from Lot 1: Digital contact" in body(client.get(response.headers["Location"]))
    db.session.refresh(membership)
    assert membership.status == "removed" and membership.left_on == date(2023, 3, 31)


def test_add_to_lot_bad_input(client, staff):
    supplier = make_supplier()
    make_lot()
    db.session.commit()
    page = body(
        client.post(f"/admin/suppliers/{supplier.id}/lots/add", data={"lot_id": "", "joined_on": ["31", "2", "2021"]})
    )
    assert "Select a lot" in page and "Date joined must be a real date" in page
    assert 'value="31"' in page


def test_add_to_lot_after_the_framework_ended_is_refused_on_the_date(client, staff):
    supplier, lot = make_supplier(), make_lot()  # an expired framework: it ended on 31 March 2023
    db.session.commit()
    response = client.post(
        f"/admin/suppliers/{supplier.id}/lots/add", data={"lot_id": lot.id, "joined_on": ["10", "1", "2024"]}
    )
    page = body(response)
    assert response.status_code == 200 and "There is a problem" in page
    refusal = "The joining date must be on or before the framework&#39;s end, 31 March 2023"
    assert f'<a href="#joined_on-day">{refusal}</a>' in page  # the error summary links to the date's first input
    assert 'id="joined_on-error"' in page and 'value="2024"' in page
    assert db.session.scalar(select(LotMembership)) is None


def test_suspend_without_reason_shows_error(client, staff):
    membership = make_membership(make_supplier(), make_lot())
    db.session.commit()
    url = f"/admin/suppliers/{membership.supplier_id}/memberships/{membership.id}/suspend"
    page = body(client.post(url, data={"reason": "  "}))
    assert "Enter the reason for suspending the supplier" in page
    assert db.session.get(LotMembership, membership.id).status == "active"


def test_remove_without_date_shows_error_and_keeps_reason(client, staff):
    membership = make_membership(make_supplier(), make_lot())
    db.session.commit()
    url = f"/admin/suppliers/{membership.supplier_id}/memberships/{membership.id}/remove"
    page = body(client.post(url, data={"reason": "Contract ended", "left_on": ["", "", ""]}))
    assert "Enter the date the supplier left the lot" in page and "Contract ended" in page


def test_reinstating_a_removed_member_is_refused_not_a_crash(client, staff):
    membership = make_membership(make_supplier(), make_lot(), status="removed", reason="Gone", left_on=date(2023, 1, 1))
    db.session.commit()
    url = f"/admin/suppliers/{membership.supplier_id}/memberships/{membership.id}/reinstate"
    page = body(client.post(url, data={"reason": ""}))
    assert "cannot be changed to active" in page


def test_membership_of_another_supplier_is_404(client, staff):
    membership = make_membership(make_supplier(), make_lot())
    other = make_supplier()
    db.session.commit()
    assert client.get(f"/admin/suppliers/{other.id}/memberships/{membership.id}/suspend").status_code == 404


def test_staff_edit_evidence(client, staff):
    supplier, lot = make_supplier(), make_lot()
    make_membership(supplier, lot, status="suspended", reason="Review")
    capability = make_capability(lot, "Listening")
    db.session.commit()
    url = f"/admin/suppliers/{supplier.id}/capabilities/{capability.id}/evidence"
    assert "Listening" in body(client.get(url))
    page = body(client.post(url, data={"evidence": ""}))
    assert "Enter evidence that you meet this capability" in page
    response = client.post(url, data={"evidence": "Social listening dashboards"})
    assert response.status_code == 302
    assert supplier.claims[0].evidence == "Social listening dashboards"
