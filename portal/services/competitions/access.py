"""Who may see which competition, and the competition's lifecycle state from its stored facts.

Visibility:
- buyer-side users (buyer, approver, evaluator) see only their own organisation's competitions;
  evaluators only those they are assigned to;
- suppliers see a competition only once it is published and only if they were invited;
- framework staff see every competition's process (never sealed bid content: see bid_access).
Anything a user may not see answers 404, so the existence of another organisation's
competition is not revealed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select

from portal.domain.competition_lifecycle import CompetitionFacts, CompetitionState, state_of
from portal.extensions import db
from portal.models import Competition, CompetitionEvaluator, Invitation, User
from portal.models.base import utcnow
from portal.services.errors import NotFoundError, PermissionDeniedError


def facts(competition: Competition) -> CompetitionFacts:
    c = competition
    return CompetitionFacts(
        deadline_at=c.submission_deadline_at,
        published_at=c.published_at,
        opened_at=c.opened_at,
        evaluation_started_at=c.evaluation_started_at,
        moderated_at=c.moderated_at,
        recommended_at=c.recommended_at,
        recommended_by=c.recommended_by_id,
        approved_at=c.approved_at,
        approved_by=c.approved_by_id,
        standstill_started_at=c.standstill_started_at,
        standstill_ends_at=c.standstill_ends_at,
        awarded_at=c.awarded_at,
        cancelled_at=c.cancelled_at,
        cancel_reason=c.cancel_reason,
    )


def state(competition: Competition, now: datetime | None = None) -> CompetitionState:
    return state_of(facts(competition), now or utcnow())


def visible_competitions(user: User) -> Select:
    query = select(Competition)
    if user.is_staff:
        return query
    if user.is_supplier:
        return query.join(Invitation, Invitation.competition_id == Competition.id).where(
            Invitation.supplier_id == user.supplier_id, Competition.published_at.is_not(None)
        )
    if user.role == "evaluator":
        return query.join(CompetitionEvaluator, CompetitionEvaluator.competition_id == Competition.id).where(
            CompetitionEvaluator.user_id == user.id,
            Competition.buyer_organisation_id == user.buyer_organisation_id,
        )
    return query.where(Competition.buyer_organisation_id == user.buyer_organisation_id)


def get_visible(user: User, competition_id: int, *, for_update: bool = False) -> Competition:
    query = visible_competitions(user).where(Competition.id == competition_id)
    if for_update:
        query = query.with_for_update(of=Competition)
    competition = db.session.scalar(query)
    if competition is None:
        raise NotFoundError("Competition not found")
    return competition


def get_for_officer(user: User, competition_id: int, *, for_update: bool = False) -> Competition:
    """A competition the user may run: a buyer or approver of the owning organisation."""
    if not user.is_procurement_officer:
        raise PermissionDeniedError("Only the buying organisation's procurement officers can do this.")
    return get_visible(user, competition_id, for_update=for_update)


def invitation_for(user: User, competition: Competition) -> Invitation:
    invitation = db.session.scalar(
        select(Invitation).where(
            Invitation.competition_id == competition.id, Invitation.supplier_id == user.supplier_id
        )
    )
    if invitation is None:
        raise NotFoundError("Competition not found")
    return invitation


def is_assigned_evaluator(user: User, competition: Competition) -> bool:
    return (
        db.session.scalar(
            select(CompetitionEvaluator.id).where(
                CompetitionEvaluator.competition_id == competition.id, CompetitionEvaluator.user_id == user.id
            )
        )
        is not None
    )
