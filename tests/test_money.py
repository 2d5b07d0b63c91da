"""Money as whole pence: what people type, and the plain pounds text written into forms and CSV files."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.money import MoneyError, format_pence, parse_pounds, pence_to_pounds_text


@pytest.mark.parametrize(
    ("text", "pence"),
    [("12.50", 1250), ("£1,234.5", 123450), (" 0 ", 0), ("999999999999.99", 99999999999999), ("0.01", 1)],
)
def test_parse_pounds(text, pence):
    assert parse_pounds(text) == pence


@pytest.mark.parametrize("text", ["", "-1", "1.234", "ten", "1e3", "£", "12.", ".5"])
def test_parse_pounds_refuses_what_is_not_an_amount(text):
    with pytest.raises(MoneyError, match="Enter an amount in pounds"):
        parse_pounds(text)


@pytest.mark.parametrize(("pence", "text"), [(0, "0.00"), (5, "0.05"), (12345, "123.45"), (-5, "-0.05"), (100, "1.00")])
def test_pence_to_pounds_text(pence, text):
    assert pence_to_pounds_text(pence) == text


@pytest.mark.parametrize(
    ("pence", "text"), [(0, "£0.00"), (5, "£0.05"), (12345, "£123.45"), (123456789, "£1,234,567.89"), (-5, "-£0.05")]
)
def test_format_pence_is_pounds_as_people_read_them(pence, text):
    assert format_pence(pence) == text


@given(st.integers(-(10**15), 10**15))
def test_pounds_text_is_the_exact_decimal_and_reads_back(pence):
    text = pence_to_pounds_text(pence)
    assert text == f"{Decimal(pence) / 100:.2f}"
    if pence >= 0 and pence < 10**14:
        assert parse_pounds(text) == pence
