"""The demo mini-competitions (portal.seed.competitions): their states, bids, scores, visibility and idempotence."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from portal.domain.competition_lifecycle import CompetitionState as S
from portal.extensions import db
from portal.models import (
    AuditEvent,
    Bid,
    BidSubmission,
    Clarification,
    Competition,
    ConflictDeclaration,
    EvaluatorAssignment,
    ModeratedScore,
    Score,
    User,
)
from portal.seed import demo
from portal.seed.competitions import seed_competitions
from portal.services import audit
from portal.services.bids import seal
from portal.services.bids.content import serialise
from portal.services.competitions import access

DEMO_NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
REFERENCES = ("SUR-MC-DEMO-1", "SUR-MC-DEMO-2", "SUR-MC-DEMO-3", "NOR-MC-DEMO-1")


@pytest.fixture
def seeded():
    # demo.seed() runs seed_competitions() after the main demo data; its report says what it created.
    with time_machine.travel(DEMO_NOW, tick=False):
        return demo.seed()


def _user(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()


def _competition(reference: str) -> Competition:
    return db.session.scalars(select(Competition).where(Competition.reference == reference)).one()


def _state(reference: str) -> S:
    return access.state(_competition(reference), DEMO_NOW)


def test_four_competitions_in_their_states_and_second_run_creates_nothing(seeded):
    assert f"Demo competitions loaded: {', '.join(REFERENCES)}." in seeded
    assert [_state(r) for r in REFERENCES] == [S.PUBLISHED, S.IN_EVALUATION, S.AWARDED, S.PUBLISHED]
    events = db.session.scalar(select(func.count(AuditEvent.id)))
    with time_machine.travel(DEMO_NOW, tick=False):
        assert seed_competitions() == "Demo competitions already loaded: nothing new created."
    assert db.session.scalar(select(func.count(AuditEvent.id))) == events
    # and the two Procurement Act demo competitions (portal/seed/pa_call_offs.py)
    assert db.session.scalar(select(func.count(Competition.id))) == 6
    assert audit.verify().intact


def test_surrey_never_sees_the_northumbria_competition(seeded):
    surrey = {c.reference for c in db.session.scalars(access.visible_competitions(_user(
        "buyer@surrey.police.example")))}  # fmt: skip
    assert surrey >= {"SUR-MC-DEMO-1", "SUR-MC-DEMO-2", "SUR-MC-DEMO-3"} and "NOR-MC-DEMO-1" not in surrey
    northumbria = _user("buyer@northumbria.police.example")
    assert {c.reference for c in db.session.scalars(access.visible_competitions(northumbria))} == {"NOR-MC-DEMO-1"}


def test_open_competition_has_orlo_submitted_and_softcat_drafting(seeded):
    competition = _competition("SUR-MC-DEMO-1")
    # 21 days from Sunday 22 November is a Sunday: the deadline moves to the Monday after.
    assert competition.submission_deadline_at == datetime(2026, 12, 14, 12, 0, tzinfo=UTC)
    orlo, softcat = _user("bids@orlo.example"), _user("bids@softcat.example")
    bids = {b.supplier_id: b for b in db.session.scalars(select(Bid).where(Bid.competition_id == competition.id))}
    assert bids[orlo.supplier_id].status == "submitted" and bids[softcat.supplier_id].status == "draft"
    assert 0 < len(bids[softcat.supplier_id].answers) < len(bids[orlo.supplier_id].answers)
    (submission,) = db.session.scalars(select(BidSubmission).where(BidSubmission.bid_id == bids[orlo.supplier_id].id))
    assert submission.submitted_by_id == orlo.id
    content = seal.submitted_content(orlo, bids[orlo.supplier_id])
    assert serialise(content)[1] == submission.content_sha256 and content["version"] == 1
    (clarification,) = db.session.scalars(select(Clarification).where(Clarification.competition_id == competition.id))
    assert clarification.audience == "all" and clarification.answer and clarification.answered_at is not None
    invited = {i.supplier_id for i in competition.invitations}
    assert orlo.supplier_id in invited and len(invited) >= 4


def test_evaluation_has_four_opened_bids_and_partial_scores(seeded):
    competition = _competition("SUR-MC-DEMO-2")
    assert competition.opened_by_id == _user("buyer@surrey.police.example").id
    assert competition.opening_confirmed_by_id == _user("approver@surrey.police.example").id
    assert competition.opening_started_by_id == competition.opened_by_id
    assert competition.opening_started_at is not None and competition.opening_started_at < competition.opened_at
    submissions = db.session.scalars(select(BidSubmission).join(Bid).where(Bid.competition_id == competition.id)).all()
    assert len(submissions) == 4 and competition.submission_deadline_at == datetime(2026, 11, 12, 12, 0, tzinfo=UTC)
    assert all(s.submitted_at < competition.submission_deadline_at < competition.opened_at for s in submissions)
    declarations = db.session.scalars(
        select(ConflictDeclaration).where(
            ConflictDeclaration.competition_id == competition.id, ConflictDeclaration.role == "evaluator"
        )
    ).all()
    assert len(declarations) == 3 * 4  # three evaluators, each for every bidding supplier
    conflicts = {(d.user.email, d.mitigation is not None) for d in declarations if d.has_conflict}
    assert conflicts == {("evaluator2@surrey.police.example", True), ("evaluator3@surrey.police.example", False)}
    assert all(competition.opened_at < d.declared_at < DEMO_NOW for d in declarations)
    assert all(d.declared_at < d.mitigated_at < DEMO_NOW for d in declarations if d.mitigation)
    assigned = db.session.scalars(
        select(EvaluatorAssignment.criterion_id).where(
            EvaluatorAssignment.competition_id == competition.id,
            EvaluatorAssignment.user_id == _user("evaluator3@surrey.police.example").id,
        )
    ).all()
    assert len(assigned) == 1  # evaluator 3 scores a subset
    counts = [
        db.session.scalar(select(func.count(Score.id)).where(Score.competition_id == competition.id,
                                                           Score.evaluator_id == _user(e).id))
        for e in ("evaluator1@surrey.police.example", "evaluator2@surrey.police.example",
                  "evaluator3@surrey.police.example")
    ]  # fmt: skip
    assert counts[0] > counts[1] > counts[2] == 0


def test_awarded_competition_lifecycle_is_in_the_past(seeded):
    c = _competition("SUR-MC-DEMO-3")
    assert c.recommended_by_id == _user("buyer@surrey.police.example").id
    assert c.approved_by_id == _user("approver@surrey.police.example").id
    assert (
        c.submission_deadline_at
        < c.opened_at
        <= c.evaluation_started_at
        < c.moderated_at
        < c.recommended_at
        < c.approved_at
        <= c.standstill_started_at
        < c.standstill_ends_at
        < c.awarded_at
        < DEMO_NOW
    )
    scores = db.session.scalars(select(Score).where(Score.competition_id == c.id)).all()
    moderated = db.session.scalars(select(ModeratedScore).where(ModeratedScore.competition_id == c.id)).all()
    assert len(scores) == 3 * len(moderated) > 0 and all(m.rationale for m in moderated)
    assert all(c.opened_at < s.scored_at < c.moderated_at for s in scores)
    winner = db.session.get(Bid, c.recommended_bid_id)
    assert winner.status == "submitted" and winner.competition_id == c.id


def test_awarded_competition_has_a_declaration_from_everyone_who_acted_before_they_acted(seeded):
    c = _competition("SUR-MC-DEMO-3")
    rows = db.session.scalars(select(ConflictDeclaration).where(ConflictDeclaration.competition_id == c.id)).all()
    by_role = {(d.role, d.user.email) for d in rows}
    buyer, approver = "buyer@surrey.police.example", "approver@surrey.police.example"
    assert {("opener", buyer), ("opener", approver), ("moderator", buyer), ("recommender", buyer)} <= by_role
    assert ("approver", approver) in by_role
    acted = {"opener": c.opened_at, "moderator": c.moderated_at, "recommender": c.recommended_at}
    acted["approver"] = c.approved_at
    assert all(d.declared_at < acted[d.role] for d in rows if d.role in acted)
    invited = {i.supplier_id for i in c.invitations}
    assert {d.supplier_id for d in rows if d.role == "opener"} == invited


def test_open_competition_has_a_specification_and_pricing_workbook_suppliers_can_download(seeded):
    from portal.domain import file_types
    from portal.services import files
    from portal.services.competitions import tender_documents

    competition = _competition("SUR-MC-DEMO-1")
    documents = tender_documents.readable_documents(_user("bids@orlo.example"), competition.id)
    assert [(d.document_type, d.current.filename) for d in documents] == [
        ("specification", "specification.pdf"),
        ("pricing_workbook", "pricing-workbook.xlsx"),
    ]
    for document in documents:
        data = files.read(document.current.file_sha256)
        assert file_types.upload_error(document.current.filename, data, 10**6) is None
    assert file_types.pdf_upload_error("specification.pdf", files.read(documents[0].current.file_sha256), 10**6) is None
