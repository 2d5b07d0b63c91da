"""The route walk shared by the route-access and seal non-interference tests: the personas, a small portal with
one of everything that has an id, and the app's URL map filled in with those ids."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from portal.extensions import db
from portal.models import (
    AwardCriterion,
    AwardCriterionGroup,
    BidAttachment,
    CallOffContract,
    Clarification,
    ConflictDeclaration,
    DirectAward,
    Document,
    Notification,
    OutboxMessage,
    StoredFile,
    TenderDocument,
    TenderDocumentVersion,
)
from portal.services import audit
from tests.factories import (
    make_accreditation,
    make_capability,
    make_claim,
    make_exclusion,
    make_extension,
    make_framework,
    make_lot,
    make_membership,
    make_organisation,
    make_price,
    make_price_item,
    make_supplier,
    make_user,
)
from tests.factories_competition import leaf_criteria, make_bid, make_competition

PERSONAS = ["anonymous", "staff", "buyer_a", "buyer_b", "approver", "evaluator", "supplier_a", "supplier_b"]
PERSONA_ROLE = {
    "staff": "staff",
    "buyer_a": "buyer",
    "buyer_b": "buyer",
    "approver": "approver",
    "evaluator": "evaluator",
    "supplier_a": "supplier",
    "supplier_b": "supplier",
}
# Routes that would end the persona's own session; checked separately in test_auth.
SKIP_FOR_SIGNED_IN = {"auth.sign_out", "auth.sign_out_everywhere"}


def world() -> tuple[dict[str, int | str], dict[str, str]]:
    """A small portal: two buyer organisations, two suppliers, one of everything with an id."""
    framework = make_framework()
    option = make_extension(framework, 1)
    lot = make_lot(framework)
    capability = make_capability(lot)
    item = make_price_item(lot)
    org_a = make_organisation("Force A")
    org_b = make_organisation("Force B")
    supplier_a = make_supplier()
    supplier_b = make_supplier()
    membership = make_membership(supplier_a, lot)
    make_membership(supplier_b, lot)
    claim = make_claim(supplier_a, capability)
    price = make_price(supplier_a, item, 1000)
    accreditation = make_accreditation(supplier_a, expires_on=date(2030, 1, 1))
    exclusion = make_exclusion(supplier_b, date(2020, 1, 1), date(2020, 6, 1))
    users = {
        "staff": make_user("staff", email="staff@example.test"),
        "buyer_a": make_user("buyer", email="buyer@a.example.test", organisation=org_a),
        "buyer_b": make_user("buyer", email="buyer@b.example.test", organisation=org_b),
        "approver": make_user("approver", email="approver@a.example.test", organisation=org_a),
        "evaluator": make_user("evaluator", email="evaluator@a.example.test", organisation=org_a),
        "supplier_a": make_user("supplier", email="bids@a.example.test", supplier=supplier_a),
        "supplier_b": make_user("supplier", email="bids@b.example.test", supplier=supplier_b),
    }
    target = make_user("buyer", email="target@a.example.test", organisation=org_a)
    event = audit.record(users["supplier_a"], "supplier.updated", "supplier", supplier_a.id, summary="test")
    message = OutboxMessage(recipient="x@example.test", subject="s", body="b")
    db.session.add(message)
    call_offs = _call_offs(lot, org_a, users, supplier_a)
    # Supplier A's notification: nobody else may open it (404).
    notification = Notification(user_id=users["supplier_a"].id, kind="bid_submitted", subject="s", body="b", link="/")
    db.session.add(notification)
    db.session.commit()
    ids = {
        "framework_id": framework.id,
        "option_id": option.id,
        "lot_id": lot.id,
        "capability_id": capability.id,
        "price_item_id": item.id,
        "supplier_id": supplier_a.id,
        "membership_id": membership.id,
        "claim_id": claim.id,
        "price_id": price.id,
        "accreditation_id": accreditation.id,
        "exclusion_id": exclusion.id,
        "organisation_id": org_a.id,
        "user_id": target.id,
        "event_id": event.id,
        "message_id": message.id,
        "notification_id": notification.id,
        "token": "not-a-valid-token",
        "sha256": "a" * 64,
        **call_offs,
    }
    return ids, {name: user.email for name, user in users.items()}


def _call_offs(lot, org_a, users, supplier_a) -> dict[str, int]:
    """Force A's competition (only supplier A invited, with its bid) and direct award."""
    group = AwardCriterionGroup(lot=lot, name="Quality", kind="quality", min_weight=50, max_weight=70)
    db.session.add(group)
    db.session.add(AwardCriterion(group=group, title="Channels", kind="quality"))
    competition = make_competition(organisation=org_a, lot=lot, creator=users["buyer_a"], suppliers=[supplier_a])
    bid = make_bid(competition, supplier_a)
    stored = StoredFile(sha256="a" * 64, size_bytes=4, media_type="application/pdf")
    db.session.add(stored)
    db.session.flush()
    attachment = BidAttachment(
        bid_id=bid.id, file_sha256=stored.sha256, filename="plan.pdf", uploaded_by_id=users["supplier_a"].id
    )
    clarification = Clarification(
        competition_id=competition.id,
        supplier_id=supplier_a.id,
        asked_by_id=users["supplier_a"].id,
        question="Is single sign-on required?",
    )
    award = DirectAward(
        reference="DA-0001",
        buyer_organisation_id=org_a.id,
        lot_id=lot.id,
        created_by_id=users["buyer_a"].id,
        title="Platform licences",
    )
    # Force A's evaluator declared a conflict with supplier A: the buyer may record a mitigation for it.
    declaration = ConflictDeclaration(
        competition_id=competition.id,
        user_id=users["evaluator"].id,
        supplier_id=supplier_a.id,
        has_conflict=True,
        details="Former employee of the supplier",
    )
    tender_document = TenderDocument(
        competition_id=competition.id,
        document_type="specification",
        title="Specification",
        created_by_id=users["buyer_a"].id,
    )
    tender_document.versions.append(
        TenderDocumentVersion(
            version=1,
            file_sha256=stored.sha256,
            filename="spec.pdf",
            size_bytes=4,
            media_type="application/pdf",
            uploaded_by_id=users["buyer_a"].id,
        )
    )
    db.session.add_all([attachment, clarification, award, declaration, tender_document])
    db.session.flush()
    # Force A's contract with supplier A in the register. Its documents name no real subject (series 999999), so
    # the competition's own contract pages still see a competition without a contract.
    documents = {
        "kind": "call_off_contract", "series_key": "call_off_contract:competition:999999",
        "subject_type": "competition", "subject_id": 999_999, "title": "Call-off contract",
        "reference": competition.reference, "buyer_organisation_id": org_a.id, "supplier_id": supplier_a.id,
        "data_sha256": "b" * 64, "template_version": "1", "generator": "test",
    }  # fmt: skip
    signed_file = StoredFile(sha256="c" * 64, size_bytes=4, media_type="application/pdf")
    unsigned = Document(version=1, file_sha256=stored.sha256, **documents)
    db.session.add_all([signed_file, unsigned])
    db.session.flush()
    signed = Document(
        version=2, file_sha256=signed_file.sha256, signed_from_id=unsigned.id,
        signed_at=datetime(2026, 12, 1, tzinfo=UTC), **documents,
    )  # fmt: skip
    db.session.add(signed)
    db.session.flush()
    contract = CallOffContract(
        competition_id=competition.id, reference=competition.reference, title=competition.title,
        buyer_organisation_id=org_a.id, supplier_id=supplier_a.id, lot_id=lot.id, value_pence=100_000,
        vat_pence=20_000, start_on=date(2027, 4, 1), end_on=date(2028, 3, 31), option_months=[],
        signed_document_id=signed.id, signed_at=signed.signed_at,
    )  # fmt: skip
    db.session.add(contract)
    db.session.flush()
    return {
        "group_id": group.id,
        "competition_id": competition.id,
        "criterion_id": leaf_criteria(competition, "quality")[0].id,
        "bid_id": bid.id,
        "submission_id": bid.submissions[0].id,
        "attachment_id": attachment.id,
        "clarification_id": clarification.id,
        "invitation_id": competition.invitations[0].id,
        "direct_award_id": award.id,
        # A frozen shortlist needs a live framework and a whole requirement; its own tests
        # (tests/test_direct_award_*.py) check who may read one. Here an unknown id must be a 404.
        "shortlist_id": 999_999,
        # Issued documents have their own access tests (tests/test_documents_*.py); an unknown id is a 404.
        "document_id": 999_999,
        # Call-off KPIs have their own tests (tests/test_documents_contract_kpis.py); an unknown id is a 404.
        "kpi_id": 999_999,
        # Transparency notices have their own tests (tests/test_notices*.py); this call-off has none (404).
        "notice_type": "UK6",
        "contract_id": contract.id,
        "declaration_id": declaration.id,
        "tender_document_id": tender_document.id,
        "tender_version_id": tender_document.versions[0].id,
        "role": "opener",  # a declaration capacity (portal/evaluation/declaration_views.py)
    }


# Objects in these parameters belong to force A and supplier A: force B's buyer and supplier B must
# not reach them even where their role may use the route (404, so their existence is not revealed).
OWNED_PARAMETERS = {
    "competition_id",
    "contract_id",
    "bid_id",
    "submission_id",
    "attachment_id",
    "clarification_id",
    "invitation_id",
    "direct_award_id",
    "shortlist_id",
    "document_id",
    "kpi_id",
    "declaration_id",
    "tender_document_id",
    "tender_version_id",
    "notification_id",
}
OUTSIDERS = {"buyer_b", "supplier_b"}


def routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        yield rule


def owned(rule) -> bool:
    return any(name.split(":")[-1] in OWNED_PARAMETERS for name in re.findall(r"<([^>]+)>", rule.rule))


def url_for_rule(rule, ids) -> str:
    def fill(match: re.Match) -> str:
        name = match.group(1).split(":")[-1]
        if name not in ids:
            pytest.fail(f"route {rule.rule} uses parameter '{name}', which the route-access test cannot fill")
        return str(ids[name])

    return re.sub(r"<([^>]+)>", fill, rule.rule)
