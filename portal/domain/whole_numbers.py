"""Whole numbers typed into URLs and forms, and the range the database can hold.

Ids are PostgreSQL INTEGER columns (32-bit signed); a larger number can name no row, and handing it to the database
is an error there (SQLite: "Python int too large", PostgreSQL: "out of range for type integer") rather than "not
found". Only ASCII digits count: str.isdigit() also accepts "²" and "٣", which int() then refuses or reads.
"""

from __future__ import annotations

MAX_ID = 2**31 - 1  # the largest PostgreSQL INTEGER; every id column in portal/models is one
_MAX_DIGITS = len(str(MAX_ID))


def whole_number(text: str | None, low: int = 1, high: int = MAX_ID) -> int | None:
    """The number `text` spells in plain ASCII digits when low <= it <= high, otherwise None.

    A sign, spaces, underscores, exponents or non-ASCII digits are not whole numbers here; neither is a string
    longer than the bound needs, which is refused before int() so a megabyte of digits costs nothing."""
    if not text or not text.isascii() or not text.isdigit() or len(text.lstrip("0")) > max(_MAX_DIGITS, len(str(high))):
        return None
    value = int(text)
    return value if low <= value <= high else None


def page_number(text: str | None, last: int = 1_000_000) -> int:
    """A ?page= value: any number that is not a page (missing, 0, -1, 10^20, "abc") means the first page, and one
    beyond `last` the last, so an old or edited link shows a list rather than an error."""
    number = whole_number(text, 1, 10**18)
    if number is None:
        return 1
    return min(number, last)
