"""A mini-competition's state, derived from its stored timestamps: never stored, so never out of step.

States, in order (DOMAIN.md "Mini-competition practice"):
    draft -> published -> closed -> opened -> in_evaluation -> moderated -> award_recommended -> approved
    -> standstill -> awarded; or cancelled (with a reason) from any state before awarded.

`state_of(facts, now)` reads the `CompetitionFacts` timestamps:
    - A fact stamped after `now` has not happened yet, so `state_of` also answers "what was the state at time t".
    - The most advanced milestone that has happened decides: cancelled, awarded, standstill (started), approved,
      award recommended, moderated, in evaluation, opened.
    - Otherwise a published competition is CLOSED from the deadline instant itself (`now >= deadline_at`) and
      PUBLISHED before it; no job has to run when the deadline passes. The server clock decides.
    - Standstill stays the state once started, also after `standstill_ends_at` (then `standstill_over` is true
      and the buyer may confirm the award), so the state never moves backwards as time passes.
    - `bids_opened` answers the seal (portal/services/bids/seal.py): may the buying side read the bids now.

What each state allows, and the actions between states: portal/domain/competition_lifecycle.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class CompetitionState(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"
    OPENED = "opened"
    IN_EVALUATION = "in_evaluation"
    MODERATED = "moderated"
    AWARD_RECOMMENDED = "award_recommended"
    APPROVED = "approved"
    STANDSTILL = "standstill"
    AWARDED = "awarded"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


S = CompetitionState

# Forward order of the lifecycle; CANCELLED sits outside it (terminal, reachable from any state before AWARDED).
LIFECYCLE = (
    S.DRAFT,
    S.PUBLISHED,
    S.CLOSED,
    S.OPENED,
    S.IN_EVALUATION,
    S.MODERATED,
    S.AWARD_RECOMMENDED,
    S.APPROVED,
    S.STANDSTILL,
    S.AWARDED,
)

STATE_LABELS = {
    S.DRAFT: "Draft",
    S.PUBLISHED: "Open for bids",
    S.CLOSED: "Closed",
    S.OPENED: "Bids opened",
    S.IN_EVALUATION: "In evaluation",
    S.MODERATED: "Moderated",
    S.AWARD_RECOMMENDED: "Award recommended",
    S.APPROVED: "Award approved",
    S.STANDSTILL: "Standstill",
    S.AWARDED: "Awarded",
    S.CANCELLED: "Cancelled",
}


@dataclass(frozen=True)
class CompetitionFacts:
    """What has happened to a competition, as stored. Instants are aware UTC datetimes; ids are user ids."""

    deadline_at: datetime | None = None
    published_at: datetime | None = None
    opened_at: datetime | None = None
    evaluation_started_at: datetime | None = None
    moderated_at: datetime | None = None
    recommended_at: datetime | None = None
    recommended_by: int | None = None
    approved_at: datetime | None = None
    approved_by: int | None = None
    standstill_started_at: datetime | None = None
    standstill_ends_at: datetime | None = None
    awarded_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str = ""


# Milestones from the most advanced down: the first one that has happened gives the state.
_MILESTONES = (
    ("cancelled_at", S.CANCELLED),
    ("awarded_at", S.AWARDED),
    ("standstill_started_at", S.STANDSTILL),
    ("approved_at", S.APPROVED),
    ("recommended_at", S.AWARD_RECOMMENDED),
    ("moderated_at", S.MODERATED),
    ("evaluation_started_at", S.IN_EVALUATION),
    ("opened_at", S.OPENED),
)


def _happened(at: datetime | None, now: datetime) -> bool:
    return at is not None and at <= now


def deadline_passed(facts: CompetitionFacts, now: datetime) -> bool:
    """At the deadline instant itself the deadline has passed: a bid then is late."""
    return facts.deadline_at is not None and now >= facts.deadline_at


def state_of(facts: CompetitionFacts, now: datetime) -> CompetitionState:
    for field, state in _MILESTONES:
        if _happened(getattr(facts, field), now):
            return state
    if _happened(facts.published_at, now):
        return S.CLOSED if deadline_passed(facts, now) else S.PUBLISHED
    return S.DRAFT


def standstill_over(facts: CompetitionFacts, now: datetime) -> bool:
    return (
        state_of(facts, now) is S.STANDSTILL
        and facts.standstill_ends_at is not None
        and now >= facts.standstill_ends_at
    )


def bids_opened(facts: CompetitionFacts, now: datetime) -> bool:
    """Whether the bids are open to the buying side now (the seal's question: portal/services/bids/seal.py).

    Only once the bids have been opened, which the lifecycle allows only after the deadline, and never in a
    cancelled competition. The deadline is asked again, so a stray opening stamp before it never breaks the seal."""
    return _happened(facts.opened_at, now) and deadline_passed(facts, now) and state_of(facts, now) is not S.CANCELLED
