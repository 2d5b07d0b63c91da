"""Rules about suppliers on a framework: membership, exclusions, accreditations and prices."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


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


@dataclass(frozen=True)
class PriceVersion:
    effective_from: date
    unit_price_pence: int


def price_on(day: date, versions: Iterable[PriceVersion]) -> PriceVersion | None:
    """The price that applied on `day`: the latest version effective on or before it."""
    applicable = [v for v in versions if v.effective_from <= day]
    return max(applicable, key=lambda v: v.effective_from, default=None)


def format_pence(pence: int) -> str:
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    return f"{sign}£{pounds:,}.{rest:02d}"
