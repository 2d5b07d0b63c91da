"""The mini-competition lifecycle: a pure state machine over stored timestamps.

The state is derived, never stored (portal/domain/competition_state.py: the states, `CompetitionFacts`,
`state_of`, `standstill_over`, `bids_opened`; imported from here too, so this module is the one to ask).

Actions and when each is allowed (`check_transition` raises `TransitionError` with a message a user can read;
`apply` returns the facts after an action):
    publish              draft, with a submission deadline in the future
    extend_deadline      published (so before the deadline), to a later deadline, with a reason
    submit_bid, amend_bid, withdraw_bid    published only: at or after the deadline they are refused
    open_bids            closed (deadline passed); started by one officer, confirmed by another (four eyes)
    start_evaluation     opened
    complete_moderation  in evaluation
    recommend_award      moderated; the recommender is recorded
    approve_award        award recommended; the approver must not be the recommender
    return_award         award recommended; an approver other than the recommender sends it back to the buyer with a
                         comment, clearing the recommendation so the buyer can revise it (moderated again)
    start_standstill     approved; with the standstill end (see portal.domain.working_days.standstill_end), at the
                         instant it starts (`now`: PCR 2015 approval or the letters, PA 2023 the award notice's
                         publication). An end equal to the start means no standstill applies. A service may
                         approve and start the standstill in one transaction: `apply` twice.
    confirm_award        standstill, once the standstill has ended
    cancel               any state before awarded, with a reason
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum

from portal.domain.competition_state import (
    LIFECYCLE,
    STATE_LABELS,
    CompetitionFacts,
    CompetitionState,
    S,
    bids_opened,
    deadline_passed,
    standstill_over,
    state_of,
)
from portal.domain.timefmt import format_datetime

# The state's names are this module's too: callers ask the lifecycle, whichever module holds the rule.
__all__ = [
    "BID_ACTIONS",
    "LIFECYCLE",
    "REQUIRED_STATE",
    "STATE_LABELS",
    "Action",
    "CompetitionFacts",
    "CompetitionState",
    "TransitionError",
    "apply",
    "bids_opened",
    "check_transition",
    "deadline_passed",
    "standstill_over",
    "state_of",
]


# How a refusal describes the current state: "... because the competition is <description>".
_STATE_DESCRIPTIONS = {
    S.DRAFT: "still a draft",
    S.PUBLISHED: "open for bids",
    S.CLOSED: "closed and its bids have not been opened",
    S.OPENED: "opened and evaluation has not started",
    S.IN_EVALUATION: "in evaluation",
    S.MODERATED: "moderated and no award has been recommended",
    S.AWARD_RECOMMENDED: "waiting for the recommended award to be approved",
    S.APPROVED: "approved and the standstill period has not started",
    S.STANDSTILL: "in its standstill period",
    S.AWARDED: "awarded",
    S.CANCELLED: "cancelled",
}


class Action(StrEnum):
    PUBLISH = "publish"
    EXTEND_DEADLINE = "extend_deadline"
    SUBMIT_BID = "submit_bid"
    AMEND_BID = "amend_bid"
    WITHDRAW_BID = "withdraw_bid"
    OPEN_BIDS = "open_bids"
    START_EVALUATION = "start_evaluation"
    COMPLETE_MODERATION = "complete_moderation"
    RECOMMEND_AWARD = "recommend_award"
    APPROVE_AWARD = "approve_award"
    RETURN_AWARD = "return_award"
    START_STANDSTILL = "start_standstill"
    CONFIRM_AWARD = "confirm_award"
    CANCEL = "cancel"


BID_ACTIONS = frozenset({Action.SUBMIT_BID, Action.AMEND_BID, Action.WITHDRAW_BID})

# The state each action needs; CANCEL is allowed in every state before AWARDED.
REQUIRED_STATE = {
    Action.PUBLISH: S.DRAFT,
    Action.EXTEND_DEADLINE: S.PUBLISHED,
    Action.SUBMIT_BID: S.PUBLISHED,
    Action.AMEND_BID: S.PUBLISHED,
    Action.WITHDRAW_BID: S.PUBLISHED,
    Action.OPEN_BIDS: S.CLOSED,
    Action.START_EVALUATION: S.OPENED,
    Action.COMPLETE_MODERATION: S.IN_EVALUATION,
    Action.RECOMMEND_AWARD: S.MODERATED,
    Action.APPROVE_AWARD: S.AWARD_RECOMMENDED,
    Action.RETURN_AWARD: S.AWARD_RECOMMENDED,
    Action.START_STANDSTILL: S.APPROVED,
    Action.CONFIRM_AWARD: S.STANDSTILL,
}

_ACTION_PHRASES = {
    Action.PUBLISH: "publish the competition",
    Action.EXTEND_DEADLINE: "extend the deadline",
    Action.SUBMIT_BID: "submit a bid",
    Action.AMEND_BID: "amend a bid",
    Action.WITHDRAW_BID: "withdraw a bid",
    Action.OPEN_BIDS: "open the bids",
    Action.START_EVALUATION: "start the evaluation",
    Action.COMPLETE_MODERATION: "complete moderation",
    Action.RECOMMEND_AWARD: "recommend an award",
    Action.APPROVE_AWARD: "approve the award",
    Action.RETURN_AWARD: "return the award to the buyer",
    Action.START_STANDSTILL: "start the standstill period",
    Action.CONFIRM_AWARD: "confirm the award",
    Action.CANCEL: "cancel the competition",
}


class TransitionError(Exception):
    """An action the lifecycle refuses, with a message fit to show the user."""

    def __init__(self, message: str, *, action: Action, state: CompetitionState) -> None:
        super().__init__(message)
        self.message = message
        self.action = action
        self.state = state


def check_transition(
    facts: CompetitionFacts,
    action: Action,
    now: datetime,
    *,
    actor_id: int | None = None,
    confirmer_id: int | None = None,
    new_deadline_at: datetime | None = None,
    standstill_ends_at: datetime | None = None,
    reason: str = "",
) -> None:
    """Raise TransitionError unless `action` is allowed now with these inputs."""
    action = Action(action)
    refusal = _state_refusal(facts, action, now) or _input_refusal(
        facts, action, now, actor_id, confirmer_id, new_deadline_at, standstill_ends_at, reason
    )
    if refusal:
        raise TransitionError(refusal, action=action, state=state_of(facts, now))


def apply(
    facts: CompetitionFacts,
    action: Action,
    now: datetime,
    *,
    actor_id: int | None = None,
    confirmer_id: int | None = None,
    new_deadline_at: datetime | None = None,
    standstill_ends_at: datetime | None = None,
    reason: str = "",
) -> CompetitionFacts:
    """The facts after `action` at `now` (checked first). Bid actions change the bid, not the competition."""
    check_transition(
        facts,
        action,
        now,
        actor_id=actor_id,
        confirmer_id=confirmer_id,
        new_deadline_at=new_deadline_at,
        standstill_ends_at=standstill_ends_at,
        reason=reason,
    )
    replace = dataclasses.replace
    changes: dict[Action, Callable[[], CompetitionFacts]] = {
        Action.PUBLISH: lambda: replace(facts, published_at=now),
        Action.EXTEND_DEADLINE: lambda: replace(facts, deadline_at=new_deadline_at),
        Action.OPEN_BIDS: lambda: replace(facts, opened_at=now),
        Action.START_EVALUATION: lambda: replace(facts, evaluation_started_at=now),
        Action.COMPLETE_MODERATION: lambda: replace(facts, moderated_at=now),
        Action.RECOMMEND_AWARD: lambda: replace(facts, recommended_at=now, recommended_by=actor_id),
        Action.APPROVE_AWARD: lambda: replace(facts, approved_at=now, approved_by=actor_id),
        Action.RETURN_AWARD: lambda: replace(facts, recommended_at=None, recommended_by=None),
        Action.START_STANDSTILL: lambda: replace(
            facts, standstill_started_at=now, standstill_ends_at=standstill_ends_at
        ),
        Action.CONFIRM_AWARD: lambda: replace(facts, awarded_at=now),
        Action.CANCEL: lambda: replace(facts, cancelled_at=now, cancel_reason=reason.strip()),
    }
    return changes.get(Action(action), lambda: replace(facts))()


# --- Refusals -----------------------------------------------------------------------------------------------------


def state_refusal(facts: CompetitionFacts, action: Action, now: datetime) -> str | None:
    """Why `action` is refused now by the competition's state alone (before its inputs are known), or None."""
    return _state_refusal(facts, Action(action), now)


