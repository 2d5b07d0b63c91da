"""Working days, standstill periods and timetables: table tests read like the rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain import working_days as wd
from portal.domain.timefmt import LONDON

EW, SCOT, NI = "england-and-wales", "scotland", "northern-ireland"


@pytest.fixture(autouse=True)
def db():
    """Pure domain rules: no app and no database (overrides the suite's autouse database fixture)."""
    return None


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "region", "working"),
    [
        (date(2026, 3, 4), EW, True),  # an ordinary Wednesday
        (date(2026, 3, 7), EW, False),  # Saturday
        (date(2026, 3, 8), EW, False),  # Sunday
        (date(2026, 12, 25), EW, False),  # Christmas Day
        (date(2026, 12, 28), EW, False),  # Boxing Day falls on Saturday: substitute Monday
        (date(2027, 1, 1), EW, False),  # New Year's Day
        (date(2026, 1, 2), EW, True),  # 2 January is a working day in England and Wales...
        (date(2026, 1, 2), SCOT, False),  # ...but a bank holiday in Scotland
        (date(2027, 1, 4), SCOT, False),  # 2 January 2027 is a Saturday: substitute Monday in Scotland
        (date(2027, 1, 4), EW, True),
        (date(2026, 4, 3), EW, False),  # Good Friday everywhere
        (date(2026, 4, 3), SCOT, False),
        (date(2026, 4, 6), EW, False),  # Easter Monday in England and Wales...
        (date(2026, 4, 6), NI, False),  # ...and Northern Ireland...
        (date(2026, 4, 6), SCOT, True),  # ...but not in Scotland
        (date(2026, 8, 3), SCOT, False),  # Scotland's summer bank holiday is the first Monday in August
        (date(2026, 8, 3), EW, True),
        (date(2026, 8, 31), EW, False),  # England's is the last Monday
        (date(2026, 11, 30), SCOT, False),  # St Andrew's Day on a Monday
        (date(2025, 12, 1), SCOT, False),  # St Andrew's Day 2025 is a Sunday: substitute Monday
        (date(2025, 12, 1), EW, True),
        (date(2026, 3, 17), NI, False),  # St Patrick's Day
        (date(2026, 3, 17), EW, True),
        (date(2027, 7, 12), NI, False),  # Battle of the Boyne (Orangemen's Day)
        (date(2026, 7, 13), NI, False),  # 12 July 2026 is a Sunday: substitute Monday
        (date(2026, 7, 13), EW, True),
    ],
)
def test_working_days_exclude_weekends_and_the_regions_bank_holidays(day, region, working):
    assert wd.is_working_day(day, region) is working


def test_england_and_wales_share_bank_holidays():
    # The module maps 'england-and-wales' to ENG on the strength of this.
    for year in range(2020, 2041):
        eng = holidays.country_holidays("GB", subdiv="ENG", years=year)
        wls = holidays.country_holidays("GB", subdiv="WLS", years=year)
        assert set(eng) == set(wls), year


def test_an_unknown_region_is_refused():
    with pytest.raises(ValueError):
        wd.is_working_day(date(2026, 3, 4), "wales-only")


def test_scotland_has_a_bank_holiday_on_15_june_2026():
    # Scotland's participation in the FIFA World Cup: pyproject.toml requires a `holidays` release that knows it.
    assert not wd.is_working_day(date(2026, 6, 15), SCOT)
    assert wd.is_working_day(date(2026, 6, 15), EW)
    assert not wd.is_uk_working_day(date(2026, 6, 15))


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 3, 4), True),  # an ordinary Wednesday
        (date(2026, 3, 7), False),  # Saturday
        (date(2026, 3, 17), False),  # St Patrick's Day: Northern Ireland only, still not a working day (s.123)
        (date(2026, 7, 13), False),  # Battle of the Boyne substitute: Northern Ireland only
        (date(2026, 1, 2), False),  # 2 January: Scotland only
        (date(2025, 12, 1), False),  # St Andrew's Day substitute: Scotland only
        (date(2026, 8, 3), False),  # Scotland's summer bank holiday
        (date(2026, 8, 31), False),  # England, Wales and Northern Ireland's summer bank holiday
        (date(2026, 4, 6), False),  # Easter Monday: not in Scotland, still a bank holiday in part of the UK
    ],
)
def test_a_procurement_act_working_day_is_not_a_bank_holiday_anywhere_in_the_uk(day, working):
    assert wd.is_uk_working_day(day) is working


