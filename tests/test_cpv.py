"""CPV codes: eight digits, a hyphen and a check digit; pasted spaces are dropped, an empty answer allowed."""

from __future__ import annotations

import pytest

from portal.domain.cpv import cpv_problem, normalise_cpv


@pytest.mark.parametrize(
    ("typed", "stored", "acceptable"),
    [
        ("72000000-5", "72000000-5", True),
        (" 48000000 - 8 ", "48000000-8", True),
        ("", "", True),
        (None, "", True),
        ("72000000", "72000000", False),  # no check digit
        ("7200000-5", "7200000-5", False),  # seven digits
        ("72000000-55", "72000000-55", False),
        ("72OOOOOO-5", "72OOOOOO-5", False),  # letters O for zeros
        ("72000000/5", "72000000/5", False),
    ],
)
def test_a_cpv_code_is_eight_digits_a_hyphen_and_a_check_digit(typed, stored, acceptable):
    code = normalise_cpv(typed)
    assert code == stored
    assert (cpv_problem(code) is None) is acceptable
