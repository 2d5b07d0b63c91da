"""Direct award ranking: the selection mechanisms and tie-breaks as strategy tables, and the ranking with its
unresolved tie and deciding rule (the rules: portal/domain/direct_award/__init__.py, "Ranking")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from portal.domain.direct_award.cost import Costed, CostLine


@dataclass(frozen=True)
class RankedSupplier:
    supplier_id: int
    name: str
    rank: int  # 1 is first; suppliers in an unresolved tie share a rank
    total_pence: int
    framework_ranking: int | None
    lines: tuple[CostLine, ...]


SortKey = Callable[[Costed], tuple[int, int]]


def _by_cost(c: Costed) -> tuple[int, int]:
    return (0, c.total_pence)


def _by_ranking(c: Costed) -> tuple[int, int]:
    # Unranked suppliers sort after every ranked one and are level with each other on this rule.
    ranking = c.candidate.framework_ranking
    return (1, 0) if ranking is None else (0, ranking)


MECHANISMS: dict[str, SortKey] = {"lowest_cost": _by_cost, "highest_ranking": _by_ranking}
TIE_BREAKS: dict[str, SortKey] = {"framework_ranking": _by_ranking, "lower_cost": _by_cost}
# What each rule measures, for sentences: "level on whole-life cost", "wins the tie-break on framework ranking".
MEASURES = {
    "lowest_cost": "whole-life cost",
    "highest_ranking": "framework ranking",
    "framework_ranking": "framework ranking",
    "lower_cost": "whole-life cost",
}


def rank_capable(
    capable: list[Costed], rules: list[SortKey], rule_names: list[str]
) -> tuple[tuple[RankedSupplier, ...], tuple[int, ...], str | None]:
    """Order by the rules; level suppliers share a rank. Returns (ranking, unresolved top tie, deciding rule)."""
    keyed = [(tuple([rule(c) for rule in rules]), c.candidate.name, c.candidate.supplier_id, c) for c in capable]
    keyed.sort(key=lambda k: k[:3])  # name and id only fix the display order of suppliers level on every rule
    ranked: list[RankedSupplier] = []
    for position, (key, _, _, costed) in enumerate(keyed):
        rank = ranked[-1].rank if position and keyed[position - 1][0] == key else position + 1
        c = costed.candidate
        ranked.append(
            RankedSupplier(c.supplier_id, c.name, rank, costed.total_pence, c.framework_ranking, costed.lines)
        )
    tie = tuple(s.supplier_id for s in ranked if s.rank == 1) if len(ranked) > 1 and ranked[1].rank == 1 else ()
    decided_by = None
    if len(keyed) > 1 and not tie:
        decided_by = next(name for name, a, b in zip(rule_names, keyed[0][0], keyed[1][0], strict=True) if a != b)
    return tuple(ranked), tie, decided_by