def test_add_working_days_can_count_uk_wide():
    assert wd.add_working_days(date(2026, 3, 16), 1, EW) == date(2026, 3, 17)
    assert wd.add_working_days(date(2026, 3, 16), 1, EW, uk_wide=True) == date(2026, 3, 18)


@pytest.mark.parametrize(
    ("start_on", "n", "region", "expected"),
    [
        (date(2026, 3, 6), 1, EW, date(2026, 3, 9)),  # Friday + 1 = Monday
        (date(2026, 3, 7), 1, EW, date(2026, 3, 9)),  # the start day is never counted, even a Saturday
        (date(2026, 3, 4), 0, EW, date(2026, 3, 4)),
        (date(2026, 3, 2), 8, EW, date(2026, 3, 12)),
        (date(2026, 12, 23), 3, EW, date(2026, 12, 30)),  # over Christmas Day and the Boxing Day substitute
        (date(2025, 12, 31), 1, SCOT, date(2026, 1, 5)),  # 1 and 2 January, then the weekend
        (date(2025, 12, 31), 1, EW, date(2026, 1, 2)),
        (date(2026, 4, 2), 1, SCOT, date(2026, 4, 6)),  # Good Friday off; Easter Monday worked in Scotland
        (date(2026, 4, 2), 1, EW, date(2026, 4, 7)),
    ],
)
def test_add_working_days_counts_from_the_day_after(start_on, n, region, expected):
    assert wd.add_working_days(start_on, n, region) == expected


def test_add_working_days_refuses_a_negative_count():
    with pytest.raises(ValueError):
        wd.add_working_days(date(2026, 3, 4), -1, EW)


@pytest.mark.parametrize(
    ("notice_at", "region", "ends_at"),
    [
        # Monday notice: 8 working days beginning with Monday end at midnight after Wednesday of the next week.
        (utc(2026, 3, 2, 10), EW, utc(2026, 3, 12)),
        # The worked example (DOMAIN.md, issue 14): a notice on Tuesday 10 March 2026 counts 10-13, 16, 18-20 March;
        # 17 March is a bank holiday in Northern Ireland, so not a working day under s.123 for an English buyer.
        (utc(2026, 3, 10, 10), EW, utc(2026, 3, 21)),
        # A notice on a Saturday starts counting on Monday; 17 March (NI) is skipped under s.123.
        (utc(2026, 3, 7, 10), EW, utc(2026, 3, 20)),
        # Christmas and New Year: 24 Dec 2024 counts 24, 27, 30, 31 Dec, 3, 6, 7, 8 Jan: 2 January is a bank
        # holiday in Scotland, so not a working day under s.123 anywhere.
        (utc(2024, 12, 24, 10), EW, utc(2025, 1, 9)),
        # 18 Dec 2025 spans both Christmas bank holidays and two weekends, ending at the end of 31 December.
        (utc(2025, 12, 18, 10), EW, utc(2026, 1, 1)),
        # 1 and 2 January: s.123 skips Scotland's 2 January for every framework, so both regions end together.
        (utc(2025, 12, 29, 9), EW, utc(2026, 1, 10)),
        (utc(2025, 12, 29, 9), SCOT, utc(2026, 1, 10)),
        # Easter 2026: Good Friday everywhere, Easter Monday outside Scotland: s.123 skips both everywhere.
        (utc(2026, 4, 2, 9), EW, utc(2026, 4, 15, 23)),
        (utc(2026, 4, 2, 9), SCOT, utc(2026, 4, 15, 23)),
        # St Andrew's Day 2025 falls on a Sunday: the Monday substitute (Scotland) is skipped under s.123 everywhere.
        (utc(2025, 11, 27, 9), SCOT, utc(2025, 12, 10)),
        (utc(2025, 11, 27, 9), EW, utc(2025, 12, 10)),
        # St Patrick's Day (Tuesday 17 March 2026, Northern Ireland) is skipped everywhere.
        (utc(2026, 3, 16, 9), NI, utc(2026, 3, 27)),
        (utc(2026, 3, 16, 9), EW, utc(2026, 3, 27)),
        # 12 July 2026 is a Sunday: the Monday substitute (Northern Ireland) is skipped everywhere.
        (utc(2026, 7, 9, 9), NI, utc(2026, 7, 21, 23)),
        (utc(2026, 7, 9, 9), EW, utc(2026, 7, 21, 23)),
        # Scotland's 15 June 2026 bank holiday (the FIFA World Cup) is skipped under s.123 for England too.
        (utc(2026, 6, 11, 9), EW, utc(2026, 6, 23, 23)),
    ],
)
def test_pa_2023_standstill_is_eight_working_days_beginning_with_the_notice_day(notice_at, region, ends_at):
    assert wd.standstill_end(notice_at, "pa2023", region) == ends_at