def _state_refusal(facts: CompetitionFacts, action: Action, now: datetime) -> str | None:
    state = state_of(facts, now)
    if action is Action.CANCEL:
        return _cancel_refusal(state)
    if state is not REQUIRED_STATE[action]:
        special = _SPECIAL_REFUSALS.get(action)
        return (special and special(facts, state)) or _generic_refusal(action, state)
    if action is Action.PUBLISH:
        return _publish_refusal(facts, now)
    if action is Action.CONFIRM_AWARD and not standstill_over(facts, now):
        ends = facts.standstill_ends_at
        return "The contract cannot be awarded until the standstill period ends" + (
            f" (it ends {format_datetime(ends)})" if ends else ""
        )
    return None


def _generic_refusal(action: Action, state: CompetitionState) -> str:
    return f"You cannot {_ACTION_PHRASES[action]} because the competition is {_STATE_DESCRIPTIONS[state]}"


def _cancel_refusal(state: CompetitionState) -> str | None:
    if state is S.AWARDED:
        return "An awarded competition cannot be cancelled"
    if state is S.CANCELLED:
        return "This competition has already been cancelled"
    return None


def _publish_refusal(facts: CompetitionFacts, now: datetime) -> str | None:
    if facts.deadline_at is None:
        return "Set a submission deadline before publishing"
    if deadline_passed(facts, now):
        return f"The submission deadline has passed (it was {format_datetime(facts.deadline_at)}): set a later one"
    return None


