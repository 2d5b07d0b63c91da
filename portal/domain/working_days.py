"""Working days, standstill periods and a competition's timetable.

Rules and conventions (each one lives here and nowhere else)

Working day
    Any day except Saturday, Sunday and a bank holiday of the framework's region (DOMAIN.md "Working days").
    Bank holidays come from the `holidays` package (`holidays.country_holidays("GB", subdiv=...)`), never a
    hand-typed list. Region values are the framework's `bank_holiday_region`: 'england-and-wales' (subdivision ENG),
    'scotland' (SCT) and 'northern-ireland' (NIR). England and Wales share one calendar: the package gives identical
    ENG and WLS bank holidays for every year 2015-2040 (checked with holidays 0.109); ENG is used.

Counting working days: `add_working_days(start_on, n, region)`
    `start_on` is day 0 and is never counted, working day or not; the result is the n-th working day after it.
    `add_working_days(Friday, 1)` is the Monday (when Monday is not a bank holiday).

Procurement Act 2023 standstill (s.51): `standstill_end(..., Regime.PA_2023, ...)`
    s.51(2): the mandatory standstill period is "eight working days beginning with the day on which the contract award
    notice is published". So the notice day counts as working day 1 when it is a working day (a notice published on
    a Saturday starts counting on the next working day). The period ends at midnight at the end of the 8th working
    day, London time; the contract may be entered into from that instant. Example: a notice on Tuesday 24 December
    2024 (England and Wales) counts 24, 27, 30, 31 December, 2, 3, 6, 7 January: standstill ends at 00:00 on
    8 January 2025, 14 calendar days after the notice (the Cabinet Office guidance's "at least eight working days
    beginning with the day ... published"). A notice on Thursday 18 December 2025 counts 18, 19, 22, 23, 24, 29, 30
    and 31 December: it ends at 00:00 on 1 January 2026.

PCR 2015 voluntary standstill: `standstill_end(..., Regime.PCR_2015, ..., voluntary_days=10)`
    Call-offs under a PCR 2015 framework are exempt from the mandatory standstill; a voluntary one of a configurable
    number of calendar days (default 10) is good practice. We follow the PCR 2015 reg 87(2) convention for electronic
    notices: the decision day is not counted, the period ends at midnight at the end of the N-th calendar day after
    it, and an end falling on a day that is not a working day moves to the end of the next working day.

Times
    Instants are stored and passed as aware UTC datetimes; calendar arithmetic is done on Europe/London dates, and
    "midnight at the end of a day" is 00:00 London time on the next day converted back to UTC (DST-safe: in summer
    that is 23:00 UTC the day before).

Bid period and timetable: `earliest_deadline`, `timetable_errors`
    The framework's minimum bid period is in calendar days: the submission deadline may be no earlier than the same
    London wall-clock time that many days after publication. `timetable_errors` returns GOV.UK style messages keyed
    by the `Timetable` field they belong to; an empty dict means the timetable is valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache

import holidays

from portal.domain.framework_term import Regime
from portal.domain.timefmt import LONDON, format_date, format_datetime


class Region(StrEnum):
    ENGLAND_AND_WALES = "england-and-wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"


# The `holidays` package subdivision holding each region's bank holidays (ENG and WLS are identical; see above).
REGION_SUBDIVISIONS = {
    Region.ENGLAND_AND_WALES: "ENG",
    Region.SCOTLAND: "SCT",
    Region.NORTHERN_IRELAND: "NIR",
}

PA_2023_STANDSTILL_WORKING_DAYS = 8
DEFAULT_VOLUNTARY_STANDSTILL_DAYS = 10


@lru_cache(maxsize=8)
def _calendar(region: Region) -> holidays.HolidayBase:
    # One lazily-filled calendar per region: the package adds each year the first time a date in it is asked about.
    return holidays.country_holidays("GB", subdiv=REGION_SUBDIVISIONS[region])


def is_working_day(day: date, region: str | Region) -> bool:
    return day.weekday() < 5 and day not in _calendar(Region(region))


def add_working_days(start_on: date, n: int, region: str | Region) -> date:
    """The n-th working day after `start_on` (day 0, never counted). n must be 0 or more."""
    if n < 0:
        raise ValueError("n must be 0 or more")
    day = start_on
    while n:
        day += timedelta(days=1)
        if is_working_day(day, region):
            n -= 1
    return day


def next_working_day_on_or_after(day: date, region: str | Region) -> date:
    while not is_working_day(day, region):
        day += timedelta(days=1)
    return day


def london_date(instant: datetime) -> date:
    return _aware(instant).astimezone(LONDON).date()


def end_of_london_day(day: date) -> datetime:
    """Midnight at the end of `day` in London, as an aware UTC datetime."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=LONDON).astimezone(UTC)


