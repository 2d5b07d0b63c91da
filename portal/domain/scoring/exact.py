"""Exact numbers for scoring, and the one place where they are rounded for display.

Arithmetic rules (why two number types):
- Inputs are ``Decimal`` (weights in %, moderated scores) and ``int`` pence (prices).
- Anything that only multiplies and adds terminating decimals stays a ``Decimal``. Quality scoring is such:
  weights are decimals and the allowed scales (4, 5, 10, 100) divide a power of ten, so ``score / scale_max`` always
  terminates. It runs in ``EXACT``, a context that *traps* ``Inexact``: if a result ever needed rounding we raise
  instead of rounding silently.
- Anything that divides by a price (``lowest / bid``, ``bid / mean``) has no finite decimal in general (100/300), so
  price scores, group subtotals, totals and robustness margins are exact ``fractions.Fraction`` values.
- ``Decimal`` and ``Fraction`` compare exactly with each other (``Fraction(1, 2) == Decimal("0.5")``), so ranking and
  tie detection never depend on rounding.

Display: ``display(x)`` rounds to 2 decimal places, half up (ROUND_HALF_UP: 0.005 -> 0.01); that rule is the text
``ROUNDING_RULE`` the results page shows. Robustness margins use ``display_down`` (towards zero) so that "stands
unless the weight moves by more than X" is never optimistic.
"""

from __future__ import annotations

from decimal import (
    ROUND_DOWN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    Rounded,
)
from fractions import Fraction
from typing import TypeGuard

# Scoring multiplies a handful of short decimals; 60 significant digits is far more than any real input needs, and
# the Inexact/Rounded traps turn "needed more" into an error rather than a silent rounding.
EXACT = Context(prec=60, traps=[Inexact, Rounded, InvalidOperation, DivisionByZero, Overflow])

Exact = Decimal | Fraction
"""A value computed without rounding: a terminating Decimal or a Fraction."""

DISPLAY_PLACES = 2
ROUNDING_RULE = (
    "Scores are calculated exactly, without rounding. Only the figures shown are rounded, "
    "to 2 decimal places, with a half rounded up (for example 72.345 is shown as 72.35)."
)
MARGIN_ROUNDING_RULE = (
    "Weight margins are exact and shown rounded down to 2 decimal places, so the statement is never optimistic. "
    "At exactly the margin the two totals are equal and the published tie-break decides."
)

_QUANTUM = Decimal(1).scaleb(-DISPLAY_PLACES)
_SCALE = 10**DISPLAY_PLACES
# Display rounding must work even when called inside EXACT (whose traps forbid rounding), so it names its context.
_DISPLAY = Context(prec=60)


def _rounded(value: Exact | int, half_up: bool) -> Decimal:
    # A results page rounds over a thousand Fractions: take the integers straight from them, without a copy.
    numerator, denominator = (value if type(value) is Fraction else Fraction(value)).as_integer_ratio()
    whole, remainder = divmod(abs(numerator) * _SCALE, denominator)
    if half_up and 2 * remainder >= denominator:
        whole += 1
    return _DISPLAY.multiply(Decimal(-whole if numerator < 0 else whole), _QUANTUM)


def is_exact_number(value: object) -> TypeGuard[Decimal | int]:
    """A finite Decimal or an int (not a bool, never a float): what weights and scores may be."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        return False
    return not isinstance(value, Decimal) or value.is_finite()


def display(value: Exact | int) -> Decimal:
    """Round an exact value to 2 dp, half up (away from zero), for showing on a page."""
    if isinstance(value, Decimal):
        return value.quantize(_QUANTUM, rounding=ROUND_HALF_UP, context=_DISPLAY)
    return _rounded(value, half_up=True)


def display_down(value: Exact | int) -> Decimal:
    """Round towards zero to 2 dp: used for margins, where rounding up would overstate robustness."""
    if isinstance(value, Decimal):
        return value.quantize(_QUANTUM, rounding=ROUND_DOWN, context=_DISPLAY)
    return _rounded(value, half_up=False)


def percent_text(value: Exact | int) -> str:
    """'60', '33.33', '7.5': a weight without trailing zeros. Non-terminating fractions are shown to 2 dp."""
    if isinstance(value, Fraction):
        value = display(value) if value.denominator != 1 else Decimal(value.numerator)
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
