"""Opening the bids under dual control (four eyes, both signed in).

An officer of the buying organisation STARTS the opening after the deadline (a pending request: who and when); a
second, different officer of the same organisation CONFIRMS it in their own session within OPENING_CONFIRM_MINUTES;
only the confirmation opens the bids (lifecycle OPEN_BIDS), naming both officers in the competition and in the audit
event. Either may cancel a pending request; one nobody confirms in time lapses and must be started again. Both
officers must have declared against the invited suppliers (declarations "opener"). The rules are
portal.domain.opening; confirmation locks the competition row so two confirmations cannot open twice.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from portal.domain.competition_lifecycle import Action, state_refusal
from portal.domain.opening import OpeningRequest, confirm_refusal, start_refusal
from portal.extensions import db
from portal.models import Competition, User
from portal.models.base import utcnow
from portal.services import audit
from portal.services.bids import seal
from portal.services.competitions import access
from portal.services.errors import ConflictError
from portal.services.evaluation import declarations, handoffs
from portal.services.evaluation.workflow import (
    officer_competition,
    start_evaluation_if_ready,
    submitted_bids,
    transition,
)


def window_minutes() -> int:
    return int(current_app.config.get("OPENING_CONFIRM_MINUTES", 30))


def request_of(competition: Competition) -> OpeningRequest | None:
    """The started opening waiting for confirmation (lapsed or not), or None once opened or if none was started."""
    c = competition
    if c.opened_at is not None or c.opening_started_at is None or c.opening_started_by_id is None:
        return None
    return OpeningRequest(c.opening_started_by_id, c.opening_started_at, window_minutes())


def live_request(competition: Competition, now: datetime | None = None) -> OpeningRequest | None:
    """The started opening a colleague may still confirm now, or None."""
    request = request_of(competition)
    return request if request is not None and not request.lapsed(now or utcnow()) else None


def start(user: User, competition_id: int) -> Competition:
    competition = officer_competition(user, competition_id, for_update=True)
    now = utcnow()
    if message := state_refusal(access.facts(competition), Action.OPEN_BIDS, now):
        raise ConflictError(message)
    if message := start_refusal(request_of(competition), user.id, now):
        raise ConflictError(message)
    declarations.require(user, competition, "opener")
    competition.opening_started_at, competition.opening_started_by_id = now, user.id
    request = request_of(competition)
    assert request is not None
    audit.record(
        user,
        "competition.opening_started",
        "competition",
        competition.id,
        summary=f"{user.name} started the opening of the bids; a colleague must confirm it",
        after={"started_by": user.id, "started_at": now, "confirm_by": request.confirm_by},
    )
    db.session.commit()
    return competition


def confirm(user: User, competition_id: int) -> Competition:
    # The row lock makes a second confirmation wait, then find the bids opened and be refused.
    competition = officer_competition(user, competition_id, for_update=True)
    now = utcnow()
    if message := state_refusal(access.facts(competition), Action.OPEN_BIDS, now):
        raise ConflictError(message)
    request = request_of(competition)
    if message := confirm_refusal(request, user.id, now):
        raise ConflictError(message)
    assert request is not None
    starter = db.session.get_one(User, request.started_by_id)
    if not starter.active or starter.buyer_organisation_id != competition.buyer_organisation_id:
        raise ConflictError(f"{starter.name} can no longer open bids here: cancel this opening and start it again")
    # Both officers declared against the invited suppliers (who bid is still sealed), checked before anything changes.
    declarations.require(starter, competition, "opener")
    declarations.require(user, competition, "opener")
    transition(competition, Action.OPEN_BIDS, now, actor_id=starter.id, confirmer_id=user.id)
    competition.opened_by_id, competition.opening_confirmed_by_id = starter.id, user.id
    opened = [(bid, seal.latest_submission(bid)) for bid in submitted_bids(competition)]
    hashes = {bid.supplier.short_name: sub.content_sha256 for bid, sub in opened if sub is not None}
    started = start_evaluation_if_ready(user, competition, now)
    audit.record(
        user,
        "competition.bids_opened",
        "competition",
        competition.id,
        summary=f"{starter.name} opened {len(hashes)} bids, confirmed by {user.name}",
        after={
            "opened_at": now,
            "opened_by": starter.id,
            "confirmed_by": user.id,
            "opening_started_at": request.started_at,
            "bid_count": len(hashes),
            "content_sha256": hashes,
            "evaluation_started": started,
        },
    )
    handoffs.bids_opened(competition, len(hashes))
    db.session.commit()
    return competition


def cancel(user: User, competition_id: int) -> Competition:
    """Withdraw a started opening (the starter or any colleague who could confirm it)."""
    competition = officer_competition(user, competition_id, for_update=True)
    request = request_of(competition)
    if request is None:
        raise ConflictError("There is no opening of the bids waiting for confirmation")
    audit.record(
        user,
        "competition.opening_cancelled",
        "competition",
        competition.id,
        summary=f"{user.name} cancelled the opening of the bids started by user {request.started_by_id}",
        before={"started_by": request.started_by_id, "started_at": request.started_at},
        after={"cancelled_by": user.id, "lapsed": request.lapsed(utcnow())},
    )
    competition.opening_started_at = competition.opening_started_by_id = None
    db.session.commit()
    return competition
