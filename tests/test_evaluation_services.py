"""Evaluation services: opening, scoring, moderation; every transition and refusal (the panel, declarations and
mitigations: tests/test_evaluation_panel.py).

`evaluation_world()` builds the hand-computed example the adapter, results and award tests share:

    Quality 60 % (Channel management 50, Critical incidents 50, both 0-5; Critical incidents minimum 2), Price 40 %
    (relative to the lowest price), pass/fail Cyber Essentials Plus.
    Alpha:   scores 4, 3 -> 24 + 18 = 42 quality; price 270,000p (lowest) -> 40        total 82
    Bravo:   scores 5, 5 -> 60 quality;          price 390,000p -> 270/390 x 40 = 27.69 total 87.69 (winner)
    Charlie: scores 3, 1 -> below the minimum on Critical incidents: disqualified
Alpha's price is 30.77 % below the mean of the other compliant bids (Bravo): abnormally low.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import AuditEvent, ModeratedScore, Score
from portal.models.base import utcnow
from portal.services.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from portal.services.evaluation import moderation, opening, workflow
from portal.services.evaluation.conflicts import ConflictedError, UndeclaredError
from tests.factories import make_framework, make_lot, make_membership, make_organisation, make_supplier, make_user
from tests.factories_competition import assign_evaluator, declare_officers, leaf_criteria, make_bid, make_competition

_worlds = itertools.count(1)
SCORES = {"Alpha": (4, 3), "Bravo": (5, 5), "Charlie": (3, 1)}
# With sub_criteria=True: Publishing (0-5), Monitoring (0-10), Critical incidents (0-5), Local employment (0-5).
SUB_CRITERIA_SCORES = {"Alpha": (4, 6, 3, 2), "Bravo": (5, 9, 5, 4), "Charlie": (3, 5, 1, 3)}


@dataclass
class World:
    competition: object
    buyer: object
    approver: object
    colleague: object  # a second buyer of the organisation: confirms the opening started by `buyer`
    evaluators: list
    bids: dict
    suppliers: dict
    criteria: list
    people: dict = field(default_factory=dict)
    scores: dict = field(default_factory=lambda: SCORES)  # supplier -> moderated score per criterion, in order


def evaluation_world(
    *,
    opened: bool = True,
    evaluators: int = 3,
    declared: bool | None = False,
    officers_declared: bool = True,
    sub_criteria: bool = False,
    **kw,
) -> World:
    n = next(_worlds)
    org = make_organisation(f"Police force {n}")
    today = today_london()  # a live framework: eligibility (recommend, approve, award) needs one
    framework = make_framework(
        regime=kw.pop("regime", "pa2023"), start_on=today - timedelta(days=400), initial_end_on=today + timedelta(700)
    )
    lot = make_lot(framework)
    buyer = make_user("buyer", organisation=org, name="Bea Buyer")
    approver = make_user("approver", organisation=org, name="Ada Approver")
    colleague = make_user("buyer", organisation=org, name="Cole Colleague")
    suppliers = {name: make_supplier(legal_name=f"{name} {n} Ltd", trading_name=name) for name in SCORES}
    for supplier in suppliers.values():
        make_membership(supplier, lot)
    deadline = utcnow() - timedelta(hours=2) if opened is not None else None
    competition = make_competition(
        organisation=org,
        lot=lot,
        creator=buyer,
        suppliers=list(suppliers.values()),
        deadline_at=deadline,
        sub_criteria=sub_criteria,
    )
    if opened:
        competition.opened_at = utcnow() - timedelta(hours=1)
        competition.opening_started_at = competition.opened_at - timedelta(minutes=5)
        competition.opened_by_id = competition.opening_started_by_id = buyer.id
        competition.opening_confirmed_by_id = colleague.id
    prices = {"Alpha": 1000, "Bravo": 2000, "Charlie": 1500}
    bids = {name: make_bid(competition, s, licence_pence=prices[name]) for name, s in suppliers.items()}
    people = [make_user("evaluator", organisation=org, name=f"Eve {i}") for i in range(1, evaluators + 1)]
    for person in people:
        assign_evaluator(competition, person, declared=declared)
    if officers_declared:  # both officers of the opening, the moderator, recommender and approver declared no conflict
        declare_officers(competition, buyer, colleague, approver)
    if opened and people:
        competition.evaluation_started_at = utcnow() - timedelta(minutes=30)
    db.session.commit()
    criteria = leaf_criteria(competition, "quality")
    scores = SUB_CRITERIA_SCORES if sub_criteria else SCORES
    return World(competition, buyer, approver, colleague, people, bids, suppliers, criteria, scores=scores)


def score_all(world: World) -> None:
    """Every evaluator scores (Eve 1 and 2 as SCORES; Eve 3 disagrees on Alpha's Channel management)."""
    for i, person in enumerate(world.evaluators):
        for name, bid in world.bids.items():
            for criterion, value in zip(world.criteria, world.scores[name], strict=True):
                if i == 2 and name == "Alpha" and criterion.title == "Channel management":
                    value = 1
                workflow.record_score(person, world.competition.id, bid.id, criterion.id, str(value), "Because.")


def moderate_all(world: World) -> None:
    for name, bid in world.bids.items():
        for criterion, value in zip(world.criteria, world.scores[name], strict=True):
            moderation.record_moderated_score(
                world.buyer, world.competition.id, bid.id, criterion.id, str(value), f"Agreed {value} for {name}."
            )


def _events(event_type: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event_type == event_type)))


