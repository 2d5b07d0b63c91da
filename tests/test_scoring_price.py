"""Price rules with hand-computed examples: schedule totals, each price method, abnormally low prices."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction as F

import pytest

from portal.domain.scoring import PRICE_METHODS, PriceLine, abnormally_low, price_schedule_total


@pytest.fixture(autouse=True, scope="module")
def db():
    """Pure domain tests: no app and no database (overrides the suite's autouse database fixture)."""
    return None


def test_price_schedule_total_is_quantity_times_periods_times_unit_price():
    lines = [
        PriceLine(quantity=10, unit_price_pence=12_50, periods=36),  # 10 licences at £12.50 a month for 3 years
        PriceLine(quantity=1, unit_price_pence=5_000_00),  # one-off onboarding
    ]
    assert price_schedule_total(lines) == 10 * 36 * 12_50 + 5_000_00 == 9_500_00


def test_price_schedule_total_of_nothing_is_zero():
    assert price_schedule_total([]) == 0


@pytest.mark.parametrize(
    "line", [PriceLine(-1, 100), PriceLine(1, -100), PriceLine(1, 100, periods=0)], ids=["qty", "price", "periods"]
)
def test_price_schedule_refuses_negative_lines(line):
    with pytest.raises(ValueError, match="cannot be negative"):
        price_schedule_total([line])


@pytest.mark.parametrize(
    ("method", "prices", "budget", "expected"),
    [
        # lowest: lowest / price
        ("lowest", [100_00, 200_00, 400_00], None, [F(1), F(1, 2), F(1, 4)]),
        ("lowest", [300_00, 100_00], None, [F(1, 3), F(1)]),
        ("lowest", [123_45], None, [F(1)]),
        # mean: 1/2 - (price - mean) / mean, within 0..1; mean 100
        ("mean", [80_00, 100_00, 120_00], None, [F(7, 10), F(1, 2), F(3, 10)]),
        ("mean", [40_00, 100_00, 160_00], None, [F(1), F(1, 2), F(0)]),  # 1.1 capped at 1; -0.1 floored at 0
        ("mean", [50_00, 150_00], None, [F(1), F(0)]),  # half the mean: full marks; 1.5 x the mean: zero
        ("mean", [100_00], None, [F(1, 2)]),  # a lone bid is the mean
        ("mean", [100_00, 200_00], None, [F(5, 6), F(1, 6)]),  # mean 150: 1.5 - 2/3, 1.5 - 4/3
        # linear: 1 - price / budget, within 0..1
        ("linear", [250_00, 1000_00, 1500_00], 1000_00, [F(3, 4), F(0), F(0)]),
        ("linear", [1, 999_99], 1000_00, [F(99_999, 100_000), F(1, 100_000)]),
    ],
)
def test_price_methods_hand_computed(method, prices, budget, expected):
    assert PRICE_METHODS[method].score(prices, budget) == expected


def test_lowest_price_gets_full_marks():
    assert PRICE_METHODS["lowest"].score([500_00, 250_00, 900_00], None)[1] == 1


def test_linear_method_needs_a_budget():
    with pytest.raises(ValueError, match="needs a budget"):
        PRICE_METHODS["linear"].score([100], None)


def test_every_price_method_states_its_formula():
    for method in PRICE_METHODS.values():
        assert method.label
        assert "price" in method.formula.lower()


@pytest.mark.parametrize(
    ("prices", "threshold", "expected"),
    [
        ([70_00, 100_00, 100_00], D("0.20"), [F(3, 10), None, None]),  # 30 % below the others' mean of 100
        ([80_00, 100_00, 100_00], D("0.20"), [None, None, None]),  # exactly 20 % below: not "more than"
        ([79_99, 100_00, 100_00], D("0.20"), [F(2001, 10000), None, None]),
        ([85_00, 100_00, 100_00], D("0.10"), [F(15, 100), None, None]),  # threshold is configurable
        ([50_00, 100_00], D("0.20"), [F(1, 2), None]),
        ([100_00], D("0.20"), [None]),  # nothing to compare with
    ],
)
def test_abnormally_low_price_hand_computed(prices, threshold, expected):
    assert abnormally_low(prices, threshold) == expected


def test_abnormally_low_compares_with_the_others_not_including_itself():
    # Mean of all three is 80 (20 % above 40 is not the test); the mean of the others is 100, so 40 is 60 % below.
    assert abnormally_low([40_00, 100_00, 100_00])[0] == F(3, 5)