@pytest.mark.parametrize(
    ("notice_at", "ends_at"),
    [
        # 23:30 UTC on 30 June is 00:30 BST on Wednesday 1 July: the notice day is 1 July in London.
        (utc(2026, 6, 30, 23, 30), utc(2026, 7, 10, 23)),
        # 22:30 UTC is still Tuesday 30 June in London: one day earlier.
        (utc(2026, 6, 30, 22, 30), utc(2026, 7, 9, 23)),
        # Spring clock change inside the period: starts in GMT, ends at midnight BST (23:00 UTC).
        (utc(2026, 3, 23, 9), utc(2026, 4, 1, 23)),
        # Autumn clock change inside the period: starts in BST, ends at midnight GMT (00:00 UTC).
        (utc(2026, 10, 19, 9), utc(2026, 10, 29)),
    ],
)
def test_pa_2023_standstill_uses_london_dates_across_clock_changes(notice_at, ends_at):
    assert wd.standstill_end(notice_at, "pa2023", EW) == ends_at


def test_standstill_end_is_midnight_in_london():
    ends_at = wd.standstill_end(utc(2026, 7, 1, 9), "pa2023", EW)
    assert ends_at.tzinfo is UTC
    assert ends_at.astimezone(LONDON).time().isoformat() == "00:00:00"


def test_a_naive_decision_time_is_taken_as_utc():
    assert wd.standstill_end(datetime(2026, 3, 2, 10), "pa2023", EW) == utc(2026, 3, 12)


@pytest.mark.parametrize(
    ("decision_at", "days", "ends_at"),
    [
        # 10 calendar days after Friday 20 March is Monday 30 March; midnight BST after it is 23:00 UTC.
        (utc(2026, 3, 20, 10), 10, utc(2026, 3, 30, 23)),
        # The 10th day is a Saturday: the period runs on to the end of Monday.
        (utc(2026, 3, 4, 10), 10, utc(2026, 3, 17)),
        # The 10th day is Christmas Day: skip the weekend and the Boxing Day substitute to Tuesday 29 December.
        (utc(2026, 12, 15, 10), 10, utc(2026, 12, 30)),
        # A configured 14-day voluntary standstill.
        (utc(2026, 3, 2, 10), 14, utc(2026, 3, 17)),
    ],
)
def test_pcr_2015_voluntary_standstill_is_calendar_days_ending_on_a_working_day(decision_at, days, ends_at):
    assert wd.standstill_end(decision_at, "pcr2015", EW, voluntary_days=days) == ends_at


def test_pcr_2015_voluntary_standstill_defaults_to_ten_days():
    assert wd.standstill_end(utc(2026, 3, 20, 10), "pcr2015", EW) == utc(2026, 3, 30, 23)


def test_pcr_2015_voluntary_standstill_refuses_negative_days():
    with pytest.raises(ValueError):
        wd.standstill_end(utc(2026, 3, 20, 10), "pcr2015", EW, voluntary_days=-1)


@given(
    notice_at=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2032, 12, 31), timezones=st.just(UTC)),
    region=st.sampled_from([EW, SCOT, NI]),
)
def test_pa_2023_standstill_always_holds_exactly_eight_uk_working_days(notice_at, region):
    notice_on = wd.london_date(notice_at)
    last_day = wd.standstill_last_day(notice_at, "pa2023", region)
    days = [notice_on + timedelta(days=i) for i in range((last_day - notice_on).days + 1)]
    # s.123: UK-wide working days, whatever the framework's region.
    assert sum(wd.is_uk_working_day(d) for d in days) == 8
    assert wd.is_uk_working_day(last_day)
    assert wd.standstill_end(notice_at, "pa2023", region) == wd.end_of_london_day(last_day)


# --- Bid period and timetable -----------------------------------------------------------------------------------

