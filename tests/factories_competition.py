"""Builders for mini-competition test data: competitions with a criteria tree, bids and submissions."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from portal.extensions import db
from portal.models import (
    Bid,
    BidAnswer,
    BidPrice,
    BidSubmission,
    Competition,
    CompetitionCriterion,
    CompetitionEvaluator,
    ConflictDeclaration,
    EvaluatorAssignment,
    Invitation,
    PriceScheduleLine,
    ScoreDescriptor,
)
from portal.models.base import utcnow
from portal.services.bids import crypto
from portal.services.bids.content import build_content, serialise
from portal.services.competitions.scales import default_descriptors
from portal.services.evaluation.scoring_adapter import quality_leaves
from tests.factories import make_lot, make_organisation, make_price_item, make_supplier, make_user

_seq = itertools.count(1)

FIVE_POINT = {
    0: "Unacceptable: no answer or fails to meet the requirement",
    1: "Poor: significant gaps",
    2: "Weak: meets some of the requirement",
    3: "Satisfactory: meets the requirement",
    4: "Good: meets the requirement with some added value",
    5: "Excellent: exceeds the requirement with clear evidence",
}


def _node(competition, parent=None, **kw) -> CompetitionCriterion:
    node = CompetitionCriterion(competition=competition, parent=parent, **kw)
    db.session.add(node)
    db.session.flush()
    if node.kind == "quality" and node.scale_max == 5:
        for score in range(node.scale_max + 1):
            db.session.add(ScoreDescriptor(criterion_id=node.id, score=score, descriptor=FIVE_POINT[score]))
    elif node.kind == "quality":  # other scales get the builder's defaults (0-100 in bands)
        node.descriptors.extend(default_descriptors(node.scale_max))
    return node


def make_competition(
    *,
    organisation=None,
    lot=None,
    creator=None,
    suppliers=(),
    published: bool = True,
    deadline_at: datetime | None = None,
    opened: bool = False,
    quality_weight: Decimal = Decimal("60"),
    price_method: str = "lowest",
    sub_criteria: bool = False,
) -> Competition:
    """A competition with Quality (two criteria, 0-5), Price and one pass/fail criterion.

    Weights: Quality `quality_weight` (criteria 50/50), Price the rest. Quantities: 10 monthly
    licences and 3 one-off onboarding days over a 12-month term.

    With `sub_criteria`, Channel management is split into Publishing (0-5) and Monitoring (0-10), 50/50, and a
    Social value group (Local employment, 0-5) takes 10 % from Price.
    """
    organisation = organisation or make_organisation()
    lot = lot or make_lot()
    creator = creator or make_user("buyer", organisation=organisation)
    now = utcnow()
    if deadline_at is None:
        deadline_at = now - timedelta(days=1) if opened else now + timedelta(days=14)
    n = next(_seq)
    competition = Competition(
        reference=f"MC-{n:04d}",
        buyer_organisation_id=organisation.id,
        lot_id=lot.id,
        created_by_id=creator.id,
        title=f"Social media platform {n}",
        statement_of_requirements="We need a platform for 10 users.",
        estimated_value_pence=5_000_000,
        term_months=12,
        planned_start_on=date(2027, 4, 1),
        price_method=price_method,
        clarification_deadline_at=deadline_at - timedelta(days=3),
        submission_deadline_at=deadline_at,
    )
    db.session.add(competition)
    db.session.flush()
    quality = _node(competition, kind="group", title="Quality", weight=quality_weight, position=1)
    channel = _node(
        competition,
        quality,
        kind="quality",
        title="Channel management",
        question="How?",
        weight=Decimal("50"),
        scale_max=5,
        word_limit=500,
        position=1,
    )
    if sub_criteria:
        for position, (title, scale) in enumerate((("Publishing", 5), ("Monitoring", 10)), start=1):
            _node(
                competition,
                channel,
                kind="quality",
                title=title,
                question="How?",
                weight=Decimal("50"),
                scale_max=scale,
                word_limit=300,
                position=position,
            )
    _node(
        competition,
        quality,
        kind="quality",
        title="Critical incidents",
        question="How?",
        weight=Decimal("50"),
        scale_max=5,
        word_limit=500,
        min_score=Decimal("2"),
        position=2,
    )
    social_weight = Decimal("10") if sub_criteria else Decimal("0")
    _node(competition, kind="price", title="Price", weight=Decimal("100") - quality_weight - social_weight, position=2)
    if sub_criteria:
        social = _node(competition, kind="group", title="Social value", weight=social_weight, position=4)
        _node(
            competition,
            social,
            kind="quality",
            title="Local employment",
            question="How?",
            weight=Decimal("100"),
            scale_max=5,
            word_limit=300,
            position=1,
        )
    _node(competition, kind="pass_fail", title="Cyber Essentials Plus held", question="Do you hold it?", position=3)
    licence = make_price_item(lot, "Licence", basis="per_month", unit="per user per month")
    onboarding = make_price_item(lot, "Onboarding", basis="one_off", unit="per day")
    db.session.add_all(
        [
            PriceScheduleLine(competition=competition, price_item_id=licence.id, quantity=10),
            PriceScheduleLine(competition=competition, price_item_id=onboarding.id, quantity=3),
        ]
    )
    for supplier in suppliers:
        db.session.add(Invitation(competition=competition, supplier_id=supplier.id))
    if published:
        competition.published_at = now - timedelta(days=20)
        competition.published_by_id = creator.id
    if opened:
        confirmer = make_user("buyer", organisation=organisation)  # opening under dual control
        competition.opened_at = competition.opening_started_at = now
        competition.opened_by_id = competition.opening_started_by_id = creator.id
        competition.opening_confirmed_by_id = confirmer.id
    db.session.flush()
    return competition


def leaf_criteria(competition: Competition, kind: str) -> list[CompetitionCriterion]:
    """The competition's criteria of a kind that are answered; quality ones in tree order, without a criterion split
    into sub-criteria (only its sub-criteria are scored)."""
    if kind == "quality":
        return quality_leaves(competition.criteria)
    return [c for c in competition.criteria if c.kind == kind]


def make_bid(
    competition: Competition,
    supplier=None,
    *,
    submitted: bool = True,
    licence_pence: int = 1000,
    onboarding_pence: int = 50000,
    passed: bool = True,
) -> Bid:
    supplier = supplier or make_supplier()
    if not any(i.supplier_id == supplier.id for i in competition.invitations):
        db.session.add(Invitation(competition=competition, supplier_id=supplier.id, response="bidding"))
    bid = Bid(competition_id=competition.id, supplier_id=supplier.id, status="draft")
    db.session.add(bid)
    db.session.flush()
    # Content is stored only sealed (portal/services/bids/crypto.py), as the drafting service stores it.
    for criterion in leaf_criteria(competition, "quality"):
        answer = BidAnswer(bid_id=bid.id, criterion_id=criterion.id)
        crypto.set_answer_text(bid, answer, f"Our answer on {criterion.title}.")
        db.session.add(answer)
    for criterion in leaf_criteria(competition, "pass_fail"):
        answer = BidAnswer(bid_id=bid.id, criterion_id=criterion.id, passed=passed)
        crypto.set_answer_text(bid, answer, "Certificate 123")
        db.session.add(answer)
    lines = sorted(competition.schedule_lines, key=lambda line: line.id)
    for line, pence in ((lines[0], licence_pence), (lines[1], onboarding_pence)):
        price = BidPrice(bid_id=bid.id, line_id=line.id)
        crypto.set_unit_price(bid, price, pence)
        db.session.add(price)
    db.session.flush()
    db.session.refresh(bid)
    if submitted:
        submitter = make_user("supplier", supplier=supplier)
        content = build_content(bid, 1)
        text, digest = serialise(content)
        submission = BidSubmission(
            bid_id=bid.id,
            version=1,
            submitted_at=datetime.now(UTC) - timedelta(days=2),
            submitted_by_id=submitter.id,
            content_sha256=digest,
        )
        crypto.seal_submission(bid, submission, text, content["total_price_pence"])
        db.session.add(submission)
        bid.status = "submitted"
        db.session.flush()
        db.session.refresh(bid)
    return bid


def assign_evaluator(
    competition: Competition, user, *, declared: bool | None = False, criteria=None, conflict_with=()
) -> None:
    """Put `user` on the panel, scoring `criteria` (every quality criterion by default), and declare for every
    invited supplier: declared=False 'no conflict' (except a conflict with each of `conflict_with`), True a conflict
    with every one, None no declaration yet."""
    db.session.add(CompetitionEvaluator(competition_id=competition.id, user_id=user.id, assigned_by_id=user.id))
    for criterion in criteria if criteria is not None else quality_leaves(competition.criteria):
        db.session.add(
            EvaluatorAssignment(
                competition_id=competition.id, user_id=user.id, criterion_id=criterion.id, assigned_by_id=user.id
            )
        )
    if declared is not None:
        conflicted = {s.id for s in conflict_with}
        for invitation in competition.invitations:
            has_conflict = declared or invitation.supplier_id in conflicted
            db.session.add(
                ConflictDeclaration(
                    competition_id=competition.id,
                    user_id=user.id,
                    supplier_id=invitation.supplier_id,
                    has_conflict=has_conflict,
                    details="Former employee of a bidder" if has_conflict else "",
                )
            )
    db.session.flush()


def declare_no_conflict(competition: Competition, supplier, people, role: str = "evaluator") -> None:
    """Record 'no conflict' with `supplier` for each of `people` in `role` (for a bidder added after they declared)."""
    for person in people:
        db.session.add(
            ConflictDeclaration(
                competition_id=competition.id, user_id=person.id, supplier_id=supplier.id, role=role, has_conflict=False
            )
        )
    db.session.flush()


def declare_officers(
    competition: Competition, *people, roles=("opener", "moderator", "recommender", "approver")
) -> None:
    """Record 'no conflict' with every invited supplier for each of `people` in each of `roles`, so they may start or
    confirm the opening, moderate, recommend and approve (portal.services.evaluation.declarations)."""
    for person in people:
        for role in roles:
            for invitation in competition.invitations:
                db.session.add(
                    ConflictDeclaration(
                        competition_id=competition.id,
                        user_id=person.id,
                        supplier_id=invitation.supplier_id,
                        role=role,
                        has_conflict=False,
                    )
                )
    db.session.flush()
