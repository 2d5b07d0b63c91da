"""Ranking compliant bids and the published tie-break rules.

Order: total, highest first. Bids with exactly equal totals (exact arithmetic: no rounding can make or break a tie)
are separated by the competition's published tie-break rules, applied in the order published. Rules
(``TIE_BREAK_RULES``):

- ``higher_quality``: the higher total of every non-price criterion (quality and social value);
- ``lower_price``: the lower total price;
- ``higher_group:<group key>``: the higher weighted subtotal of that group (e.g. ``higher_group:social``).

Final rule, declared: there is no hidden fallback. Bids still equal after every published rule share the rank
(standard competition ranking: 1, 2, 2, 4) and the tie is reported as unresolved; if it is for first place there
is no winner until lots are drawn (or another published final rule is applied) outside the scoring. Within a shared
rank bids are listed by key, an order that means nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol

from .exact import display


class Standing(Protocol):
    """What ranking reads from a scored compliant bid (a Standing, or evaluate's working score sheet)."""

    @property
    def key(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def total(self) -> Fraction | None: ...
    @property
    def quality_total(self) -> Decimal: ...
    @property
    def price_pence(self) -> int | None: ...
    @property
    def group_subtotals(self) -> Mapping[str, Fraction]: ...


# A bid's place in the order: its total, then each tie-break rule's value (numbers of mixed types, compared exactly).
SortKey = tuple[Any, ...]

GROUP_RULE_PREFIX = "higher_group:"


@dataclass(frozen=True, slots=True)
class TieBreakRule:
    description: str
    better: Callable[[Standing], object]  # a value where larger is better


TIE_BREAK_RULES: dict[str, TieBreakRule] = {
    "higher_quality": TieBreakRule("the higher quality score", lambda bid: bid.quality_total),
    "lower_price": TieBreakRule("the lower total price", lambda bid: -(bid.price_pence or 0)),
}


def tie_break_rule(name: str, group_names: dict[str, str]) -> TieBreakRule:
    """The rule for a published name; raises KeyError for an unknown rule or group."""
    if name.startswith(GROUP_RULE_PREFIX):
        group_key = name.removeprefix(GROUP_RULE_PREFIX)
        label = group_names[group_key]
        return TieBreakRule(f"the higher {label} score", lambda bid: bid.group_subtotals[group_key])
    return TIE_BREAK_RULES[name]


@dataclass(frozen=True, slots=True)
class Ranking:
    order: tuple[str, ...]  # bid keys, best first
    ranks: dict[str, int]
    unresolved_ties: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...]


def rank_bids(bids: Sequence[Standing], rules: Sequence[TieBreakRule]) -> Ranking:
    """Rank compliant bids (each must have a total) by total, then by each tie-break rule in turn."""

    def standing(bid: Standing) -> SortKey:
        return (compliant_total(bid), *(rule.better(bid) for rule in rules))

    keyed = sorted(((standing(bid), bid) for bid in bids), key=lambda item: _descending(item[0], item[1].key))
    ranks: dict[str, int] = {}
    ties: list[list[Standing]] = []
    notes: list[str] = []
    previous: tuple[SortKey, Standing] | None = None
    for position, (key, bid) in enumerate(keyed):
        if previous is not None and key == previous[0]:
            ranks[bid.key] = ranks[previous[1].key]
            if ties and ties[-1][-1] is previous[1]:
                ties[-1].append(bid)
            else:
                ties.append([previous[1], bid])
        else:
            ranks[bid.key] = position + 1
            if previous is not None and key[0] == previous[0][0]:
                notes.append(_broken_tie_note(previous[1], bid, previous[0], key, rules))
        previous = (key, bid)
    notes.extend(_unresolved_note(tie, ranks[tie[0].key]) for tie in ties)
    return Ranking(
        order=tuple(bid.key for _, bid in keyed),
        ranks=ranks,
        unresolved_ties=tuple(tuple(bid.key for bid in tie) for tie in ties),
        notes=tuple(notes),
    )


def compliant_total(bid: Standing) -> Fraction:
    """The total of a compliant bid; a disqualified one has none, and nothing that ranks bids may be given it."""
    if bid.total is None:
        raise ValueError(f"{bid.name} has no total: it is not a compliant bid")
    return bid.total


def _descending(standing: SortKey, bid_key: str) -> SortKey:
    # copy_negate, not unary minus: minus on a Decimal rounds to the current context's precision.
    return (*(value.copy_negate() if isinstance(value, Decimal) else -value for value in standing), bid_key)


def _broken_tie_note(
    above: Standing, below: Standing, key_above: SortKey, key_below: SortKey, rules: Sequence[TieBreakRule]
) -> str:
    index = next(i for i in range(1, len(key_above)) if key_above[i] != key_below[i])
    rule = rules[index - 1]
    return (
        f"{above.name} is ranked above {below.name}: their totals are equal ({display(compliant_total(above))}), "
        f"and tie-break rule {index}, {rule.description}, separates them."
    )


def _unresolved_note(tie: list[Standing], rank: int) -> str:
    names = [bid.name for bid in tie]
    listed = ", ".join(names[:-1]) + f" and {names[-1]}"
    return (
        f"{listed} have equal totals ({display(compliant_total(tie[0]))}) and are equal on every published tie-break "
        f"rule, so they share rank {rank}. The tie is unresolved: lots must be drawn (or another published final rule "
        f"applied) to separate them."
    )
