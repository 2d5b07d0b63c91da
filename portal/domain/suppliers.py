"""Rules about suppliers on a framework: membership, exclusions, accreditations and prices."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from portal.domain import framework_term, parties
from portal.domain.framework_term import FrameworkStatus


class MembershipStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REMOVED = "removed"


class ExclusionKind(StrEnum):
    MANDATORY = "mandatory"
    DISCRETIONARY = "discretionary"


# Procurement Act 2023 s.57-58: a debarment list entry lasts at most 5 years on a mandatory
# ground and 3 years on a discretionary one.
EXCLUSION_MAX_YEARS = {ExclusionKind.MANDATORY: 5, ExclusionKind.DISCRETIONARY: 3}

ACCREDITATION_SCHEMES = (
    "Cyber Essentials",
    "Cyber Essentials Plus",
    "ISO 27001",
    "ISO 9001",
    "ISO 14001",
    "ISO 22301",
    "SOC 2 Type II",
    "G-Cloud listed",
    "NCSC Cloud Security Principles",
    "PSN compliance",
)


@dataclass(frozen=True)
class Period:
    """When an exclusion is in force: from `starts_on` to `ends_on` (None: open-ended), both days included.
    `ground` says why, for messages only."""

    starts_on: date
    ends_on: date | None
    ground: str = field(default="", compare=False)

    def covers(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


def is_excluded_on(day: date, exclusions: Iterable[Period]) -> bool:
    return any(p.covers(day) for p in exclusions)


def accreditation_valid_on(day: date, expires_on: date | None) -> bool:
    return expires_on is None or day <= expires_on


def selectable(status: MembershipStatus, excluded: bool) -> bool:
    """The catalogue's quick signal (an active member, not excluded) for offering a supplier to compare. Whether a
    supplier may be invited, shortlisted, recommended, approved or awarded is `eligibility_on`'s to say."""
    return status is MembershipStatus.ACTIVE and not excluded


# --- Eligibility: the one rule for inviting, shortlisting, recommending, approving and awarding -------------------


class Ineligible(StrEnum):
    """Why a supplier may not be invited, shortlisted, recommended, approved or awarded on a day."""

    NOT_ON_LOT = "not_on_lot"
    SUSPENDED = "suspended"
    REMOVED = "removed"
    NOT_YET_JOINED = "not_yet_joined"
    LEFT_LOT = "left_lot"
    EXCLUDED = "excluded"
    FRAMEWORK_NOT_STARTED = "framework_not_started"
    FRAMEWORK_EXPIRED = "framework_expired"


@dataclass(frozen=True, slots=True)
class Membership:
    """A supplier's place on a lot, as eligibility needs it. `status` may be the stored string."""

    status: MembershipStatus | str
    joined_on: date
    left_on: date | None = None
    status_reason: str = ""


@dataclass(frozen=True, slots=True)
class FrameworkTerm:
    """A framework's term as eligibility needs it: `end_on` is the current end, every exercised option included
    (the model's `current_end_on`). Live from its first to its last day (portal.domain.framework_term.status_on)."""

    start_on: date
    end_on: date


@dataclass(frozen=True, slots=True)
class Refusal:
    reason: Ineligible
    on: date | None = None  # the date that decides it: joins, left, the framework starts or ended
    detail: str = ""  # the suspension's or removal's reason, the exclusion's ground

    @property
    def message(self) -> str:
        """The reason as a list item: "Joins this lot on 1 May 2027", "Excluded: <ground>"."""
        text = _REFUSAL_TEXT[self.reason].format(on=_long_date(self.on) if self.on else "")
        if self.reason is Ineligible.EXCLUDED:
            return f"{text}: {self.detail or 'an exclusion is in force against this supplier'}"
        return f"{text}: {self.detail}" if self.detail else text


_REFUSAL_TEXT = {
    Ineligible.NOT_ON_LOT: "Not on this lot",
    Ineligible.SUSPENDED: "Suspended from this lot",
    Ineligible.REMOVED: "Removed from this lot",
    Ineligible.NOT_YET_JOINED: "Joins this lot on {on}",
    Ineligible.LEFT_LOT: "Left this lot on {on}",
    Ineligible.EXCLUDED: "Excluded",
    Ineligible.FRAMEWORK_NOT_STARTED: "The framework starts on {on}",
    Ineligible.FRAMEWORK_EXPIRED: "The framework expired on {on}",
}

