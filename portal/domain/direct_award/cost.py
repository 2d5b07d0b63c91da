"""Direct award cost: the price version that applies on the planned start date and each line's cost, in integer
pence (the rules: portal/domain/direct_award/__init__.py, "Cost")."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from portal.domain.direct_award.requirement import Candidate, PriceBasis, PriceItemQuantity, V


class CostLine(NamedTuple):
    price_item_id: int
    item_name: str
    basis: PriceBasis
    quantity: int
    unit_price_pence: int
    months: int | None  # the term for per_month items; None for one-off items
    price_effective_from: date  # identifies the price version used (unique per supplier and item)
    total_pence: int


class Costed(NamedTuple):
    """A capable candidate with its cost, before ranking."""

    candidate: Candidate
    lines: tuple[CostLine, ...]
    total_pence: int


class Wanted(NamedTuple):
    item: PriceItemQuantity
    months: int | None  # the term for per_month items; None for one-off items
    factor: int  # quantity x months (or x 1): a line's total is unit price x factor


def months_and_factor(item: PriceItemQuantity, term_months: int) -> tuple[int | None, int]:
    months = term_months if item.basis == PriceBasis.PER_MONTH else None
    return months, item.quantity * (months or 1)


_new_tuple = tuple.__new__  # builds a CostLine without the NamedTuple's Python-level __new__ (16,000 per match)


def cost_of(wanted: Sequence[Wanted], candidate: Candidate, starts_on: date) -> Costed | None:
    """The candidate's cost lines and total, or None if an item wanted has no price on the start date."""
    prices, lines, total = candidate.prices, [], 0
    for item, months, factor in wanted:
        versions = prices.get(item.price_item_id)
        if not versions:
            return None
        # Services usually pass one version, or the one that applies first; the general rule otherwise.
        version = versions[0] if len(versions) == 1 else applicable_price(versions, starts_on)
        if version is None:
            return None
        effective_from, unit = version
        if effective_from > starts_on:
            return None
        line_total = unit * factor
        total += line_total
        line = (item.price_item_id, item.name, item.basis, item.quantity, unit, months, effective_from, line_total)
        lines.append(_new_tuple(CostLine, line))
    return Costed(candidate, tuple(lines), total)


def applicable_price(versions: Sequence[V], day: date) -> V | None:
    """The latest version effective on or before `day`: the rule of suppliers.price_on, without building a list
    (this runs for every supplier and price item on every search; a test keeps the two in step)."""
    best = None
    for version in versions:
        if version[0] <= day and (best is None or version[0] > best[0]):
            best = version
    return best
