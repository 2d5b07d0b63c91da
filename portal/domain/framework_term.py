"""A framework's term: status from its dates and exercised extension options.

Status is derived, never set by hand: a framework is upcoming before its start date,
live until the end of its current term (the initial end plus every exercised option),
and expired after that.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class FrameworkStatus(StrEnum):
    UPCOMING = "upcoming"
    LIVE = "live"
    EXPIRED = "expired"


class Regime(StrEnum):
    PCR_2015 = "pcr2015"
    PA_2023 = "pa2023"

    @property
    def label(self) -> str:
        return REGIME_LABELS[self]


REGIME_LABELS = {
    Regime.PCR_2015: "Public Contracts Regulations 2015",
    Regime.PA_2023: "Procurement Act 2023",
}

# Procurement Act 2023 s.47: a framework's term (with every extension) is at most 4 years.
PA_2023_MAX_TERM_MONTHS = 48


@dataclass(frozen=True)
class ExtensionOption:
    sequence: int
    months: int
    exercised: bool


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def current_end(initial_end_on: date, options: Sequence[ExtensionOption]) -> date:
    exercised = sum(o.months for o in options if o.exercised)
    return add_months(initial_end_on, exercised)


def latest_possible_end(initial_end_on: date, options: Sequence[ExtensionOption]) -> date:
    return add_months(initial_end_on, sum(o.months for o in options))


def status_on(today: date, start_on: date, initial_end_on: date, options: Sequence[ExtensionOption]) -> FrameworkStatus:
    if today < start_on:
        return FrameworkStatus.UPCOMING
    if today <= current_end(initial_end_on, options):
        return FrameworkStatus.LIVE
    return FrameworkStatus.EXPIRED


def months_between(start_on: date, end_on: date) -> int:
    """Whole months from start to end (a term of 2 years from 1 Jan ends 31 Dec or 1 Jan: both 24)."""
    months = (end_on.year - start_on.year) * 12 + (end_on.month - start_on.month)
    if end_on.day < start_on.day - 1:
        months -= 1
    return months


class TermError(ValueError):
    """A framework term or extension that the rules do not allow."""


def check_term(regime: Regime, start_on: date, initial_end_on: date, option_months: Sequence[int]) -> None:
    if initial_end_on <= start_on:
        raise TermError("The initial end date must be after the start date.")
    if any(m <= 0 for m in option_months):
        raise TermError("Each extension option must be at least one month.")
    if regime is Regime.PA_2023:
        total = months_between(start_on, initial_end_on) + sum(option_months)
        if total > PA_2023_MAX_TERM_MONTHS:
            raise TermError(
                "Under the Procurement Act 2023 (s.47) a framework's term, with every extension, "
                f"is at most 4 years; this one would be {total} months."
            )


def next_option_to_exercise(options: Sequence[ExtensionOption]) -> ExtensionOption | None:
    """Options are exercised in order: the first not yet exercised, if any."""
    for option in sorted(options, key=lambda o: o.sequence):
        if not option.exercised:
            return option
    return None


def check_can_exercise(today: date, initial_end_on: date, options: Sequence[ExtensionOption], sequence: int) -> None:
    nxt = next_option_to_exercise(options)
    if nxt is None:
        raise TermError("Every extension option has already been exercised.")
    if nxt.sequence != sequence:
        raise TermError(f"Extension options are exercised in order: option {nxt.sequence} comes first.")
    if today > current_end(initial_end_on, options):
        raise TermError("An expired framework cannot be extended.")
