"""Price: the schedule total, the three published price-scoring methods, and the abnormally-low-price test.

Money is integer pence throughout (as in ``portal.domain.money``); a bid's price is its schedule total.

Schedule total (``price_schedule_total``)::

    total = sum(quantity x periods x unit_price)   over the lines, in pence

Price methods (``PRICE_METHODS``) give each compliant bid a *price fraction* between 0 and 1, the share of the
price marks it wins; its weighted price score is ``fraction x effective weight of the price criterion``. Only
compliant (not disqualified) bids are priced, and only against each other. Fractions are exact (``Fraction``).

- ``lowest`` (relative to the lowest price; the standard method)::

      fraction = lowest / price                       the lowest bid gets full marks

- ``mean`` (the "mean average" method: the mean scores half marks; every 1 % below the mean adds 1 % of the marks,
  every 1 % above takes 1 % away)::

      mean     = sum(prices) / number of compliant bids
      fraction = 1/2 - (price - mean) / mean, kept within 0..1
               i.e. full marks at or below half the mean, zero at or above 1.5 x the mean

- ``linear`` (linear between the budget and zero)::

      fraction = 1 - price / budget, kept within 0..1  a price of 0 gets full marks, the budget or more gets 0

Abnormally low price (``abnormally_low``): a compliant bid is flagged when its price is *more than* the threshold
(default 20 %) below the mean of the *other* compliant bids' prices::

      price < mean_of_others x (1 - threshold)          exactly 20 % below is not flagged

A flag is a prompt to ask the supplier to explain, never a rejection by itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

ABNORMALLY_LOW_THRESHOLD = Decimal("0.20")

_ZERO, _ONE, _HALF = Fraction(0), Fraction(1), Fraction(1, 2)


@dataclass(frozen=True, slots=True)
class PriceLine:
    """One line of a price schedule: the buyer's quantity and charging periods, the supplier's unit price."""

    quantity: int
    unit_price_pence: int
    periods: int = 1  # e.g. 36 for a monthly charge over a three-year term; 1 for a one-off charge


def price_schedule_total(lines: Sequence[PriceLine]) -> int:
    """Total price in pence: sum of quantity x periods x unit price."""
    for line in lines:
        if line.quantity < 0 or line.periods < 1 or line.unit_price_pence < 0:
            raise ValueError("Quantities and unit prices cannot be negative; a line has at least one period")
    return sum(line.quantity * line.periods * line.unit_price_pence for line in lines)


def _clamp(value: Fraction) -> Fraction:
    return min(_ONE, max(_ZERO, value))


def relative_to_lowest(prices: Sequence[int], budget_pence: int | None = None) -> list[Fraction]:
    lowest = min(prices)
    return [Fraction(lowest, price) for price in prices]


def relative_to_mean(prices: Sequence[int], budget_pence: int | None = None) -> list[Fraction]:
    total, count = sum(prices), len(prices)
    # (price - mean) / mean == price x count / total - 1, so fraction = 3/2 - price x count / total.
    return [_clamp(Fraction(3, 2) - Fraction(price * count, total)) for price in prices]


def linear_to_budget(prices: Sequence[int], budget_pence: int | None = None) -> list[Fraction]:
    if budget_pence is None or budget_pence <= 0:
        raise ValueError("The linear price method needs a budget of more than £0")
    return [_clamp(_ONE - Fraction(price, budget_pence)) for price in prices]


@dataclass(frozen=True, slots=True)
class PriceMethod:
    """A price-scoring strategy: what the buyer chooses, what bidders are told, and the calculation."""

    label: str
    formula: str
    needs_budget: bool
    score: Callable[[Sequence[int], int | None], list[Fraction]]


PRICE_METHODS: dict[str, PriceMethod] = {
    "lowest": PriceMethod(
        label="Relative to the lowest price",
        formula=(
            "Price score = lowest price \N{DIVISION SIGN} bid price \N{MULTIPLICATION SIGN} marks available for price."
        ),
        needs_budget=False,
        score=relative_to_lowest,
    ),
    "mean": PriceMethod(
        label="Relative to the mean price",
        formula=(
            "The mean of the compliant bids' prices scores half the marks available for price; each 1 % below the "
            "mean adds 1 % of the marks and each 1 % above takes 1 % away, never below 0 or above the marks available."
        ),
        needs_budget=False,
        score=relative_to_mean,
    ),
    "linear": PriceMethod(
        label="Linear between the budget and zero",
        formula=(
            "Price score = (budget \N{MINUS SIGN} bid price) \N{DIVISION SIGN} budget \N{MULTIPLICATION SIGN} "
            "marks available for price; "
            "a price at or above the budget scores 0."
        ),
        needs_budget=True,
        score=linear_to_budget,
    ),
}


def abnormally_low(prices: Sequence[int], threshold: Decimal = ABNORMALLY_LOW_THRESHOLD) -> list[Fraction | None]:
    """For each price: how far below the mean of the others it is (0.25 = 25 % below) when that exceeds
    ``threshold``; otherwise None. Needs at least two prices to compare."""
    count = len(prices)
    if count < 2:
        return [None] * count
    total, limit = sum(prices), _ONE - Fraction(threshold)
    flags: list[Fraction | None] = []
    for price in prices:
        others_mean = Fraction(total - price, count - 1)
        flags.append(_ONE - price / others_mean if price < others_mean * limit else None)
    return flags
