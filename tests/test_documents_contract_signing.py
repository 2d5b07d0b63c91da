"""Signing the call-off contract: both parties, the signed version, emails, audit, and every refusal."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, ContractSignature, OutboxMessage
from portal.services.contracts import kpis, signing
from portal.services.contracts.kpis import KpiInput
from portal.services.documents import contract, register
from portal.services.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from tests.contract_support import approved_direct_award, awarded_competition, publish_award_notice
from tests.documents_support import assert_archival, embedded_data, pdf_text
from tests.factories import make_user

KPI = KpiInput("Response time", "Median time to first reply to public messages", "Under 15 minutes")


def _sign(user, document, name="Sam Supplier", role="Director", confirmed=True):
    return signing.sign(user, document.id, name, role, confirmed)


def _events(event_type: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event_type == event_type)))


def _mail_to(user) -> list[OutboxMessage]:
    """The signature e-mails to `user` (generating a version both may sign announces it too: "ready to sign")."""
    query = select(OutboxMessage).where(
        OutboxMessage.recipient == user.email, OutboxMessage.subject.startswith("Contract signed")
    )
    return list(db.session.scalars(query))


def test_both_parties_sign_and_the_signed_version_carries_both_signatures_and_the_hash():
    world = awarded_competition(ready_to_sign=True)
    unsigned = contract.generate(world.buyer, "competition", world.id)
    first = _sign(world.supplier_user, unsigned, "Sam Supplier", "Managing Director")
    assert first.signed is None and first.signature.party == "supplier"
    [to_approver] = [m for m in _mail_to(world.approver) if "Contract signed" in m.subject]  # not the award's
    assert "Contract signed by Bravo" in to_approver.subject and "needs to be signed by an approver" in to_approver.body
    outcome = _sign(world.approver, unsigned, "Ada Approver", "Head of Procurement")
    signed = outcome.signed
    assert signed is not None and signed.version == 2 and signed.signed_from_id == unsigned.id
    assert signed.signed_at is not None and signed.series_key == unsigned.series_key
    pdf = register.pdf_bytes(signed)
    assert_archival(pdf, f"Signed call-off contract: {world.call_off.reference}")
    text = pdf_text(pdf)
    assert "Signature page" in text and "Signed electronically by Sam Supplier" in text
    assert "Ada Approver" in text and "Head of Procurement" in text and "Managing Director" in text
    assert unsigned.file_sha256 in text.replace(" ", "")
    data = embedded_data(pdf)
    assert data["signing"]["unsigned"]["file_sha256"] == unsigned.file_sha256
    assert [s["party"] for s in data["signing"]["signatures"]] == ["supplier", "buyer"]
    assert any("signed by both parties" in m.subject for m in _mail_to(world.supplier_user))
    assert len(_events("contract.signed_by_party")) == 2 and len(_events("document.signed")) == 1
    # From now on the signed version is the contract: generating returns it and KPIs are fixed.
    assert contract.generate(world.buyer, "competition", world.id).id == signed.id
    with pytest.raises(ConflictError, match="signed by both parties"):
        kpis.add(world.buyer, "competition", world.id, KPI)


def test_buyer_may_sign_first_and_the_supplier_is_emailed():
    world = approved_direct_award(ready_to_sign=True)
    unsigned = contract.generate(world.buyer, "direct_award", world.id)
    _sign(world.approver, unsigned, "Ada Approver", "Chief Finance Officer")
    # (the supplier was also told of the approval, direct_award_approved: the signing e-mail is the one asked of it)
    [message] = [m for m in _mail_to(world.supplier_user) if "signed by" in m.subject]
    assert "signed by Force A" in message.subject and "/contracts/direct-awards/" in message.body
    outcome = _sign(world.supplier_user, unsigned)
    assert outcome.signed is not None and "Chief Finance Officer" in pdf_text(register.pdf_bytes(outcome.signed))


def test_only_the_winning_supplier_and_the_buyers_approvers_sign():
    world = awarded_competition(ready_to_sign=True)
    unsigned = contract.generate(world.buyer, "competition", world.id)
    with pytest.raises(PermissionDeniedError, match="approver"):
        _sign(world.buyer, unsigned)  # a buyer who is not an approver
    with pytest.raises(NotFoundError):
        _sign(world.losing_supplier_user, unsigned)
    with pytest.raises(NotFoundError):
        _sign(world.other_buyer, unsigned)
    with pytest.raises(PermissionDeniedError):
        _sign(world.staff, unsigned)
    assert db.session.scalar(select(ContractSignature)) is None


def test_a_party_signs_a_version_once():
    world = awarded_competition(ready_to_sign=True)
    unsigned = contract.generate(world.buyer, "competition", world.id)
    _sign(world.supplier_user, unsigned)
    colleague = make_user("supplier", supplier=world.winner)
    db.session.commit()
    with pytest.raises(ConflictError, match="has already signed version 1 for the supplier"):
        _sign(colleague, unsigned, "Colin Colleague")


def test_a_superseded_version_cannot_be_signed():
    world = awarded_competition(ready_to_sign=True)
    first = contract.generate(world.buyer, "competition", world.id)
    _sign(world.supplier_user, first)
    kpis.add(world.buyer, "competition", world.id, KPI)
    second = contract.generate(world.buyer, "competition", world.id)
    with pytest.raises(ConflictError, match="version 2 has been issued since: read version 2 and sign that"):
        _sign(world.approver, first)
    status = contract.status(world.approver, "competition", world.id)
    assert status.latest.id == second.id and status.signatures == {} and status.can_sign


def test_a_version_made_stale_by_a_change_cannot_be_signed_until_regenerated():
    world = awarded_competition(ready_to_sign=True)
    unsigned = contract.generate(world.buyer, "competition", world.id)
    kpis.add(world.buyer, "competition", world.id, KPI)
    with pytest.raises(ConflictError, match="changed since version 1 was generated"):
        _sign(world.supplier_user, unsigned)


def test_no_signing_before_the_award_may_be_entered_into():
    world = awarded_competition(confirm=False, ready_to_sign=True)
    unsigned = contract.generate(world.buyer, "competition", world.id)
    with pytest.raises(ConflictError, match=r"until the contract award notice \(UK6\) has been published"):
        _sign(world.supplier_user, unsigned)
    direct = approved_direct_award(standstill_over=False, ready_to_sign=True)
    publish_award_notice(direct, days_ago=0)
    unsigned = contract.generate(direct.buyer, "direct_award", direct.id)
    with pytest.raises(ConflictError, match="until the standstill period ends"):
        _sign(direct.approver, unsigned)


def test_the_signed_version_and_its_original_cannot_be_signed_again():
    world = awarded_competition(ready_to_sign=True)
    unsigned = contract.generate(world.buyer, "competition", world.id)
    _sign(world.supplier_user, unsigned)
    signed = _sign(world.approver, unsigned).signed
    with pytest.raises(ConflictError, match="This is the signed version"):
        _sign(world.supplier_user, signed)
    with pytest.raises(ConflictError, match="Both parties have already signed"):
        _sign(world.supplier_user, unsigned)


@pytest.mark.parametrize(
    ("name", "role", "confirmed", "field"),
    [(" ", "Director", True, "signer_name"), ("Sam", "", True, "signer_role"), ("Sam", "Director", False, "confirm")],
)
def test_signature_needs_name_role_and_confirmation(name, role, confirmed, field):
    world = awarded_competition(ready_to_sign=True)
    unsigned = contract.generate(world.buyer, "competition", world.id)
    with pytest.raises(ValidationError) as raised:
        _sign(world.supplier_user, unsigned, name, role, confirmed)
    assert raised.value.field == field


def test_signing_through_the_pages(client, auth):
    world = awarded_competition(ready_to_sign=True)
    unsigned = contract.generate(world.buyer, "competition", world.id)
    auth.login(world.supplier_user.email)
    url = f"/contracts/{unsigned.id}/sign"
    page = client.get(url).get_data(as_text=True)
    assert "Sign the contract for Bravo" in page and unsigned.file_sha256 in page and "is a simple electronic" in page
    assert "I confirm that I am signing this contract on behalf of Bravo" in page
    response = client.post(url, data={"signer_name": "", "signer_role": "Director"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Error:" in page
    assert "govuk-error-summary" in page and "Enter your full name" in page and "Confirm that you are signing" in page
    response = client.post(url, data={"signer_name": "Sam Supplier", "signer_role": "Director", "confirm": "y"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/contracts/competitions/{world.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Signed by Sam Supplier (Director)" in page and "You have signed for the supplier" in page
    assert "already signed" in client.get(url).get_data(as_text=True)
    auth.logout()
    auth.login(world.buyer.email)  # a buyer who is not an approver: the route is for approvers and suppliers
    assert client.get(url).status_code == 403
