"""Whole numbers from URLs and forms: plain ASCII digits within the database's range, or nothing."""

from __future__ import annotations

import pytest

from portal.domain.whole_numbers import MAX_ID, page_number, whole_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        ("0042", 42),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        (str(2**64), None),
        ("1" + "0" * 5000, None),
        ("0", None),
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1_000", None),
        ("1e3", None),
        ("\u00b2", None),  # str.isdigit() is true, int() raises
        ("\u0663", None),  # int() would read 3
        ("", None),
        (None, None),
        ("1\x00", None),
    ],
)
def test_whole_number_is_plain_digits_in_range(text, expected):
    assert whole_number(text) == expected


def test_whole_number_bounds_are_inclusive():
    assert whole_number("5", 5, 5) == 5
    assert whole_number("4", 5, 10) is None
    assert whole_number("0", 0, 10) == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [(None, 1), ("", 1), ("abc", 1), ("-1", 1), ("0", 1), ("3", 3), ("1" + "0" * 20, 1), ("\u00b2", 1), ("999", 50)],
)
def test_page_number_is_first_page_for_nonsense_and_last_page_past_the_end(text, expected):
    assert page_number(text, last=50) == expected
