"""A framework's term: status from its dates and exercised extension options.

Status is derived, never set by hand: a framework is upcoming before its start date,
live until the end of its current term (the initial end plus every exercised option),
and expired after that.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
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

# The maximum term of a framework (PA 2023 s.47; PCR 2015 reg 33(3) unless justified) is in portal.domain.law.


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
    """Whole months from start to end, counting a term that ends the day before an anniversary
    as reaching it: 2 years from 1 Jan 2021 ends 31 Dec 2022 or 1 Jan 2023, and both are 24."""
    months = (end_on.year - start_on.year) * 12 + (end_on.month - start_on.month) + 1
    # The largest m whose term (start + m months, less a day) ends on or before end_on.
    while months > 0 and add_months(start_on, months) - timedelta(days=1) > end_on:
        months -= 1
    return max(months, 0)


def _months_text(months: int, short: bool = False) -> str:
    if months % 12 == 0:
        years = months // 12
        return str(years) if short else f"{years} year{'s' if years != 1 else ''}"
    return f"{months} month{'s' if months != 1 else ''}"


def describe_term(initial_months: int, option_months: Sequence[int]) -> str:
    """How procurement people say a term: '2 years + 1 + 1' (whole years as numbers, else months)."""
    parts = [_months_text(initial_months)]
    parts += [_months_text(m, short=True) for m in option_months]
    return " + ".join(parts)


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


class TermError(ValueError):
    """A framework term or extension that the rules do not allow.

    `part` says which part of the term is wrong ("initial_end_on" or "extension_options"), so a
    form can show the message beside the right answer.
    """

    def __init__(self, message: str, part: str | None = None):
        super().__init__(message)
        self.message = message
        self.part = part


def latest_end(regime: Regime, start_on: date) -> date:
    """The last end date the regime's maximum term allows: a term ending on the anniversary is still 4 years."""
    from portal.domain.law import LAW  # imported here: the law table imports Regime from this module

    return add_months(start_on, LAW[regime].framework_term.max_months)


def check_term(regime: Regime, start_on: date, initial_end_on: date, option_months: Sequence[int]) -> None:
    from portal.domain.law import LAW  # imported here: the law table imports Regime from this module

    if initial_end_on <= start_on:
        raise TermError("The initial end date must be after the start date.", part="initial_end_on")
    if any(m <= 0 for m in option_months):
        raise TermError("Each extension option must be at least one month.", part="extension_options")
    rule = LAW[regime].framework_term
    # PA 2023 s.47 is absolute; PCR 2015 reg 33(3) allows a longer term "in exceptional cases duly justified",
    # which the framework team judges, so the portal does not refuse it.
    if not rule.longer_if_justified:
        # Compare dates, not rounded months: 48 months and a fortnight is still over the limit.
        end = add_months(initial_end_on, sum(option_months))
        if end > (latest := latest_end(regime, start_on)):
            raise TermError(
                rule.provision.wording.format(end=_long_date(end), latest=_long_date(latest)),
                part="extension_options" if option_months else "initial_end_on",
            )


def check_options_editable(exercised_months: Sequence[int], new_months: Sequence[int]) -> None:
    """Exercised options are history: they must stay, in place and unchanged; the rest may change."""
    for index, months in enumerate(exercised_months):
        if index >= len(new_months) or new_months[index] != months:
            raise TermError(
                f"Option {index + 1} has been exercised, so it must stay at {months} months.",
                part="extension_options",
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
