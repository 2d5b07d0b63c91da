"""Each role's work queue (portal/services/work): the right items, in order, nothing from other parties, nothing
about bids before opening, and a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import event

from portal.extensions import db
from portal.models import Clarification, Competition, ContractSignature, DirectAward, Document, StoredFile
from portal.models.base import utcnow
from portal.services.bids import crypto
from portal.services.work import queue_for
from tests.factories import (
    make_accreditation,
    make_exclusion,
    make_framework,
    make_lot,
    make_membership,
    make_organisation,
    make_supplier,
    make_user,
)
from tests.factories_bidding import make_world
from tests.factories_competition import assign_evaluator, make_bid, make_competition


def _titles(user) -> list[str]:
    return [i.title for i in queue_for(user)]


def _about(user, competition: Competition):
    return [i for i in queue_for(user) if i.subject.startswith(competition.reference)]


@contextmanager
def counted():
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


# --- Buyer ---------------------------------------------------------------------------------------------------------


def test_buyer_sees_drafts_questions_and_deadlines_in_due_order_and_nothing_of_other_organisations(app):
    organisation = make_organisation()
    buyer = make_user("buyer", organisation=organisation)
    supplier = make_supplier()
    soon = make_competition(organisation=organisation, suppliers=[supplier], deadline_at=utcnow() + timedelta(days=3))
    later = make_competition(organisation=organisation, deadline_at=utcnow() + timedelta(days=30))
    draft = make_competition(organisation=organisation, published=False)
    db.session.add(
        Clarification(
            competition_id=later.id, supplier_id=supplier.id, asked_by_id=buyer.id, question="Is hosting in the UK?"
        )
    )
    elsewhere = make_competition(published=False)  # another organisation's draft
    db.session.commit()

    queue = queue_for(buyer)
    assert [(i.title, i.subject.split(":")[0]) for i in queue] == [
        ("Bids close", soon.reference),
        ("Answer 1 clarification question", later.reference),
        ("Finish and publish the competition", draft.reference),
    ]
    assert queue[0].endpoint == "competitions.show" and queue[0].url_values == {"competition_id": soon.id}
    assert queue[1].endpoint == "clarifications.buyer_questions"
    assert queue[0].label == "Due in 3 days" or queue[0].label == "Due in 2 days"  # by the London clock
    assert not any(elsewhere.reference in i.subject for i in queue)


def test_buyer_queue_says_nothing_about_bids_before_opening(app):
    world = make_world(deadline_at=utcnow() + timedelta(days=5))
    buyer = make_user("buyer", organisation=world.competition.buyer_organisation)
    closed = make_competition(
        organisation=world.competition.buyer_organisation,
        suppliers=[world.supplier],
        deadline_at=utcnow() - timedelta(hours=2),
    )
    db.session.commit()
    before = queue_for(buyer)

    make_bid(world.competition, world.supplier, submitted=False)  # a draft while open
    make_bid(world.competition, world.rival, submitted=True)
    make_bid(closed, world.supplier, submitted=True)  # closed, not opened
    db.session.commit()
    after = queue_for(buyer)

    assert after == before  # the same items, word for word
    assert [i.title for i in after if i.subject.startswith(closed.reference)] == ["Open the bids"]


def test_buyer_sees_what_blocks_an_opened_evaluation(app):
    supplier, rival = make_supplier(), make_supplier()
    competition = make_competition(suppliers=[supplier, rival], opened=True)
    competition.evaluation_started_at = competition.opened_at
    competition.planned_evaluation_on = date.today() + timedelta(days=4)
    buyer = make_user("buyer", organisation=competition.buyer_organisation)
    make_bid(competition, supplier)
    make_bid(competition, rival)
    late, ready = (make_user("evaluator", organisation=competition.buyer_organisation) for _ in range(2))
    assign_evaluator(competition, late, declared=None)
    assign_evaluator(competition, ready)
    db.session.commit()

    (item,) = _about(buyer, competition)
    assert item.title == "Evaluation: declarations outstanding"
    assert item.detail == "1 evaluator has not declared conflicts of interest"
    assert item.due_at == competition.planned_evaluation_on

    assign_evaluator_declarations(competition, late)
    (item,) = _about(buyer, competition)
    assert item.title == "Evaluation: scores outstanding"
    assert item.detail == "0 of 8 scores entered"  # 2 evaluators x 2 criteria x 2 bids


def assign_evaluator_declarations(competition: Competition, user) -> None:
    from portal.models import ConflictDeclaration

    for invitation in competition.invitations:
        db.session.add(
            ConflictDeclaration(
                competition_id=competition.id, user_id=user.id, supplier_id=invitation.supplier_id, has_conflict=False
            )
        )
    db.session.commit()


def test_buyer_sees_standstill_end_and_direct_award_drafts(app):
    competition = make_competition(opened=True)
    now = utcnow()
    competition.evaluation_started_at = competition.moderated_at = competition.recommended_at = now
    competition.approved_at = competition.standstill_started_at = now
    competition.standstill_ends_at = now + timedelta(days=10)
    buyer = make_user("buyer", organisation=competition.buyer_organisation)
    award = DirectAward(
        reference="DA-T-1",
        buyer_organisation_id=buyer.buyer_organisation_id,
        lot_id=competition.lot_id,
        created_by_id=buyer.id,
        title="Listening tool",
    )
    db.session.add(award)
    db.session.commit()

    titles = _titles(buyer)
    assert titles == ["Standstill period ends", "Finish the direct award"]


# --- Approver ------------------------------------------------------------------------------------------------------


def test_approver_sees_awaiting_approvals_with_their_age_but_not_its_own_recommendation(app):
    organisation = make_organisation()
    approver, colleague = (
        make_user("approver", organisation=organisation),
        make_user("approver", organisation=organisation),
    )
    old = make_competition(organisation=organisation, opened=True)
    mine = make_competition(organisation=organisation, opened=True)
    other_org = make_competition(opened=True)
    for competition, by, days in ((old, colleague, 10), (mine, approver, 1), (other_org, colleague, 3)):
        competition.evaluation_started_at = competition.moderated_at = utcnow() - timedelta(days=days)
        competition.recommended_at = utcnow() - timedelta(days=days)
        competition.recommended_by_id = by.id
    award = DirectAward(
        reference="DA-T-2",
        buyer_organisation_id=organisation.id,
        lot_id=old.lot_id,
        created_by_id=colleague.id,
        title="Monitoring",
        recommended_at=utcnow(),
        recommended_by_id=colleague.id,
        justification="Ranked first",
    )
    db.session.add(award)
    db.session.commit()

    approvals = [i for i in queue_for(approver) if i.title.startswith("Approve")]
    assert [(i.title, i.subject.split(":")[0]) for i in approvals] == [
        ("Approve the award recommendation", old.reference),  # waited longest: urgent, first
        ("Approve the direct award", "DA-T-2"),
    ]
    assert approvals[0].label.startswith("Waiting ") and "working day" in approvals[0].label
    assert approvals[0].urgency.value == "overdue"
    assert approvals[1].label == "Waiting since today"
    # The colleague (a buyer-side officer) can approve the approver's recommendation.
    assert any(i.subject.startswith(mine.reference) for i in queue_for(colleague) if i.title.startswith("Approve"))
    # A buyer who is not an approver gets no approvals.
    assert not [t for t in _titles(make_user("buyer", organisation=organisation)) if t.startswith("Approve")]


# --- Evaluator -----------------------------------------------------------------------------------------------------


def test_evaluator_sees_declarations_then_scores_only_for_its_panels(app):
    supplier = make_supplier()
    competition = make_competition(suppliers=[supplier], opened=True)
    competition.evaluation_started_at = competition.opened_at
    competition.planned_evaluation_on = date.today() + timedelta(days=2)
    make_bid(competition, supplier)
    evaluator = make_user("evaluator", organisation=competition.buyer_organisation)
    bystander = make_user("evaluator", organisation=competition.buyer_organisation)
    sealed = make_competition(
        organisation=competition.buyer_organisation, suppliers=[supplier], deadline_at=utcnow() - timedelta(hours=1)
    )  # closed, not opened
    assign_evaluator(competition, evaluator, declared=None)
    assign_evaluator(sealed, evaluator, declared=None)
    db.session.commit()

    queue = queue_for(evaluator)
    assert [(i.title, i.endpoint, i.due_at) for i in queue] == [
        ("Declare any conflicts of interest", "evaluation.declaration", competition.planned_evaluation_on)
    ]
    assign_evaluator_declarations(competition, evaluator)
    (item,) = queue_for(evaluator)
    assert (item.title, item.endpoint, item.detail) == ("Score the bids", "evaluation.scoring", "0 of 2 scores entered")
    assert queue_for(bystander) == []


# --- Supplier ------------------------------------------------------------------------------------------------------


def test_supplier_sees_its_invitation_and_its_bid_state_including_changes_since_submission(app):
    world = make_world(deadline_at=utcnow() + timedelta(days=6))
    (item,) = queue_for(world.user)
    assert (item.title, item.detail, item.endpoint) == (
        "New invitation: decide whether to bid",
        "Not started",
        "bids.competition",
    )

    bid = make_bid(world.competition, world.supplier, submitted=False)
    world.competition.invitations[0].response = "bidding"
    for invitation in world.competition.invitations:
        invitation.response = "bidding"
    db.session.commit()
    assert [i.detail for i in queue_for(world.user)] == ["Draft. Your draft is not submitted yet"]
    db.session.delete(bid)
    db.session.commit()

    bid = make_bid(world.competition, world.supplier, submitted=True)
    db.session.commit()
    assert [i.detail for i in queue_for(world.user)] == ["Submitted (version 1). You submitted version 1"]

    answer = bid.answers[0]
    crypto.set_answer_text(bid, answer, "A better answer.")
    bid.updated_at = utcnow()
    db.session.commit()
    (item,) = queue_for(world.user)
    assert item.detail == "Changed since submission. You have changed your bid since you submitted version 1"
    assert item.title.startswith("Submit your changes")
    # The rival sees its own invitation only, nothing of this supplier's bid.
    assert [i.detail for i in queue_for(world.rival_user)] == ["Not started. You have not started a bid"]


def test_a_suspended_supplier_is_told_it_cannot_bid(app):
    world = make_world(deadline_at=utcnow() + timedelta(days=6))
    make_membership(
        world.supplier,
        world.competition.lot,
        status="suspended",
        reason="Certificate expired",
        status_changed_at=utcnow(),
    )
    db.session.commit()
    (item,) = queue_for(world.user)
    assert item.label == "Cannot bid"
    assert "suspended" in item.detail


def test_supplier_sees_expiring_accreditations_and_direct_awards_to_accept(app):
    supplier = make_supplier()
    user = make_user("supplier", supplier=supplier)
    make_accreditation(supplier, "ISO 27001", expires_on=date.today() + timedelta(days=20))
    make_accreditation(supplier, "Cyber Essentials", expires_on=date.today() + timedelta(days=200))
    buyer = make_user("buyer")
    lot = make_lot()
    db.session.add(
        DirectAward(
            reference="DA-T-3",
            buyer_organisation_id=buyer.buyer_organisation_id,
            lot_id=lot.id,
            created_by_id=buyer.id,
            title="Tool",
            recommended_supplier_id=supplier.id,
            recommended_at=utcnow(),
            approved_at=utcnow(),
            justification="Ranked first",
        )
    )
    db.session.commit()
    assert _titles(user) == ["Renew your ISO 27001 accreditation", "Accept the direct award"]
    assert _titles(make_user("supplier")) == []


# --- Staff ---------------------------------------------------------------------------------------------------------


def test_staff_see_suspensions_exclusions_and_expiring_accreditations(app):
    staff = make_user("staff")
    lot = make_lot()
    suspended, excluded, expiring = make_supplier(), make_supplier(), make_supplier()
    make_membership(suspended, lot, status="suspended", reason="No certificate", status_changed_at=utcnow())
    make_exclusion(excluded, starts_on=date.today() - timedelta(days=5))
    make_accreditation(expiring, "ISO 9001", expires_on=date.today() + timedelta(days=10))
    make_accreditation(expiring, "ISO 14001", expires_on=date.today() + timedelta(days=100))
    db.session.commit()
    queue = queue_for(staff)
    assert [(i.title, i.subject) for i in queue] == [
        ("ISO 9001 accreditation expires", expiring.legal_name),
        ("Excluded: check its lots and competitions", excluded.legal_name),
        (f"Suspended from {lot.label}: reinstate or remove", suspended.legal_name),
    ]
    assert all(i.endpoint == "admin_suppliers.show" for i in queue)


# --- Queries -------------------------------------------------------------------------------------------------------


def _queries(user) -> int:
    db.session.expire_all()
    with counted() as statements:
        queue_for(user)
    return len(statements)


def test_each_queue_takes_the_same_number_of_queries_for_one_or_many_rows(app):
    organisation = make_organisation()
    approver = make_user("approver", organisation=organisation)
    evaluator = make_user("evaluator", organisation=organisation)
    supplier = make_supplier()
    supplier_user = make_user("supplier", supplier=supplier)

    def add_round():
        open_ = make_competition(organisation=organisation, suppliers=[supplier])
        make_bid(open_, supplier)
        evaluating = make_competition(organisation=organisation, suppliers=[supplier], opened=True)
        evaluating.evaluation_started_at = evaluating.opened_at
        make_bid(evaluating, supplier)
        assign_evaluator(evaluating, evaluator)
        make_competition(organisation=organisation, published=False)
        db.session.commit()

    add_round()
    first = {u.role: _queries(u) for u in (approver, evaluator, supplier_user)}
    for _ in range(3):
        add_round()
    assert {u.role: _queries(u) for u in (approver, evaluator, supplier_user)} == first
    assert max(first.values()) <= 20, first


# --- Contracts and outcomes ----------------------------------------------------------------------------------------


def _contract(competition: Competition, supplier, version: int, *, signed_from=None) -> Document:
    sha = f"{competition.id:04d}{version:02d}".ljust(64, "a")
    db.session.add(StoredFile(sha256=sha, size_bytes=10, media_type="application/pdf"))
    document = Document(
        kind="call_off_contract",
        series_key=f"call_off_contract:competition:{competition.id}",
        version=version,
        subject_type="competition",
        subject_id=competition.id,
        title=f"Call-off contract for {competition.reference}",
        reference=competition.reference,
        buyer_organisation_id=competition.buyer_organisation_id,
        supplier_id=supplier.id,
        file_sha256=sha,
        data_sha256="b" * 64,
        template_version="1",
        generator="test",
        signed_from_id=signed_from.id if signed_from else None,
        signed_at=utcnow() - timedelta(days=40) if signed_from else None,
    )
    db.session.add(document)
    db.session.flush()
    return document


def test_contracts_to_sign_go_to_each_party_until_it_has_signed_and_the_uk7_is_then_due(app):
    supplier = make_supplier()
    supplier_user = make_user("supplier", supplier=supplier)
    competition = make_competition(suppliers=[supplier], opened=True, lot=make_lot(make_framework(regime="pa2023")))
    approver = make_user("approver", organisation=competition.buyer_organisation)
    _contract(competition, supplier, 1)
    latest = _contract(competition, supplier, 2)  # version 1 superseded: only the latest is signed
    db.session.commit()
    assert [(i.title, i.url_values) for i in queue_for(supplier_user) if "contract" in i.title] == [
        ("Sign the call-off contract", {"document_id": latest.id})
    ]
    assert [i.url_values for i in queue_for(approver) if i.title == "Sign the call-off contract"] == [
        {"document_id": latest.id}
    ]
    db.session.add(
        ContractSignature(
            document_id=latest.id, party="supplier", user_id=supplier_user.id, signer_name="Sam", signer_role="Director"
        )
    )
    db.session.commit()
    assert not [i for i in queue_for(supplier_user) if "contract" in i.title]
    assert [i.title for i in queue_for(approver) if "contract" in i.title] == ["Sign the call-off contract"]

    signed = _contract(competition, supplier, 3, signed_from=latest)  # both signed: the signed version, 40 days ago
    db.session.commit()
    (due,) = [i for i in queue_for(approver) if "UK7" in i.title]
    assert due.endpoint == "notices.index" and due.url_values == {"competition_id": competition.id}
    assert due.urgency.value == "overdue"  # 30 days after signing
    assert due.due_at == signed.signed_at.date() + timedelta(days=30)
    assert not [i for i in queue_for(approver) if i.title == "Sign the call-off contract"]


def test_supplier_sees_its_outcome_once_the_letters_are_sent_but_not_a_rivals(app):
    supplier, rival, bystander = make_supplier(), make_supplier(), make_supplier()
    competition = make_competition(suppliers=[supplier, rival, bystander], opened=True)
    make_bid(competition, supplier)
    make_bid(competition, rival)
    user = make_user("supplier", supplier=supplier)
    db.session.commit()
    assert not [i for i in queue_for(user) if i.title == "Read the outcome of your bid"]
    now = utcnow()
    competition.evaluation_started_at = competition.moderated_at = competition.recommended_at = now
    competition.approved_at = now
    competition.assessment_summaries_sent_at, competition.assessment_summaries_sent_by_id = (
        now,
        competition.created_by_id,
    )
    db.session.commit()
    (outcome,) = [i for i in queue_for(user) if i.title == "Read the outcome of your bid"]
    assert outcome.endpoint == "evaluation.outcome"
    assert not [i for i in queue_for(make_user("supplier", supplier=bystander)) if "outcome" in i.title]


def test_no_uk7_is_due_outside_the_act(app):
    supplier = make_supplier()
    competition = make_competition(suppliers=[supplier], opened=True)  # a PCR 2015 framework
    approver = make_user("approver", organisation=competition.buyer_organisation)
    _contract(competition, supplier, 2, signed_from=_contract(competition, supplier, 1))
    db.session.commit()
    assert not [i for i in queue_for(approver) if "UK7" in i.title]
