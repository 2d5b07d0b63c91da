"""The framework term rules: status from dates, month arithmetic, PA 2023 s.47 and extension options."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain import framework_term as term
from portal.domain.framework_term import ExtensionOption, FrameworkStatus, Regime, TermError

START, END = date(2021, 4, 1), date(2023, 3, 31)
TWO_OPTIONS = [ExtensionOption(1, 12, False), ExtensionOption(2, 12, False)]


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2021, 3, 31), FrameworkStatus.UPCOMING),
        (date(2021, 4, 1), FrameworkStatus.LIVE),
        (date(2023, 3, 31), FrameworkStatus.LIVE),
        (date(2023, 4, 1), FrameworkStatus.EXPIRED),
    ],
)
def test_status_changes_on_the_start_and_the_day_after_the_end(today, status):
    assert term.status_on(today, START, END, TWO_OPTIONS) is status


def test_an_exercised_option_keeps_the_framework_live_until_the_new_end():
    options = [ExtensionOption(1, 12, True), ExtensionOption(2, 12, False)]
    assert term.status_on(date(2024, 3, 31), START, END, options) is FrameworkStatus.LIVE
    assert term.status_on(date(2024, 4, 1), START, END, options) is FrameworkStatus.EXPIRED


def test_unexercised_options_do_not_extend_the_term():
    assert term.current_end(END, TWO_OPTIONS) == END
    assert term.latest_possible_end(END, TWO_OPTIONS) == date(2025, 3, 31)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2021, 1, 31), 1, date(2021, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 3, 31), 12, date(2024, 3, 31)),
        (date(2021, 8, 31), 6, date(2022, 2, 28)),
        (date(2021, 11, 30), 3, date(2022, 2, 28)),
        (date(2021, 12, 15), 1, date(2022, 1, 15)),
        (date(2021, 5, 10), 0, date(2021, 5, 10)),
    ],
)
def test_add_months_clamps_to_the_last_day_of_a_short_month(day, months, expected):
    assert term.add_months(day, months) == expected


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2021, 4, 1), date(2023, 3, 31), 24),  # ends the day before the anniversary
        (date(2021, 1, 1), date(2023, 1, 1), 24),  # ends on the anniversary
        (date(2021, 1, 1), date(2022, 12, 30), 23),
        (date(2021, 1, 31), date(2021, 2, 27), 1),  # 31 Jan + 1 month is 28 Feb, less a day
        (date(2021, 1, 31), date(2021, 2, 26), 0),
    ],
)
def test_months_between_counts_whole_months_of_term(start, end, months):
    assert term.months_between(start, end) == months


@pytest.mark.parametrize(
    ("initial", "options", "text"),
    [
        (24, [12, 12], "2 years + 1 + 1"),
        (12, [], "1 year"),
        (36, [6], "3 years + 6 months"),
        (18, [1], "18 months + 1 month"),
    ],
)
def test_describe_term_reads_as_procurement_people_say_it(initial, options, text):
    assert term.describe_term(initial, options) == text


def test_end_must_be_after_start():
    with pytest.raises(TermError, match="must be after the start date") as raised:
        term.check_term(Regime.PCR_2015, START, START, [])
    assert raised.value.part == "initial_end_on"


def test_options_must_be_at_least_a_month():
    with pytest.raises(TermError, match="at least one month") as raised:
        term.check_term(Regime.PCR_2015, START, END, [12, 0])
    assert raised.value.part == "extension_options"


def test_pa_2023_allows_exactly_four_years_with_extensions():
    term.check_term(Regime.PA_2023, date(2025, 4, 1), date(2027, 3, 31), [12, 12])


def test_pa_2023_refuses_more_than_four_years_with_extensions():
    with pytest.raises(TermError, match=r"s\.47.*at most 4 years.*31 March 2030") as raised:
        term.check_term(Regime.PA_2023, date(2025, 4, 1), date(2027, 3, 31), [12, 12, 12])
    assert raised.value.part == "extension_options"


def test_pa_2023_refuses_an_initial_term_a_fortnight_over_four_years():
    with pytest.raises(TermError, match="at most 4 years") as raised:
        term.check_term(Regime.PA_2023, date(2025, 4, 1), date(2029, 4, 15), [])
    assert raised.value.part == "initial_end_on"


def test_pcr_2015_has_no_four_year_cap_in_the_portal():
    term.check_term(Regime.PCR_2015, date(2021, 4, 1), date(2025, 3, 31), [12, 12])


def test_options_are_exercised_in_order():
    with pytest.raises(TermError, match="option 1 comes first"):
        term.check_can_exercise(date(2022, 1, 1), END, TWO_OPTIONS, 2)
    term.check_can_exercise(date(2022, 1, 1), END, TWO_OPTIONS, 1)


def test_the_second_option_follows_the_first():
    options = [ExtensionOption(1, 12, True), ExtensionOption(2, 12, False)]
    term.check_can_exercise(date(2024, 3, 31), END, options, 2)


def test_an_expired_framework_cannot_be_extended():
    with pytest.raises(TermError, match="expired framework"):
        term.check_can_exercise(date(2023, 4, 1), END, TWO_OPTIONS, 1)


def test_the_last_day_of_the_term_still_allows_an_extension():
    term.check_can_exercise(END, END, TWO_OPTIONS, 1)


def test_nothing_left_to_exercise():
    done = [ExtensionOption(1, 12, True)]
    with pytest.raises(TermError, match="already been exercised"):
        term.check_can_exercise(date(2023, 6, 1), END, done, 1)


def test_exercised_options_cannot_change_but_later_ones_can():
    term.check_options_editable([12], [12, 6, 6])
    with pytest.raises(TermError, match="Option 1 has been exercised"):
        term.check_options_editable([12], [6, 12])
    with pytest.raises(TermError, match="Option 2 has been exercised"):
        term.check_options_editable([12, 12], [12])


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(min_value=0, max_value=120))
def test_add_months_then_months_between_round_trips(start, months):
    end = term.add_months(start, months) - timedelta(days=1)
    if end > start:
        assert term.months_between(start, end) == months


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(min_value=0, max_value=600))
def test_add_months_lands_in_the_right_month(start, months):
    result = term.add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert result.day <= start.day
