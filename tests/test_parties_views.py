"""Framework staff enter parties' legal names, identifiers and regions: bad ones get the GOV.UK error summary with
nothing entered lost, and only staff reach the pages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, BuyerOrganisation
from tests.factories import make_organisation, make_supplier, make_user


@pytest.fixture
def staff(auth):
    user = make_user("staff", email="staff@pds.example")
    db.session.commit()
    auth.login("staff@pds.example")
    return user


def _body(response) -> str:
    return response.get_data(as_text=True)


ORGANISATION = {
    "name": "Surrey Police",
    "organisation_type": "police",
    "legal_name": "Police and Crime Commissioner for Surrey",
    "ppon": "PXXB-7538-XLDD",
    "itl_region": "TLJ",
}


def test_an_organisations_legal_body_and_identifiers_are_saved_and_shown(client, staff):
    org = make_organisation("Surrey Police")
    db.session.commit()
    response = client.post(f"/admin/organisations/{org.id}/edit", data=ORGANISATION)
    assert response.status_code == 302
    saved = db.session.get(BuyerOrganisation, org.id)
    assert (saved.legal_name, saved.ppon, saved.itl_region) == (
        "Police and Crime Commissioner for Surrey",
        "PXXB-7538-XLDD",
        "TLJ",
    )
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "organisation.updated"))
    page = _body(client.get(f"/admin/organisations/{org.id}"))
    assert "Police and Crime Commissioner for Surrey" in page
    assert "PXXB-7538-XLDD (GB-PPON, primary identifier)" in page
    assert "South East (TLJ)" in page


def test_malformed_identifiers_are_all_listed_in_the_error_summary_and_nothing_typed_is_lost(client, staff):
    org = make_organisation("Surrey Police")
    db.session.commit()
    data = ORGANISATION | {"ppon": "PXXB-7538", "companies_house_number": "12AB", "charity_number": "1"}
    response = client.post(f"/admin/organisations/{org.id}/edit", data=data)
    body = _body(response)
    assert response.status_code == 200
    assert "There is a problem" in body and "<title>Error: " in body
    assert "Enter a PPON in the correct format, like PXXB-7538-XLDD" in body
    assert 'href="#ppon"' in body
    assert "Enter a Companies House number in the correct format" in body
    assert "Enter a registered charity number in the correct format" in body
    assert 'value="PXXB-7538"' in body and 'value="12AB"' in body and 'value="1"' in body
    assert 'value="Police and Crime Commissioner for Surrey"' in body
    assert db.session.get(BuyerOrganisation, org.id).ppon is None


def test_an_unknown_region_is_an_error_not_a_500(client, staff):
    response = client.post("/admin/organisations/new", data=ORGANISATION | {"itl_region": "UKJ"})
    assert response.status_code == 200
    assert "Select the region from the list" in _body(response)
    assert db.session.scalar(select(db.func.count(BuyerOrganisation.id))) == 0


def test_a_suppliers_ppon_is_checked_on_entry_and_shown(client, staff):
    supplier = make_supplier(legal_name="Softcat plc", trading_name="Softcat", companies_house_number="02174990")
    db.session.commit()
    data = {"legal_name": "Softcat plc", "companies_house_number": "02174990", "sme": "no", "ppon": "bad"}
    response = client.post(f"/admin/suppliers/{supplier.id}/edit", data=data)
    body = _body(response)
    assert response.status_code == 200
    assert "Enter a PPON in the correct format" in body and 'value="bad"' in body
    response = client.post(
        f"/admin/suppliers/{supplier.id}/edit", data=data | {"ppon": "pabc-1234-defg", "itl_region": "TLJ"}
    )
    assert response.status_code == 302
    page = _body(client.get(f"/admin/suppliers/{supplier.id}"))
    assert "PABC-1234-DEFG" in page and "GB-PPON PABC-1234-DEFG" in page and "South East (TLJ)" in page


@pytest.mark.parametrize("role", ["buyer", "approver", "supplier"])
def test_only_framework_staff_reach_the_identity_forms(client, auth, role):
    org = make_organisation("Surrey Police")
    supplier = make_supplier()
    make_user(role, email="someone@example.test", organisation=org if role != "supplier" else None)
    db.session.commit()
    auth.login("someone@example.test")
    assert client.get(f"/admin/organisations/{org.id}/edit").status_code == 403
    assert client.post(f"/admin/organisations/{org.id}/edit", data=ORGANISATION).status_code == 403
    assert client.post(f"/admin/suppliers/{supplier.id}/edit", data={"ppon": "PABC-1234-DEFG"}).status_code == 403
    assert db.session.get(BuyerOrganisation, org.id).ppon is None


def test_a_supplier_sees_its_identifiers_on_its_profile(client, auth):
    user = make_user("supplier", email="bids@orlo.example")
    user.supplier.ppon = "PORL-1234-ABCD"
    user.supplier.itl_region = "TLC"
    db.session.commit()
    auth.login("bids@orlo.example")
    page = _body(client.get("/supplier/profile"))
    assert "PORL-1234-ABCD" in page and "North East (TLC)" in page