def standstill_last_day(
    decision_at: datetime,
    regime: str | Regime,
    region: str | Region,
    voluntary_days: int = DEFAULT_VOLUNTARY_STANDSTILL_DAYS,
) -> date:
    """The last London day of the standstill period (the period ends at midnight at the end of it)."""
    decided_on = london_date(decision_at)
    if Regime(regime) is Regime.PA_2023:
        # "Beginning with the day" the notice is published: that day is working day 1, so count from the day before.
        return add_working_days(decided_on - timedelta(days=1), PA_2023_STANDSTILL_WORKING_DAYS, region)
    if voluntary_days < 0:
        raise ValueError("voluntary_days must be 0 or more")
    return next_working_day_on_or_after(decided_on + timedelta(days=voluntary_days), region)


def standstill_end(
    decision_at: datetime,
    regime: str | Regime,
    region: str | Region,
    voluntary_days: int = DEFAULT_VOLUNTARY_STANDSTILL_DAYS,
) -> datetime:
    """The instant (aware UTC) the standstill period ends; the contract may be entered into from then on."""
    return end_of_london_day(standstill_last_day(decision_at, regime, region, voluntary_days))


# --- Bid period and timetable -------------------------------------------------------------------------------------


def earliest_deadline(published_at: datetime, min_bid_period_days: int) -> datetime:
    """The earliest allowed submission deadline: the same London clock time `min_bid_period_days` days later."""
    local = _aware(published_at).astimezone(LONDON)
    # Add days to the wall-clock time, not 24-hour blocks, so a bid period spanning a clock change keeps its time.
    later = datetime.combine(local.date() + timedelta(days=min_bid_period_days), local.time(), tzinfo=LONDON)
    return later.astimezone(UTC)


@dataclass(frozen=True)
class Timetable:
    """A competition's timetable. Instants are aware datetimes; planned dates are London dates."""

    published_at: datetime
    clarification_deadline_at: datetime | None
    submission_deadline_at: datetime | None
    evaluation_on: date | None = None
    award_on: date | None = None


def timetable_errors(timetable: Timetable, min_bid_period_days: int, now: datetime) -> dict[str, str]:
    """GOV.UK style error messages keyed by Timetable field; empty when the timetable is valid.

    `published_at` is when the competition is (or will be) published: pass `now` when validating on publication.
    """
    errors: dict[str, str] = {}
    clarify, submit = timetable.clarification_deadline_at, timetable.submission_deadline_at
    if submit is None:
        errors["submission_deadline_at"] = "Enter a submission deadline"
    elif submit <= now:
        errors["submission_deadline_at"] = "The submission deadline must be in the future"
    elif submit < (earliest := earliest_deadline(timetable.published_at, min_bid_period_days)):
        errors["submission_deadline_at"] = (
            f"The submission deadline must be on or after {format_datetime(earliest)}: the framework's minimum "
            f"bid period is {min_bid_period_days} days"
        )
    if clarify is None:
        errors["clarification_deadline_at"] = "Enter a clarification deadline"
    elif clarify <= now:
        errors["clarification_deadline_at"] = "The clarification deadline must be in the future"
    elif submit is not None and submit > now and clarify >= submit:
        # Only against a future submission deadline: a past one already has its own error.
        errors["clarification_deadline_at"] = "The clarification deadline must be before the submission deadline"
    errors.update(_planned_date_errors(timetable, now))
    return errors


def _planned_date_errors(timetable: Timetable, now: datetime) -> dict[str, str]:
    errors: dict[str, str] = {}
    today = london_date(now)
    submit = timetable.submission_deadline_at
    evaluation_on, award_on = timetable.evaluation_on, timetable.award_on
    if evaluation_on is not None:
        if evaluation_on < today:
            errors["evaluation_on"] = "The planned evaluation date must be today or in the future"
        elif submit is not None and evaluation_on < london_date(submit):
            errors["evaluation_on"] = (
                f"The planned evaluation date must be the same as or after the submission deadline "
                f"({format_date(submit)})"
            )
    if award_on is not None:
        if award_on < today:
            errors["award_on"] = "The planned award date must be today or in the future"
        elif evaluation_on is not None and award_on < evaluation_on:
            errors["award_on"] = "The planned award date must be the same as or after the planned evaluation date"
        elif submit is not None and award_on < london_date(submit):
            errors["award_on"] = (
                f"The planned award date must be the same as or after the submission deadline ({format_date(submit)})"
            )
    return errors


def _aware(instant: datetime) -> datetime:
    # Naive datetimes in this application are UTC (portal.models.base.utcnow); never guess local time.
    return instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)