# The same refusals in a sentence about the supplier ("Bravo is suspended from this lot"), for services that
# refuse a decision: the caller adds the consequence (", so the award cannot be approved").
_REFUSAL_CLAUSE = {
    Ineligible.NOT_ON_LOT: "{name} is not on this lot",
    Ineligible.SUSPENDED: "{name} is suspended from this lot",
    Ineligible.REMOVED: "{name} has been removed from this lot",
    Ineligible.NOT_YET_JOINED: "{name} joins this lot only on {on}",
    Ineligible.LEFT_LOT: "{name} left this lot on {on}",
    Ineligible.EXCLUDED: "{name} is excluded: an exclusion is in force against it",
    Ineligible.FRAMEWORK_NOT_STARTED: "the framework starts only on {on}",
    Ineligible.FRAMEWORK_EXPIRED: "the framework expired on {on}",
}


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Every reason a supplier may not be chosen on a day, in the order of the rules; none means it may."""

    refusals: tuple[Refusal, ...] = ()

    @property
    def eligible(self) -> bool:
        return not self.refusals

    @property
    def reasons(self) -> tuple[Ineligible, ...]:
        return tuple(r.reason for r in self.refusals)

    @property
    def messages(self) -> list[str]:
        return [r.message for r in self.refusals]

    def sentence(self, name: str) -> str:
        """Why not, about the supplier by name ("Bravo is suspended from this lot"), every reason; empty when
        eligible. The caller adds the consequence (", so the award cannot be approved")."""
        clauses = [
            _REFUSAL_CLAUSE[r.reason].format(name=name, on=_long_date(r.on) if r.on else "") for r in self.refusals
        ]
        text = "; ".join(clauses)
        return text[:1].upper() + text[1:]


ELIGIBLE = Eligibility()


def eligibility_on(
    day: date, membership: Membership | None, exclusions: Iterable[Period], framework: FrameworkTerm
) -> Eligibility:
    """Whether a supplier may be invited, shortlisted, recommended, approved or awarded on `day`, and if not why.

    It may when all of these hold on that day:
    - it is a member of the lot: joined on or before the day and not left (a member who leaves on a day is no
      longer one that day), and its membership is neither suspended nor removed;
    - no exclusion is in force (an exclusion covers its first and its last day);
    - the framework is live (from its start date to the end of its current term, both days included).
    """
    refusals = _membership_refusals(day, membership)
    in_force = next((p for p in exclusions if p.covers(day)), None)
    if in_force is not None:
        refusals.append(Refusal(Ineligible.EXCLUDED, detail=in_force.ground))
    status = framework_term.status_on(day, framework.start_on, framework.end_on, ())
    if status is FrameworkStatus.UPCOMING:
        refusals.append(Refusal(Ineligible.FRAMEWORK_NOT_STARTED, framework.start_on))
    elif status is FrameworkStatus.EXPIRED:
        refusals.append(Refusal(Ineligible.FRAMEWORK_EXPIRED, framework.end_on))
    return Eligibility(tuple(refusals)) if refusals else ELIGIBLE


def _membership_refusals(day: date, membership: Membership | None) -> list[Refusal]:
    if membership is None:
        return [Refusal(Ineligible.NOT_ON_LOT)]
    refusals = []
    if membership.status == MembershipStatus.SUSPENDED:
        refusals.append(Refusal(Ineligible.SUSPENDED, detail=membership.status_reason))
    elif membership.status == MembershipStatus.REMOVED:
        refusals.append(Refusal(Ineligible.REMOVED, detail=membership.status_reason))
    if membership.joined_on > day:
        refusals.append(Refusal(Ineligible.NOT_YET_JOINED, membership.joined_on))
    if membership.left_on is not None and membership.left_on <= day:
        refusals.append(Refusal(Ineligible.LEFT_LOT, membership.left_on))
    return refusals


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


class PriceVersion(NamedTuple):
    """(effective from, unit price in pence). Code that holds thousands of versions for long may use plain
    (date, int) tuples instead, which the garbage collector stops tracking; a NamedTuple it tracks for ever
    (portal/services/direct_awards/lot_snapshot.py)."""

    effective_from: date
    unit_price_pence: int


def price_on(day: date, versions: Iterable[PriceVersion]) -> PriceVersion | None:
    """The price that applied on `day`: the latest version effective on or before it."""
    applicable = [v for v in versions if v.effective_from <= day]
    return max(applicable, key=lambda v: v.effective_from, default=None)


# Lot membership: which status changes are allowed, and what each is called. Removal is final:
# a supplier that left a lot rejoins only through a new framework award, not a button.
MEMBERSHIP_TRANSITIONS: dict[tuple[MembershipStatus, MembershipStatus], str] = {
    (MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED): "suspend",
    (MembershipStatus.SUSPENDED, MembershipStatus.ACTIVE): "reinstate",
    (MembershipStatus.ACTIVE, MembershipStatus.REMOVED): "remove",
    (MembershipStatus.SUSPENDED, MembershipStatus.REMOVED): "remove",
}


def can_change_membership(current: MembershipStatus, new: MembershipStatus) -> bool:
    return (MembershipStatus(current), MembershipStatus(new)) in MEMBERSHIP_TRANSITIONS


# England and Wales numbers are 8 digits (05379456); others carry a 2-character prefix such as
# SC (Scotland), NI (Northern Ireland), OC (LLP) or R0 before 6 digits (SC123456).
def normalise_companies_house_number(text: str | None) -> str | None:
    """'sc 123456' -> 'SC123456'; blank -> None. Raises ValueError if it is not a Companies House number."""
    cleaned = parties.normalise(parties.Scheme.GB_COH, text or "")
    if not cleaned:
        return None
    problem = parties.identifier_problem(parties.Scheme.GB_COH, cleaned)
    if problem:
        raise ValueError(problem)
    return cleaned


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a non-leap year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def exclusion_latest_end(kind: ExclusionKind | str, starts_on: date) -> date:
    """The last day an exclusion may cover: its maximum duration counted from (and including) its first day."""
    return add_years(starts_on, EXCLUSION_MAX_YEARS[ExclusionKind(kind)]) - timedelta(days=1)


def exclusion_period_problem(kind: ExclusionKind | str, starts_on: date, ends_on: date) -> str | None:
    """Why an exclusion period is not allowed, or None if it is."""
    if ends_on < starts_on:
        return "The end date must be the same as or after the start date"
    latest = exclusion_latest_end(kind, starts_on)
    if ends_on > latest:
        years = EXCLUSION_MAX_YEARS[ExclusionKind(kind)]
        return (
            f"A {ExclusionKind(kind).value} exclusion can last at most {years} years: "
            f"the end date must be on or before {latest.day} {latest:%B %Y}"
        )
    return None


def price_version_problem(effective_from: date, today: date, existing: Iterable[date]) -> str | None:
    """Why a new price version for an item cannot be added, or None if it can.

    Evidence-safe: a version is never replaced, and once an item has a price nobody may back-date
    a new one, because the earlier price may already be the evidence for a direct award. The first
    price of an item may be back-dated so a price card can be set up for a framework already running.
    """
    dates = set(existing)
    if effective_from in dates:
        return (
            f"A price effective from {effective_from.day} {effective_from:%B %Y} already exists. "
            "Prices are never overwritten: enter a later date"
        )
    if dates and effective_from < today:
        return "The date a new price takes effect must be today or in the future"
    return None


def joining_date_problem(joined_on: date, framework_start_on: date, framework_end_on: date) -> str | None:
    """Why a supplier cannot join a lot on this date, or None if it can.

    A supplier can only be on a framework while it runs: joining before it started or after it ended (its
    current end, with every exercised extension) would put on record a membership the framework never had.
    """
    if joined_on < framework_start_on:
        return f"The joining date must be on or after the framework's start, {_long_date(framework_start_on)}"
    if joined_on > framework_end_on:
        return f"The joining date must be on or before the framework's end, {_long_date(framework_end_on)}"
    return None
