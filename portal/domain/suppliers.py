"""Rules about suppliers on a framework: membership, exclusions, accreditations and prices."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple


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
    starts_on: date
    ends_on: date | None

    def covers(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


def is_excluded_on(day: date, exclusions: Iterable[Period]) -> bool:
    return any(p.covers(day) for p in exclusions)


def accreditation_valid_on(day: date, expires_on: date | None) -> bool:
    return expires_on is None or day <= expires_on


def selectable(status: MembershipStatus, excluded: bool) -> bool:
    """Only an active member that is not excluded may be invited, shortlisted or awarded."""
    return status is MembershipStatus.ACTIVE and not excluded


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
_COMPANIES_HOUSE_NUMBER = re.compile(r"^(?:\d{8}|[A-Z]{2}\d{6}|R0\d{6})$")


def normalise_companies_house_number(text: str | None) -> str | None:
    """'sc 123456' -> 'SC123456'; blank -> None. Raises ValueError if it is not a Companies House number."""
    cleaned = (text or "").replace(" ", "").upper()
    if not cleaned:
        return None
    if not _COMPANIES_HOUSE_NUMBER.match(cleaned):
        raise ValueError("Enter a Companies House number in the correct format, like 05379456 or SC123456")
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
