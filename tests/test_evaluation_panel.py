"""The evaluation panel: evaluators assigned per criterion, declarations per bidding supplier, mitigations, and the
refusals that follow from them (portal.services.evaluation_panel, portal.services.conflicts)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import CompetitionEvaluator, ConflictDeclaration, EvaluatorAssignment
from portal.services.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from portal.services.evaluation import moderation, panel, workflow
from portal.services.evaluation.conflicts import ConflictedError, UnassignedCriterionError, UndeclaredError
from tests.factories import make_organisation, make_user
from tests.factories_competition import assign_evaluator
from tests.test_evaluation_services import _events, evaluation_world


def _answers(world, **conflicts):
    """'no' for every bidder, except {trading name: details} which are 'yes'."""
    return {s.id: ("yes", conflicts[name]) if name in conflicts else ("no", "") for name, s in world.suppliers.items()}


def _declaration(world, person, name):
    return db.session.scalar(
        select(ConflictDeclaration).where(
            ConflictDeclaration.user_id == person.id,
            ConflictDeclaration.supplier_id == world.suppliers[name].id,
            ConflictDeclaration.role == "evaluator",
        )
    )


# --- Assignment ----------------------------------------------------------------------------------------------------


def test_first_evaluator_assigned_after_opening_starts_evaluation():
    world = evaluation_world(evaluators=0)
    person = make_user("evaluator", organisation=world.buyer.buyer_organisation)
    db.session.commit()
    assert world.competition.evaluation_started_at is None
    panel.assign_evaluator(world.buyer, world.competition.id, person.id)
    assert world.competition.evaluation_started_at is not None
    assert _events("competition.evaluator_assigned") and _events("competition.evaluation_started")
    assert len(db.session.scalars(select(EvaluatorAssignment)).all()) == len(world.criteria)  # all by default
    with pytest.raises(ValidationError, match="already an evaluator"):
        panel.assign_evaluator(world.buyer, world.competition.id, person.id)
    with pytest.raises(ValidationError, match="from your organisation"):
        panel.assign_evaluator(world.buyer, world.competition.id, make_user("evaluator").id)


def test_evaluators_are_assigned_to_chosen_criteria_and_at_least_one():
    world = evaluation_world(evaluators=0)
    person = make_user("evaluator", organisation=world.buyer.buyer_organisation)
    db.session.commit()
    with pytest.raises(ValidationError, match="Select the criteria") as error:
        panel.assign_evaluator(world.buyer, world.competition.id, person.id, [])
    assert error.value.field == "criterion_ids"
    panel.assign_evaluator(world.buyer, world.competition.id, person.id, [world.criteria[1].id])
    (row,) = panel.evaluator_rows(world.competition)
    assert row.criteria == [world.criteria[1]]
    panel.set_criteria(world.buyer, world.competition.id, person.id, [c.id for c in world.criteria])
    assert panel.evaluator_rows(world.competition)[0].criteria == world.criteria
    assert _events("competition.evaluator_criteria_changed")


def test_a_scored_criterion_stays_assigned():
    world = evaluation_world()
    eve, bid = world.evaluators[0], world.bids["Alpha"]
    workflow.record_score(eve, world.competition.id, bid.id, world.criteria[0].id, "3", "Fine.")
    with pytest.raises(ConflictError, match="already scored Channel management"):
        panel.set_criteria(world.buyer, world.competition.id, eve.id, [world.criteria[1].id])


def test_evaluators_score_only_their_assigned_criteria():
    world = evaluation_world(evaluators=0)
    eve = make_user("evaluator", organisation=world.buyer.buyer_organisation)
    assign_evaluator(world.competition, eve, criteria=[world.criteria[0]])
    world.competition.evaluation_started_at = world.competition.opened_at
    db.session.commit()
    bid = world.bids["Alpha"]
    with pytest.raises(UnassignedCriterionError, match="not assigned to score Critical incidents"):
        workflow.record_score(eve, world.competition.id, bid.id, world.criteria[1].id, "3", "Good.")
    workflow.record_score(eve, world.competition.id, bid.id, world.criteria[0].id, "3", "Good.")
    sheet = workflow.scoring_sheet(eve, world.competition)
    assert sheet.criteria == [world.criteria[0]] and sheet.total == 3


# --- Declarations --------------------------------------------------------------------------------------------------


def test_every_bidding_supplier_must_be_answered_and_a_conflict_needs_details():
    world = evaluation_world(declared=None)
    eve, alpha = world.evaluators[0], world.suppliers["Alpha"]
    with pytest.raises(ValidationError, match="Select yes") as error:
        panel.declare_conflicts(eve, world.competition.id, {alpha.id: ("no", "")})
    assert error.value.field.startswith("conflict_")
    with pytest.raises(ValidationError, match="details") as error:
        panel.declare_conflicts(eve, world.competition.id, _answers(world, Alpha="  "))
    assert error.value.field == f"details_{alpha.id}"
    assert (
        db.session.scalar(select(ConflictDeclaration.id).where(ConflictDeclaration.role == "evaluator")) is None
    )  # nothing half-recorded
    made = panel.declare_conflicts(eve, world.competition.id, _answers(world, Alpha="My brother works at Alpha"))
    assert len(made) == 3 and [d.has_conflict for d in made].count(True) == 1
    assert _events("competition.conflict_declared")
    with pytest.raises(ConflictError, match="already declared"):
        panel.declare_conflicts(eve, world.competition.id, _answers(world))


def test_declaring_waits_for_the_opening():
    world = evaluation_world(opened=None, declared=None)  # no deadline: still a draft
    with pytest.raises(ConflictError, match="once the bids have been opened"):
        panel.declare_conflicts(world.evaluators[0], world.competition.id, _answers(world))
    closed = evaluation_world(opened=False, declared=None)  # the seal: who bid is unknown until the opening
    with pytest.raises(ConflictError, match="once the bids have been opened"):
        panel.declare_conflicts(closed.evaluators[0], closed.competition.id, _answers(closed))


def test_unassigned_users_cannot_declare():
    world = evaluation_world()
    with pytest.raises(NotFoundError):
        panel.declare_conflicts(world.approver, world.competition.id, _answers(world))


def test_an_undeclared_evaluator_sees_no_bid_until_every_bidder_is_declared():
    world = evaluation_world(declared=None)
    eve = world.evaluators[0]
    assert workflow.scoring_sheet(eve, world.competition).bids == []
    with pytest.raises(UndeclaredError):
        workflow.record_score(eve, world.competition.id, world.bids["Alpha"].id, world.criteria[0].id, "3", "x")


def test_a_conflict_removes_the_evaluator_from_that_bid_only():
    world = evaluation_world(declared=None)
    eve = world.evaluators[0]
    panel.declare_conflicts(eve, world.competition.id, _answers(world, Bravo="Former employee of Bravo"))
    sheet = workflow.scoring_sheet(eve, world.competition)
    assert {b.supplier.trading_name for b in sheet.bids} == {"Alpha", "Charlie"}
    assert [b.supplier.trading_name for b in sheet.withheld] == ["Bravo"]
    with pytest.raises(ConflictedError, match="conflict of interest with Bravo"):
        workflow.record_score(eve, world.competition.id, world.bids["Bravo"].id, world.criteria[0].id, "3", "x")
    workflow.record_score(eve, world.competition.id, world.bids["Alpha"].id, world.criteria[0].id, "3", "Fine.")


# --- Mitigation ----------------------------------------------------------------------------------------------------


def test_a_mitigation_by_the_buyer_lets_the_evaluator_score_that_bid():
    world = evaluation_world(declared=None)
    eve, bravo = world.evaluators[0], world.bids["Bravo"]
    panel.declare_conflicts(eve, world.competition.id, _answers(world, Bravo="Former employee of Bravo"))
    declaration = _declaration(world, eve, "Bravo")
    with pytest.raises(ValidationError, match="how the conflict"):
        panel.record_mitigation(world.buyer, world.competition.id, declaration.id, " ")
    panel.record_mitigation(world.buyer, world.competition.id, declaration.id, "Left Bravo five years ago.")
    assert declaration.mitigated_by_id == world.buyer.id and declaration.mitigated_at is not None
    assert _events("competition.conflict_mitigated")
    workflow.record_score(eve, world.competition.id, bravo.id, world.criteria[0].id, "4", "Strong.")
    with pytest.raises(ConflictError, match="already been recorded"):
        panel.record_mitigation(world.buyer, world.competition.id, declaration.id, "Again.")


def test_an_evaluator_cannot_mitigate_their_own_conflict():
    world = evaluation_world(evaluators=0)
    assign_evaluator(world.competition, world.colleague, conflict_with=[world.suppliers["Alpha"]])  # a buyer
    db.session.commit()
    declaration = _declaration(world, world.colleague, "Alpha")
    with pytest.raises(PermissionDeniedError, match="your own conflict"):
        panel.record_mitigation(world.colleague, world.competition.id, declaration.id, "I am impartial.")
    assert declaration.mitigation is None


def test_only_officers_of_the_organisation_can_mitigate():
    world = evaluation_world(declared=True)
    declaration = _declaration(world, world.evaluators[0], "Alpha")
    with pytest.raises(PermissionDeniedError):
        panel.record_mitigation(world.evaluators[1], world.competition.id, declaration.id, "Fine by me.")
    stranger = make_user("buyer", organisation=make_organisation())
    db.session.commit()
    with pytest.raises(NotFoundError):
        panel.record_mitigation(stranger, world.competition.id, declaration.id, "Fine by me.")
    no_conflict = evaluation_world()
    plain = _declaration(no_conflict, no_conflict.evaluators[0], "Alpha")
    with pytest.raises(ConflictError, match="nothing to mitigate"):
        panel.record_mitigation(no_conflict.buyer, no_conflict.competition.id, plain.id, "x")


def test_moderation_counts_the_evaluators_who_scored():
    world = evaluation_world(declared=None)
    for i, eve in enumerate(world.evaluators):
        panel.declare_conflicts(eve, world.competition.id, _answers(world, **({"Alpha": "Shares"} if i == 2 else {})))
    bid, criterion = world.bids["Alpha"], world.criteria[0]
    for eve, value in zip(world.evaluators[:2], ("4", "1"), strict=True):
        workflow.record_score(eve, world.competition.id, bid.id, criterion.id, value, "Because.")
    cell = moderation.board(world.buyer, world.competition).cells[(bid.id, criterion.id)]
    assert len(cell.scores) == 2 and cell.disagreement  # 4 and 1 on 0-5: spread 3 > 2


# --- Removal -------------------------------------------------------------------------------------------------------


def test_conflicted_evaluator_can_be_removed_and_replaced():
    world = evaluation_world(declared=True)
    eve = world.evaluators[0]
    panel.remove_evaluator(world.buyer, world.competition.id, eve.id)
    for model in (CompetitionEvaluator, ConflictDeclaration, EvaluatorAssignment):
        assert db.session.scalar(select(model).where(model.user_id == eve.id)) is None
    assert _events("competition.evaluator_removed")


def test_an_evaluator_who_scored_cannot_be_removed():
    world = evaluation_world()
    bid, criterion = world.bids["Alpha"], world.criteria[0]
    workflow.record_score(world.evaluators[0], world.competition.id, bid.id, criterion.id, "3", "Fine.")
    with pytest.raises(ConflictError, match="stay on record"):
        panel.remove_evaluator(world.buyer, world.competition.id, world.evaluators[0].id)
