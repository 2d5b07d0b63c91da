"""Returning a recommended award to the buyer with a comment (issue 15: approvals that can send work back).

An approver of the buying organisation, not the recommender, returns the recommendation with a comment saying what
to change. The recommendation is cleared (the competition is moderated again, so the buyer can revise and recommend
again); the history keeps it, the return and its comment (portal.services.approvals), and the evaluation report
lists every step.
"""

from __future__ import annotations

from portal.domain.competition_lifecycle import Action
from portal.domain.roles import Role
from portal.extensions import db
from portal.models import Bid, Competition, User
from portal.models.base import utcnow
from portal.services import approvals, audit
from portal.services.errors import ConflictError, PermissionDeniedError, ValidationError
from portal.services.evaluation import award_notices
from portal.services.evaluation.workflow import officer_competition, refusal, transition


def return_award(user: User, competition_id: int, comment: str) -> Competition:
    if user.role != Role.APPROVER:
        raise PermissionDeniedError("Only an approver can return an award")
    competition = officer_competition(user, competition_id, for_update=True)
    comment = (comment or "").strip()
    now = utcnow()
    # The state first (nothing to return unless an award waits for approval), then who, then the comment.
    if message := refusal(competition, Action.RETURN_AWARD, now, actor_id=user.id, reason=comment or "-"):
        raise ConflictError(message)
    if not comment:
        raise ValidationError("Enter a comment saying what the buyer should change", field="comment")
    bid = db.session.get(Bid, competition.recommended_bid_id) if competition.recommended_bid_id else None
    recommender = db.session.get(User, competition.recommended_by_id) if competition.recommended_by_id else None
    before = {
        "recommended_at": competition.recommended_at,
        "recommended_by_id": competition.recommended_by_id,
        "bid_id": competition.recommended_bid_id,
        "note": competition.recommendation_note,
    }
    transition(competition, Action.RETURN_AWARD, now, actor_id=user.id, reason=comment)
    competition.recommended_by_id = None
    competition.recommended_bid_id = None
    competition.recommendation_note = ""
    audit.record(
        user,
        "competition.award_returned",
        "competition",
        competition.id,
        summary=f"{user.name} returned the award recommendation"
        + (f" (to {bid.supplier.short_name})" if bid else "")
        + " to the buyer",
        before=before,
        after={"comment": comment},
    )
    approvals.record(
        user, "return", competition_id=competition.id, comment=comment, bid_id=bid.id if bid else None, at=now
    )
    award_notices.returned(user, competition, recommender, comment)
    db.session.commit()
    return competition