NOW = utc(2026, 3, 2, 9)


def test_earliest_deadline_keeps_the_london_clock_time_across_a_clock_change():
    # Published 10:00 GMT on 20 March; ten days later is 30 March, after the clocks go forward: 10:00 BST.
    assert wd.earliest_deadline(utc(2026, 3, 20, 10), 10) == utc(2026, 3, 30, 9)


def test_earliest_deadline_with_no_minimum_is_publication():
    assert wd.earliest_deadline(NOW, 0) == NOW


def timetable(**changes) -> wd.Timetable:
    values = {
        "published_at": NOW,
        "clarification_deadline_at": utc(2026, 3, 9, 12),
        "submission_deadline_at": utc(2026, 3, 16, 12),
        "evaluation_on": date(2026, 3, 17),
        "award_on": date(2026, 4, 1),
    }
    return wd.Timetable(**(values | changes))


def test_a_sound_timetable_has_no_errors():
    assert wd.timetable_errors(timetable(), 10, NOW) == {}


def test_planned_dates_are_optional():
    assert wd.timetable_errors(timetable(evaluation_on=None, award_on=None), 10, NOW) == {}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"submission_deadline_at": None}, "submission_deadline_at", "Enter a submission deadline"),
        ({"clarification_deadline_at": None}, "clarification_deadline_at", "Enter a clarification deadline"),
        (
            {"submission_deadline_at": utc(2026, 3, 1, 12)},
            "submission_deadline_at",
            "The submission deadline must be in the future",
        ),
        (
            {"submission_deadline_at": NOW},
            "submission_deadline_at",
            "The submission deadline must be in the future",
        ),
        (
            {"clarification_deadline_at": utc(2026, 3, 1, 12)},
            "clarification_deadline_at",
            "The clarification deadline must be in the future",
        ),
        (
            {"clarification_deadline_at": utc(2026, 3, 16, 12)},
            "clarification_deadline_at",
            "The clarification deadline must be before the submission deadline",
        ),
        (
            {"clarification_deadline_at": utc(2026, 3, 5, 12), "submission_deadline_at": utc(2026, 3, 10, 12)},
            "submission_deadline_at",
            "The submission deadline must be on or after 12 March 2026, 9:00am: the framework's minimum bid period "
            "is 10 days",
        ),
        (
            {"evaluation_on": date(2026, 3, 15)},
            "evaluation_on",
            "The planned evaluation date must be the same as or after the submission deadline (16 March 2026)",
        ),
        (
            {"evaluation_on": date(2026, 3, 1)},
            "evaluation_on",
            "The planned evaluation date must be today or in the future",
        ),
        (
            {"award_on": date(2026, 3, 16)},
            "award_on",
            "The planned award date must be the same as or after the planned evaluation date",
        ),
        (
            {"award_on": date(2026, 3, 15), "evaluation_on": None},
            "award_on",
            "The planned award date must be the same as or after the submission deadline (16 March 2026)",
        ),
        ({"award_on": date(2026, 2, 1)}, "award_on", "The planned award date must be today or in the future"),
    ],
)
def test_timetable_errors_are_keyed_by_field(changes, field, message):
    errors = wd.timetable_errors(timetable(**changes), 10, NOW)
    assert errors[field] == message
    assert set(errors) == {field}


def test_a_deadline_exactly_at_the_end_of_the_minimum_bid_period_is_allowed():
    errors = wd.timetable_errors(timetable(submission_deadline_at=utc(2026, 3, 12, 9)), 10, NOW)
    assert errors == {}


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (datetime(2026, 12, 15, 0, 0, tzinfo=UTC), "midnight at the end of 14 December 2026"),
        (datetime(2026, 6, 30, 23, 0, tzinfo=UTC), "midnight at the end of 30 June 2026"),  # 00:00 BST
        (datetime(2026, 12, 5, 12, 0, tzinfo=UTC), "5 December 2026, midday"),
        (datetime(2026, 12, 5, 14, 5, tzinfo=UTC), "5 December 2026, 2:05pm"),
        (datetime(2026, 12, 5, 0, 0, 31, tzinfo=UTC), "5 December 2026, 12:00am"),  # an event, not a set time
    ],
)
def test_times_are_shown_the_gov_uk_way(moment, shown):
    from portal.domain.timefmt import format_datetime

    assert format_datetime(moment) == shown
