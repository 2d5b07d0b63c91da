"""Working days, standstill periods and a competition's timetable.

Rules and conventions (each one lives here and nowhere else)

Working day (DOMAIN.md "Working days"; which calendar a regime uses is in portal.domain.law, `Standstill.calendar`)
    Framework region (PCR 2015 and contract clauses): any day except Saturday, Sunday and a bank holiday of the
    framework's region: `is_working_day(day, region)`. Procurement Act 2023 s.123: any day except Saturday, Sunday
    and a day that is a bank holiday in ANY part of the United Kingdom (England and Wales, Scotland or Northern
    Ireland): `is_uk_working_day(day)`. So 17 March (Northern Ireland only) and 2 January (Scotland only) are not
    working days under the Act for an English buyer either.
    Bank holidays come from the `holidays` package (`holidays.country_holidays("GB", subdiv=...)`), never a
    hand-typed list. Region values are the framework's `bank_holiday_region`: 'england-and-wales' (subdivision ENG),
    'scotland' (SCT) and 'northern-ireland' (NIR). England and Wales share one calendar: the package gives identical
    ENG and WLS bank holidays for every year 2015-2040 (checked with holidays 0.109); ENG is used.

Counting working days: `add_working_days(start_on, n, region)`
    `start_on` is day 0 and is never counted, working day or not; the result is the n-th working day after it.
    `add_working_days(Friday, 1)` is the Monday (when Monday is not a bank holiday). `uk_wide=True` counts s.123
    working days instead of the region's.

Procurement Act 2023 standstill (s.51): `standstill_end(..., Regime.PA_2023, ...)`
    s.51(2): the standstill period is "eight working days beginning with the day on which the contract award
    notice is published", a working day as s.123 defines it (UK-wide, whatever the framework's region). So the
    notice day counts as working day 1 when it is a working day (a notice published on a Saturday starts counting on
    the next working day). The period ends at midnight at the end of the 8th working day, London time; the contract
    may be entered into from that instant. Worked example (DOMAIN.md): a notice on Tuesday 10 March 2026 counts
    10, 11, 12, 13, 16, 18, 19 and 20 March (17 March, St Patrick's Day, is a bank holiday in Northern Ireland):
    it ends at the end of Friday 20 March 2026. A notice on Tuesday 24 December 2024 counts 24, 27, 30, 31 December,
    3, 6, 7, 8 January (2 January is a bank holiday in Scotland): it ends at 00:00 on 9 January 2025.

PCR 2015 voluntary standstill: `standstill_end(..., Regime.PCR_2015, ..., voluntary_days=10)`
    Call-offs under a PCR 2015 framework are exempt from the mandatory standstill; a voluntary one of a configurable
    number of calendar days (default 10) is good practice. We follow the PCR 2015 reg 87(2) convention for electronic
    notices: the decision day is not counted, the period ends at midnight at the end of the N-th calendar day after
    it, and an end falling on a day that is not a working day of the framework's region moves to the end of the next
    working day.

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
from portal.domain.law import LAW, DayUnit, StandstillStart, WorkingDayCalendar
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

PA_2023_STANDSTILL_WORKING_DAYS = LAW[Regime.PA_2023].standstill.length
DEFAULT_VOLUNTARY_STANDSTILL_DAYS = LAW[Regime.PCR_2015].standstill.length


@lru_cache(maxsize=8)
def _calendar(region: Region) -> holidays.HolidayBase:
    # One lazily-filled calendar per region: the package adds each year the first time a date in it is asked about.
    return holidays.country_holidays("GB", subdiv=REGION_SUBDIVISIONS[region])


def is_working_day(day: date, region: str | Region) -> bool:
    """A working day of the framework's region (PCR 2015, contract clauses)."""
    return day.weekday() < 5 and day not in _calendar(Region(region))


def is_uk_working_day(day: date) -> bool:
    """A working day under the Procurement Act 2023 s.123: not a bank holiday in any part of the UK."""
    return day.weekday() < 5 and not any(day in _calendar(region) for region in Region)


def _is_working(day: date, region: str | Region, uk_wide: bool) -> bool:
    return is_uk_working_day(day) if uk_wide else is_working_day(day, region)


def add_working_days(start_on: date, n: int, region: str | Region, *, uk_wide: bool = False) -> date:
    """The n-th working day after `start_on` (day 0, never counted). n must be 0 or more.

    `uk_wide` counts Procurement Act 2023 s.123 working days (the region is then not used)."""
    if n < 0:
        raise ValueError("n must be 0 or more")
    Region(region)  # an unknown region is refused whichever calendar counts
    day = start_on
    while n:
        day += timedelta(days=1)
        if _is_working(day, region, uk_wide):
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
    """The last London day of the standstill period (the period ends at midnight at the end of it).

    How to count comes from the regime's `law.Standstill`: PA 2023 eight s.123 working days beginning with the
    decision day; PCR 2015 `voluntary_days` calendar days from the day after, rolled to a working day of the region.
    """
    rule = LAW[Regime(regime)].standstill
    decided_on = london_date(decision_at)
    # Day 0 of the count: the day before the decision when the decision day itself counts.
    day_zero = decided_on - timedelta(days=1) if rule.start is StandstillStart.BEGINNING_WITH_DAY else decided_on
    if rule.unit is DayUnit.WORKING_DAYS:
        uk_wide = rule.calendar is WorkingDayCalendar.WHOLE_UK
        return add_working_days(day_zero, rule.length, region, uk_wide=uk_wide)
    if voluntary_days < 0:
        raise ValueError("voluntary_days must be 0 or more")
    last_day = day_zero + timedelta(days=voluntary_days)
    return next_working_day_on_or_after(last_day, region) if rule.roll_to_working_day else last_day


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