def _bid_refusal(action: Action) -> Callable[[CompetitionFacts, CompetitionState], str | None]:
    done = {Action.SUBMIT_BID: "submitted", Action.AMEND_BID: "amended", Action.WITHDRAW_BID: "withdrawn"}[action]

    def refusal(facts: CompetitionFacts, state: CompetitionState) -> str | None:
        if state is S.CANCELLED:
            return "This competition has been cancelled"
        if state is S.DRAFT:
            return "This competition is not open for bids"
        deadline = format_datetime(facts.deadline_at)
        return f"The submission deadline has passed (it was {deadline}): bids can no longer be {done}"

    return refusal


def _open_bids_refusal(facts: CompetitionFacts, state: CompetitionState) -> str | None:
    if state is S.PUBLISHED:
        return f"Bids cannot be opened before the submission deadline (it is {format_datetime(facts.deadline_at)})"
    if LIFECYCLE.index(S.OPENED) <= _position(state):
        return "The bids have already been opened"
    return None


def _extend_refusal(facts: CompetitionFacts, state: CompetitionState) -> str | None:
    if state is not S.DRAFT and state is not S.CANCELLED:
        return f"The deadline cannot be extended after it has passed (it was {format_datetime(facts.deadline_at)})"
    return None


def _confirm_refusal(facts: CompetitionFacts, state: CompetitionState) -> str | None:
    return "Start the standstill period before confirming the award" if state is S.APPROVED else None


def _position(state: CompetitionState) -> int:
    return LIFECYCLE.index(state) if state in LIFECYCLE else -1


# Refusals clearer than the generic "You cannot ... because the competition is ..." for common mistakes.
_SPECIAL_REFUSALS: dict[Action, Callable[[CompetitionFacts, CompetitionState], str | None]] = {
    **{a: _bid_refusal(a) for a in BID_ACTIONS},
    Action.OPEN_BIDS: _open_bids_refusal,
    Action.EXTEND_DEADLINE: _extend_refusal,
    Action.CONFIRM_AWARD: _confirm_refusal,
}


def _input_refusal(
    facts: CompetitionFacts,
    action: Action,
    now: datetime,
    actor_id: int | None,
    confirmer_id: int | None,
    new_deadline_at: datetime | None,
    standstill_ends_at: datetime | None,
    reason: str,
) -> str | None:
    if action is Action.EXTEND_DEADLINE:
        if new_deadline_at is None:
            return "Enter a new submission deadline"
        if facts.deadline_at is not None and new_deadline_at <= facts.deadline_at:
            return f"The new deadline must be later than the current one ({format_datetime(facts.deadline_at)})"
        if not reason.strip():
            return "Enter a reason for extending the deadline"
    if action is Action.CANCEL and not reason.strip():
        return "Enter a reason for cancelling the competition"
    if action is Action.OPEN_BIDS:
        if actor_id is None or confirmer_id is None:
            return "A second officer must confirm the opening of the bids"
        if actor_id == confirmer_id:
            return "You started this opening, so a different officer must confirm it"
    if action is Action.RECOMMEND_AWARD and actor_id is None:
        return "The officer recommending the award must be recorded"
    if action is Action.APPROVE_AWARD:
        if actor_id is None:
            return "The officer approving the award must be recorded"
        if actor_id == facts.recommended_by:
            return "The person who recommended the award cannot also approve it: another officer must approve it"
    if action is Action.RETURN_AWARD:
        if actor_id is None or actor_id == facts.recommended_by:
            return "The person who recommended the award cannot return it: another approver must decide on it"
        if not reason.strip():
            return "Enter a comment saying what the buyer should change"
    if action is Action.START_STANDSTILL:
        # `now` is when the standstill starts (for the Act, the award notice's publication, which the buyer may
        # record later); an end equal to the start is a call-off with no standstill applied.
        if standstill_ends_at is None:
            return "The standstill period needs an end"
        if standstill_ends_at < now:
            return "The standstill period cannot end before it starts"
    return None