# --- Opening -------------------------------------------------------------------------------------------------------


def test_opening_before_the_deadline_is_refused_with_the_domain_message():
    world = evaluation_world(opened=False)
    world.competition.submission_deadline_at = utcnow() + timedelta(days=1)
    db.session.commit()
    with pytest.raises(ConflictError, match="before the submission deadline"):
        opening.start(world.buyer, world.competition.id)
    assert world.competition.opening_started_at is None and not _events("competition.opening_started")


# The rest of opening under dual control (start, confirm, cancel, lapse) is in tests/test_dual_opening.py.


# --- Scoring -------------------------------------------------------------------------------------------------------


def test_scoring_before_opening_is_refused():
    world = evaluation_world(opened=False)
    bid, criterion = world.bids["Alpha"], world.criteria[0]
    with pytest.raises(ConflictError, match="before they have been opened"):
        workflow.record_score(world.evaluators[0], world.competition.id, bid.id, criterion.id, "3", "Good.")


def test_scoring_with_an_undeclared_conflict_is_refused():
    world = evaluation_world(declared=None)
    bid, criterion = world.bids["Alpha"], world.criteria[0]
    with pytest.raises(UndeclaredError, match="Declare any conflicts"):
        workflow.record_score(world.evaluators[0], world.competition.id, bid.id, criterion.id, "3", "Good.")


def test_scoring_with_a_declared_conflict_is_refused():
    world = evaluation_world(declared=True)
    bid, criterion = world.bids["Alpha"], world.criteria[0]
    with pytest.raises(ConflictedError, match="You declared a conflict of interest with Alpha"):
        workflow.record_score(world.evaluators[0], world.competition.id, bid.id, criterion.id, "3", "Good.")


@pytest.mark.parametrize("raw", ["6", "-1", "2.5", "two", "", None, "NaN"])
def test_scores_outside_the_scale_or_not_whole_are_refused(raw):
    world = evaluation_world()
    bid, criterion = world.bids["Alpha"], world.criteria[0]
    with pytest.raises(ValidationError) as error:
        workflow.record_score(world.evaluators[0], world.competition.id, bid.id, criterion.id, raw, "Good.")
    assert error.value.field == "score"
    assert db.session.scalar(select(Score)) is None


def test_a_justification_is_required():
    world = evaluation_world()
    bid, criterion = world.bids["Alpha"], world.criteria[0]
    with pytest.raises(ValidationError, match="justification") as error:
        workflow.record_score(world.evaluators[0], world.competition.id, bid.id, criterion.id, "3", "   ")
    assert error.value.field == "justification"


