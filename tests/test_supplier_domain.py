"""Pure rules about suppliers: membership changes, Companies House numbers, exclusions and price versions."""

from __future__ import annotations

from datetime import date

import pytest

from portal.domain.suppliers import (
    ExclusionKind,
    MembershipStatus,
    PriceVersion,
    add_years,
    can_change_membership,
    exclusion_latest_end,
    exclusion_period_problem,
    joining_date_problem,
    normalise_companies_house_number,
    price_on,
    price_version_problem,
)

A, S, R = MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED, MembershipStatus.REMOVED


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [(A, S, True), (S, A, True), (A, R, True), (S, R, True), (R, A, False), (R, S, False), (A, A, False)],
)
def test_membership_changes_follow_the_table(current, new, allowed):
    assert can_change_membership(current, new) is allowed


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("05379456", "05379456"), ("sc123456", "SC123456"), (" SC 123 456 ", "SC123456"), ("", None), (None, None)],
)
def test_companies_house_numbers_are_normalised(typed, stored):
    assert normalise_companies_house_number(typed) == stored


@pytest.mark.parametrize("typed", ["1234567", "123456789", "SC12345X", "S1234567", "AB-12345"])
def test_malformed_companies_house_numbers_are_refused(typed):
    with pytest.raises(ValueError, match="Companies House number"):
        normalise_companies_house_number(typed)


def test_add_years_moves_29_february_to_28_february():
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 3, 1), 5) == date(2029, 3, 1)


def test_mandatory_exclusion_lasts_at_most_five_years():
    assert exclusion_latest_end(ExclusionKind.MANDATORY, date(2025, 3, 1)) == date(2030, 2, 28)
    assert exclusion_period_problem("mandatory", date(2025, 3, 1), date(2030, 2, 28)) is None
    assert "at most 5 years" in exclusion_period_problem("mandatory", date(2025, 3, 1), date(2030, 3, 1))


def test_discretionary_exclusion_lasts_at_most_three_years():
    assert exclusion_latest_end("discretionary", date(2025, 1, 1)) == date(2027, 12, 31)
    assert "at most 3 years" in exclusion_period_problem("discretionary", date(2025, 1, 1), date(2028, 1, 1))


def test_exclusion_cannot_end_before_it_starts():
    assert "after the start date" in exclusion_period_problem("mandatory", date(2025, 1, 2), date(2025, 1, 1))


def test_first_price_of_an_item_may_be_back_dated():
    assert price_version_problem(date(2021, 4, 1), date(2025, 6, 1), []) is None


def test_later_prices_cannot_be_back_dated():
    problem = price_version_problem(date(2025, 5, 31), date(2025, 6, 1), [date(2021, 4, 1)])
    assert "today or in the future" in problem


def test_a_price_version_is_never_overwritten():
    problem = price_version_problem(date(2025, 7, 1), date(2025, 6, 1), [date(2025, 7, 1)])
    assert "never overwritten" in problem


def test_future_and_same_day_prices_are_allowed():
    assert price_version_problem(date(2025, 6, 1), date(2025, 6, 1), [date(2021, 4, 1)]) is None
    assert price_version_problem(date(2026, 1, 1), date(2025, 6, 1), [date(2021, 4, 1)]) is None


def test_price_on_a_date_is_the_latest_version_on_or_before_it():
    versions = [PriceVersion(date(2021, 4, 1), 1000), PriceVersion(date(2023, 4, 1), 1200)]
    assert price_on(date(2021, 3, 31), versions) is None
    assert price_on(date(2023, 3, 31), versions).unit_price_pence == 1000
    assert price_on(date(2023, 4, 1), versions).unit_price_pence == 1200


def test_a_supplier_joins_a_lot_only_while_its_framework_runs():
    start, end = date(2021, 4, 1), date(2023, 3, 31)
    assert joining_date_problem(start, start, end) is None
    assert joining_date_problem(end, start, end) is None
    assert joining_date_problem(date(2023, 4, 1), start, end) == (
        "The joining date must be on or before the framework's end, 31 March 2023"
    )
    assert joining_date_problem(date(2021, 3, 31), start, end) == (
        "The joining date must be on or after the framework's start, 1 April 2021"
    )
