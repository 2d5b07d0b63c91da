"""Pages of an in-memory list: the slice, the counts and how out-of-range numbers are treated."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.paging import page_of


def test_middle_and_last_pages():
    items = list(range(1, 124))  # 123 items
    page = page_of(items, 2, 50)
    assert (page.items[0], page.items[-1], page.number, page.pages, page.total) == (51, 100, 2, 3, 123)
    assert (page.first, page.last) == (51, 100)
    last = page_of(items, 3, 50)
    assert (last.items, last.first, last.last) == (list(range(101, 124)), 101, 123)


@pytest.mark.parametrize(("asked", "given_page"), [(0, 1), (-4, 1), (99, 3)])
def test_numbers_out_of_range_give_the_nearest_page(asked, given_page):
    assert page_of(list(range(123)), asked, 50).number == given_page


def test_an_empty_list_is_one_empty_page():
    page = page_of([], 5, 50)
    assert (page.items, page.number, page.pages, page.total, page.first, page.last) == ([], 1, 1, 0, 0, 0)


def test_per_page_must_be_positive():
    with pytest.raises(ValueError, match="per_page"):
        page_of([1], 1, 0)


@given(st.integers(0, 400), st.integers(1, 60))
def test_the_pages_cover_the_list_once_in_order(total, per_page):
    items = list(range(total))
    first = page_of(items, 1, per_page)
    seen = [item for number in range(1, first.pages + 1) for item in page_of(items, number, per_page).items]
    assert seen == items
    assert all(len(page_of(items, n, per_page).items) == per_page for n in range(1, first.pages))
