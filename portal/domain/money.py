"""Money as integer pence: parsing what people type, never through float."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_AMOUNT = re.compile(r"^\d{1,12}(\.\d{1,2})?$")


class MoneyError(ValueError):
    pass


def parse_pounds(text: str) -> int:
    """'1,234.5' or '£1234.50' -> 123450 pence. Rejects negatives, fractions of a penny and words."""
    cleaned = text.strip().replace(",", "").removeprefix("£").strip()
    if not _AMOUNT.match(cleaned):
        raise MoneyError("Enter an amount in pounds, like 12.50")
    try:
        return int(Decimal(cleaned) * 100)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already rules this out
        raise MoneyError("Enter an amount in pounds, like 12.50") from exc


def pence_to_pounds_text(pence: int) -> str:
    return f"{Decimal(pence) / 100:.2f}"


def format_pence(pence: int) -> str:
    """12345 -> '£123.45', -5 -> '-£0.05': pounds with thousands separators, as people read them."""
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    return f"{sign}£{pounds:,}.{rest:02d}"


# Prices in the portal exclude VAT; the register shows values with VAT too, at the standard rate.
STANDARD_VAT_RATE = Decimal("0.20")


def vat_pence(value_pence: int) -> int:
    """The standard-rate VAT on a value excluding VAT, rounded half up to the penny."""
    return int((Decimal(value_pence) * STANDARD_VAT_RATE).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
