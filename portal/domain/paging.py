"""One page of a list that is already in memory (a ranked result): which items, and where they sit in the whole."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    number: int  # 1-based
    pages: int  # at least 1, even for an empty list
    total: int
    per_page: int

    @property
    def first(self) -> int:
        """Position in the whole list of the first item on this page (1-based; 0 when the list is empty)."""
        return (self.number - 1) * self.per_page + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0


def page_of(items: Sequence[T], number: int, per_page: int) -> Page[T]:
    """Page `number` of `items`, `per_page` at a time. A number past the end gives the last page and one before
    the start the first, so an old link still shows something sensible."""
    if per_page < 1:
        raise ValueError("per_page must be at least 1")
    total = len(items)
    pages = max(1, -(-total // per_page))
    number = min(max(number, 1), pages)
    start = (number - 1) * per_page
    return Page(items=items[start : start + per_page], number=number, pages=pages, total=total, per_page=per_page)