def test_scores_are_recorded_changed_with_before_and_after_and_kept_private():
    world = evaluation_world()
    eve, other = world.evaluators[0], world.evaluators[1]
    bid, criterion = world.bids["Alpha"], world.criteria[0]
    workflow.record_score(eve, world.competition.id, bid.id, criterion.id, "3", "Solid.")
    workflow.record_score(eve, world.competition.id, bid.id, criterion.id, "4", "Better on reflection.")
    row = workflow.own_score(eve, bid.id, criterion.id)
    assert row.score == Decimal("4") and row.justification == "Better on reflection."
    (changed,) = _events("score.changed")
    assert '"score":"3"' in changed.before_json and '"score":"4"' in changed.after_json
    assert workflow.scoring_sheet(other, world.competition).done == 0
    assert workflow.scoring_sheet(eve, world.competition).done == 1
    assert workflow.scoring_sheet(eve, world.competition).total == 6


def test_scoring_a_criterion_of_another_competition_is_not_found():
    world = evaluation_world()
    other = make_competition(organisation=world.buyer.buyer_organisation)
    db.session.commit()
    foreign = leaf_criteria(other, "quality")[0]
    with pytest.raises(NotFoundError):
        workflow.record_score(world.evaluators[0], world.competition.id, world.bids["Alpha"].id, foreign.id, "3", "x")


# --- Moderation ----------------------------------------------------------------------------------------------------


def test_disagreement_is_flagged_above_forty_percent_of_the_scale():
    world = evaluation_world()
    score_all(world)
    board = moderation.board(world.buyer, world.competition)
    flagged = [key for key, cell in board.cells.items() if cell.disagreement]
    assert flagged == [(world.bids["Alpha"].id, world.criteria[0].id)]  # 4, 4, 1: spread 3 > 2
    assert len(board.cells[flagged[0]].scores) == 3


def test_moderation_is_complete_only_when_every_bid_and_criterion_has_a_score():
    world = evaluation_world()
    score_all(world)
    bid, criterion = world.bids["Alpha"], world.criteria[0]
    moderation.record_moderated_score(world.buyer, world.competition.id, bid.id, criterion.id, "4", "Panel agreed.")
    with pytest.raises(ValidationError, match="5 still to do"):
        moderation.complete_moderation(world.buyer, world.competition.id)
    moderate_all(world)
    competition = moderation.complete_moderation(world.buyer, world.competition.id)
    assert competition.moderated_at is not None and competition.moderated_by_id == world.buyer.id
    assert _events("competition.moderation_completed")
    assert db.session.scalar(select(Score.id).limit(1)) is not None  # individual scores stay on record
    with pytest.raises(ConflictError, match="moderated"):
        workflow.record_score(world.evaluators[0], world.competition.id, bid.id, criterion.id, "2", "Too late.")
    with pytest.raises(ConflictError):
        moderation.record_moderated_score(world.buyer, world.competition.id, bid.id, criterion.id, "2", "Late.")


def test_moderated_score_needs_a_rationale_and_a_valid_score():
    world = evaluation_world()
    bid, criterion = world.bids["Alpha"], world.criteria[0]
    with pytest.raises(ValidationError, match="rationale"):
        moderation.record_moderated_score(world.buyer, world.competition.id, bid.id, criterion.id, "3", "")
    with pytest.raises(ValidationError) as error:
        moderation.record_moderated_score(world.buyer, world.competition.id, bid.id, criterion.id, "9", "Hm.")
    assert error.value.field == "score"
    moderation.record_moderated_score(world.buyer, world.competition.id, bid.id, criterion.id, "3", "Agreed.")
    moderation.record_moderated_score(world.buyer, world.competition.id, bid.id, criterion.id, "2", "Revisited.")
    assert db.session.scalar(select(ModeratedScore)).score == Decimal("2")
    assert _events("score.moderated") and _events("score.moderated_changed")


def test_evaluators_cannot_moderate():
    world = evaluation_world()
    bid, criterion = world.bids["Alpha"], world.criteria[0]
    with pytest.raises(PermissionDeniedError):
        moderation.record_moderated_score(world.evaluators[0], world.competition.id, bid.id, criterion.id, "3", "x")


def test_other_organisations_cannot_see_the_competition():
    world = evaluation_world()
    stranger = make_user("buyer", organisation=make_organisation())
    db.session.commit()
    with pytest.raises(NotFoundError):
        moderation.complete_moderation(stranger, world.competition.id)
