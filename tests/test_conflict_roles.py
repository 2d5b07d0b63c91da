"""Everyone who influences the decision declares before acting (PA 2023 s.81-83; PCR 2015 reg 24): the officers
who start and confirm the opening (against the invited suppliers, before the seal is broken), the moderator, the
recommender and the approver (per bidding supplier). Each action is refused without a declaration or with an
unmitigated conflict, and allowed once another officer (never the declarant) records a mitigation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, ConflictDeclaration
from portal.services.errors import ConflictError, PermissionDeniedError
from portal.services.evaluation import award, declarations, moderation, opening, panel
from portal.services.evaluation.declarations import ConflictedActorError, DeclarationRequired
from tests.factories import make_user
from tests.test_award_services import moderated_world, recommended_world
from tests.test_evaluation_services import evaluation_world, moderate_all, score_all


def _answers(world, conflict_with=()):
    return {
        s.id: ("yes", "Former employee") if name in conflict_with else ("no", "") for name, s in world.suppliers.items()
    }


def _mitigate(world, person, role, officer):
    row = db.session.scalar(
        select(ConflictDeclaration).where(
            ConflictDeclaration.user_id == person.id,
            ConflictDeclaration.role == role,
            ConflictDeclaration.has_conflict.is_(True),
        )
    )
    return panel.record_mitigation(officer, world.competition.id, row.id, "Supervised by the head of procurement.")


def _open(world):
    opening.start(world.buyer, world.competition.id)
    return opening.confirm(world.colleague, world.competition.id)


def _moderate(world):
    moderate_all(world)


def _recommend(world):
    return award.recommend(world.buyer, world.competition.id, world.bids["Bravo"].id)


def _approve(world):
    return award.approve(world.approver, world.competition.id)


def _world(role):
    """A world just before `role` acts, with nobody having declared in that role."""
    if role == "opener":
        world = evaluation_world(opened=False, officers_declared=False)
        declarations.declare(world.colleague, world.competition.id, "opener", _answers(world))
        return world
    if role == "moderator":
        world = evaluation_world(officers_declared=False)
        score_all(world)
        return world
    world = (moderated_world if role == "recommender" else recommended_world)()
    db.session.execute(db.delete(ConflictDeclaration).where(ConflictDeclaration.role == role))
    db.session.commit()
    return world


ACTS = {"opener": _open, "moderator": _moderate, "recommender": _recommend, "approver": _approve}


def _actor(world, role):
    return world.approver if role == "approver" else world.buyer


@pytest.mark.parametrize("role", ["opener", "moderator", "recommender", "approver"])
def test_each_action_is_refused_without_a_declaration_then_with_a_conflict_until_another_officer_mitigates(role):
    world = _world(role)
    actor = _actor(world, role)
    with pytest.raises(DeclarationRequired, match="must declare any conflict of interest") as refused:
        ACTS[role](world)
    assert refused.value.role == role
    declarations.declare(actor, world.competition.id, role, _answers(world, conflict_with=("Alpha",)))
    with pytest.raises(ConflictedActorError, match="declared a conflict of interest with Alpha"):
        ACTS[role](world)
    with pytest.raises(PermissionDeniedError, match="your own conflict"):
        _mitigate(world, actor, role, actor)
    other = make_user("buyer", organisation=world.buyer.buyer_organisation, name="Olive Officer")
    db.session.commit()
    _mitigate(world, actor, role, other)
    ACTS[role](world)
    events = db.session.scalars(select(AuditEvent.event_type).where(AuditEvent.event_type.like("%conflict%"))).all()
    assert "competition.conflict_declared" in events and "competition.conflict_mitigated" in events


def test_the_confirming_officer_declares_too_before_the_bids_are_opened():
    world = evaluation_world(opened=False, officers_declared=False)
    declarations.declare(world.buyer, world.competition.id, "opener", _answers(world))
    opening.start(world.buyer, world.competition.id)
    with pytest.raises(DeclarationRequired, match="Cole Colleague must declare"):
        opening.confirm(world.colleague, world.competition.id)
    assert world.competition.opened_at is None
    declarations.declare(world.colleague, world.competition.id, "opener", _answers(world))
    assert opening.confirm(world.colleague, world.competition.id).opened_at is not None


def test_the_opener_declares_against_the_invited_suppliers_not_the_bidders():
    world = evaluation_world(opened=False, officers_declared=False)
    invited = {i.supplier_id for i in world.competition.invitations}
    assert {s.id for s in declarations.suppliers_for(world.competition, "opener")} == invited
    # Before the opening nobody else can declare: who bid is sealed.
    assert declarations.suppliers_for(world.competition, "moderator") == []
    with pytest.raises(ConflictError, match="once the bids have been opened"):
        declarations.declare(world.buyer, world.competition.id, "moderator", _answers(world))


def test_a_conflict_declared_without_details_is_refused_and_nothing_is_recorded():
    world = evaluation_world(opened=False, officers_declared=False)
    answers = _answers(world) | {world.suppliers["Alpha"].id: ("yes", " ")}
    with pytest.raises(declarations.DeclarationIncomplete) as refused:
        declarations.declare(world.buyer, world.competition.id, "opener", answers)
    assert refused.value.problems[0].field == f"details_{world.suppliers['Alpha'].id}"
    assert db.session.scalar(select(ConflictDeclaration.id).where(ConflictDeclaration.role == "opener")) is None


def test_only_an_approver_declares_as_approver_and_evaluators_cannot_declare_as_moderator():
    world = evaluation_world()
    with pytest.raises(PermissionDeniedError):
        declarations.declare(world.buyer, world.competition.id, "approver", _answers(world))
    with pytest.raises(PermissionDeniedError):
        declarations.declare(world.evaluators[0], world.competition.id, "moderator", _answers(world))


def test_the_same_person_declares_separately_in_each_capacity():
    world = evaluation_world(officers_declared=False)
    declarations.declare(world.buyer, world.competition.id, "moderator", _answers(world))
    assert declarations.problem(world.buyer, world.competition, "moderator") is None
    assert declarations.problem(world.buyer, world.competition, "recommender") is not None
    moderation_rows = declarations.competition_record(world.competition, include_evaluators=False)
    assert {r.role for r in moderation_rows} == {"moderator"}


def test_completing_moderation_needs_the_moderators_declaration():
    world = evaluation_world()
    score_all(world)
    moderate_all(world)
    db.session.execute(db.delete(ConflictDeclaration).where(ConflictDeclaration.role == "moderator"))
    db.session.commit()
    with pytest.raises(DeclarationRequired):
        moderation.complete_moderation(world.buyer, world.competition.id)
