"""Supplier self-service: a supplier user sees and changes only its own supplier."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Accreditation, AuditEvent, CapabilityClaim, OutboxMessage, SupplierSearchDocument, User
from tests.factories import (
    make_accreditation,
    make_capability,
    make_claim,
    make_lot,
    make_membership,
    make_price,
    make_price_item,
    make_supplier,
    make_user,
)


def body(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def orlo(auth):
    """Signed in as a user of Orlo, which is active on one lot and suspended on another."""
    supplier = make_supplier(legal_name="Orlo Ltd", trading_name="Orlo", description="Social media tools")
    active_lot = make_lot(title="Platform")
    suspended_lot = make_lot(active_lot.framework, title="Contact centre")
    make_membership(supplier, active_lot)
    make_membership(supplier, suspended_lot, status="suspended", reason="Under review")
    make_capability(active_lot, "Mobile use")
    make_capability(suspended_lot, "24/7 channel")
    make_price(supplier, make_price_item(active_lot, "User licence"), 4500)
    user = make_user("supplier", email="olive@orlo.example", supplier=supplier)
    db.session.commit()
    auth.login("olive@orlo.example")
    return user


@pytest.fixture
def softcat():
    supplier = make_supplier(legal_name="Softcat plc", trading_name="Softcat")
    make_accreditation(supplier, "ISO 9001")
    make_user("supplier", email="sam@softcat.example", supplier=supplier, password_hash=None)
    db.session.commit()
    return supplier


def test_profile_shows_own_supplier_only(client, orlo, softcat):
    page = body(client.get("/supplier/profile"))
    assert "Orlo Ltd" in page and "Social media tools" in page and "£45.00" in page
    assert "Softcat" not in page
    assert "Only framework staff can change these" in page
    assert "Suspended" in page and "Active" in page


def test_edit_own_profile_is_audited_as_supplier_and_reindexed(client, orlo):
    response = client.post(
        "/supplier/profile/edit",
        data={
            "trading_name": "Orlo Social",
            "contact_email": "bids@orlo.example",
            "website": "https://orlo.example.com",
            "description": "Listening and publishing",
        },
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/supplier/profile")
    assert "Your profile has been updated" in body(client.get("/supplier/profile"))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "supplier.updated"))
    assert event.actor_party == "supplier"
    assert "Listening and publishing" in db.session.get(SupplierSearchDocument, orlo.supplier_id).body


def test_legal_name_cannot_be_changed_by_supplier(client, orlo):
    client.post(
        "/supplier/profile/edit",
        data={
            "legal_name": "Hijacked Ltd",
            "trading_name": "Orlo",
            "contact_email": "a@orlo.example",
            "description": "x",
        },
    )
    db.session.expire_all()
    assert orlo.supplier.legal_name == "Orlo Ltd"


def test_edit_profile_bad_input_keeps_values(client, orlo):
    page = body(
        client.post(
            "/supplier/profile/edit",
            data={"trading_name": "Kept name", "contact_email": "nope", "website": "bad site", "description": ""},
        )
    )
    assert "There is a problem" in page and "<title>Error:" in page
    assert "Enter an email address in the correct format" in page
    assert "Enter a description" in page
    assert 'value="Kept name"' in page


def test_add_evidence_on_active_lot(client, orlo):
    capability = orlo.supplier.memberships[0].lot.capabilities[0]
    url = f"/supplier/capabilities/{capability.id}/evidence"
    page = body(client.post(url, data={"evidence": ""}))
    assert "Enter evidence that you meet this capability" in page
    response = client.post(url, data={"evidence": "Works on every force handset"})
    assert response.status_code == 302
    claim = db.session.scalar(select(CapabilityClaim))
    assert claim.evidence == "Works on every force handset"
    assert "every force handset" in db.session.get(SupplierSearchDocument, orlo.supplier_id).body
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "capability_claim.added"))
    assert event.actor_party == "supplier"


def test_no_evidence_on_suspended_lot(client, orlo):
    capability = orlo.supplier.memberships[1].lot.capabilities[0]
    assert client.get(f"/supplier/capabilities/{capability.id}/evidence").status_code == 403
    assert client.post(f"/supplier/capabilities/{capability.id}/evidence", data={"evidence": "x"}).status_code == 403


def test_no_evidence_on_a_lot_the_supplier_is_not_on(client, orlo):
    capability = make_capability(make_lot(title="Other"))
    db.session.commit()
    assert client.get(f"/supplier/capabilities/{capability.id}/evidence").status_code == 403


def test_accreditation_add_edit_remove(client, orlo):
    response = client.post(
        "/supplier/accreditations/new", data={"scheme": "Cyber Essentials Plus", "expires_on": ["1", "1", "2030"]}
    )
    assert response.status_code == 302
    accreditation = db.session.scalar(select(Accreditation))
    response = client.post(
        f"/supplier/accreditations/{accreditation.id}/edit",
        data={"scheme": "Cyber Essentials Plus", "certificate_reference": "CE-42"},
    )
    assert response.status_code == 302
    assert db.session.get(Accreditation, accreditation.id).certificate_reference == "CE-42"
    assert client.post(f"/supplier/accreditations/{accreditation.id}/remove").status_code == 302
    assert db.session.scalar(select(Accreditation)) is None
    parties = db.session.scalars(select(AuditEvent.actor_party).where(AuditEvent.object_type == "accreditation"))
    assert set(parties) == {"supplier"}


def test_accreditation_bad_input(client, orlo):
    page = body(
        client.post(
            "/supplier/accreditations/new",
            data={"scheme": "", "certificate_reference": "KEEP-ME", "awarded_on": ["30", "2", "2024"]},
        )
    )
    assert "Select a scheme" in page and "Date awarded must be a real date" in page
    assert 'value="KEEP-ME"' in page


def test_cannot_touch_another_suppliers_accreditation(client, orlo, softcat):
    other = softcat.accreditations[0]
    for url in (f"/supplier/accreditations/{other.id}/edit", f"/supplier/accreditations/{other.id}/remove"):
        assert client.get(url).status_code == 404
        assert client.post(url, data={"scheme": "ISO 27001"}).status_code == 404
    assert db.session.get(Accreditation, other.id).scheme == "ISO 9001"


def test_colleagues_invite_and_resend(client, orlo):
    page = body(client.get("/supplier/colleagues"))
    assert "olive@orlo.example" in page
    response = client.post("/supplier/colleagues/invite", data={"name": "Oscar Orlo", "email": "oscar@orlo.example"})
    assert response.status_code == 302
    colleague = db.session.scalar(select(User).where(User.email == "oscar@orlo.example"))
    assert colleague.supplier_id == orlo.supplier_id and colleague.role == "supplier"
    response = client.post(f"/supplier/colleagues/{colleague.id}/resend")
    assert "Invitation sent again to oscar@orlo.example" in body(client.get(response.headers["Location"]))
    sent = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == "oscar@orlo.example")).all()
    assert len(sent) == 2


def test_resend_to_a_colleague_with_a_password_is_explained(client, orlo):
    response = client.post(f"/supplier/colleagues/{orlo.id}/resend")
    assert "already set a password" in body(client.get(response.headers["Location"]))


def test_invite_bad_input(client, orlo):
    page = body(client.post("/supplier/colleagues/invite", data={"name": "", "email": "olive@orlo.example"}))
    assert "Enter their full name" in page
    page = body(client.post("/supplier/colleagues/invite", data={"name": "Dup", "email": "olive@orlo.example"}))
    assert "olive@orlo.example is already a colleague at your supplier" in page and 'value="Dup"' in page


def test_cannot_resend_to_another_suppliers_user(client, orlo, softcat):
    other = db.session.scalar(select(User).where(User.email == "sam@softcat.example"))
    assert client.post(f"/supplier/colleagues/{other.id}/resend").status_code == 404
    assert db.session.scalar(select(OutboxMessage)) is None


def test_supplier_has_no_way_to_change_lots_prices_or_exclusions(client, orlo):
    membership = orlo.supplier.memberships[0]
    for url in (
        f"/admin/suppliers/{orlo.supplier_id}/memberships/{membership.id}/suspend",
        f"/admin/suppliers/{orlo.supplier_id}/lots/{membership.lot_id}/prices/new",
        f"/admin/suppliers/{orlo.supplier_id}/exclusions/new",
    ):
        assert client.post(url, data={}).status_code == 403


SUPPLIER_PAGES = [
    "/supplier/profile",
    "/supplier/profile/edit",
    "/supplier/accreditations/new",
    "/supplier/colleagues",
    "/supplier/colleagues/invite",
]


@pytest.mark.parametrize("role", ["staff", "buyer", "approver", "evaluator"])
def test_other_roles_are_refused_supplier_pages(client, auth, role):
    make_user(role, email=f"{role}@example.test")
    db.session.commit()
    auth.login(f"{role}@example.test")
    for page in SUPPLIER_PAGES:
        assert client.get(page).status_code == 403, page


def test_anonymous_is_sent_to_sign_in(client):
    for page in SUPPLIER_PAGES:
        response = client.get(page)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_every_supplier_page_renders(client, orlo):
    for page in SUPPLIER_PAGES:
        assert client.get(page).status_code == 200, page


def test_profile_offers_evidence_links_only_for_active_lots(client, orlo):
    active_cap = orlo.supplier.memberships[0].lot.capabilities[0]
    suspended_cap = orlo.supplier.memberships[1].lot.capabilities[0]
    make_claim(orlo.supplier, active_cap, "Evidence text here")
    db.session.commit()
    page = body(client.get("/supplier/profile"))
    assert "Evidence text here" in page
    assert f"/supplier/capabilities/{active_cap.id}/evidence" in page
    assert f"/supplier/capabilities/{suspended_cap.id}/evidence" not in page
    assert "only while you are an active member" in page
