"""The criteria as an assessment summary lists them, every criterion and sub-criterion, and a criterion's sub-total.

Procurement Regulations 2024 reg 31 asks for a supplier's score on each criterion *and sub-criterion*, with
sub-totals. Scoring (``evaluate``) weighs only the leaves and sums them per group; a criterion split into
sub-criteria is not scored itself. Its sub-total is what its sub-criteria won::

    criterion sub-total = sum of the weighted scores of the leaves below it          (marks out of 100, exact)

and its effective weight is worked out as a leaf's is (``criteria.share_of``: parent's x its own / 100), so it
equals the sum of its sub-criteria's. The sub-totals of a group's criteria add up to the group's sub-total
(``BidResult.group_subtotals``), and the group sub-totals to the total.

``criteria_outline(tree)`` lists every criterion and sub-criterion of every group depth first, a criterion before
its sub-criteria: ``depth`` is 1 for a criterion of a group, 2 for its sub-criteria, and so on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .criteria import CriteriaTree, Criterion, Group, Leaf, leaves, share_of, weight_of
from .exact import Exact


@dataclass(frozen=True, slots=True)
class OutlineRow:
    """A criterion or sub-criterion; ``leaf`` is None for one split into sub-criteria (it is not scored itself)."""

    key: str
    name: str
    path: tuple[str, ...]  # names from the group down to this criterion
    group_key: str
    depth: int
    effective_weight: Decimal  # marks out of 100
    leaf_keys: tuple[str, ...]  # the scored leaves it stands for, in tree order: its own key when it is a leaf
    leaf: Leaf | None

    @property
    def has_sub_criteria(self) -> bool:
        return self.leaf is None


def criteria_outline(tree: CriteriaTree) -> tuple[OutlineRow, ...]:
    """Every criterion and sub-criterion of a validated tree, depth first, each parent before its sub-criteria."""
    scored = {leaf.key: leaf for leaf in leaves(tree)}
    return tuple(
        row
        for group in tree.groups
        for criterion in group.criteria
        for row in _rows(group, criterion, (group.name,), weight_of(group), 1, scored)
    )


def _rows(
    group: Group,
    criterion: Criterion,
    names: tuple[str, ...],
    parent_weight: Decimal,
    depth: int,
    scored: Mapping[str, Leaf],
) -> list[OutlineRow]:
    weight, path = share_of(parent_weight, criterion), (*names, criterion.name)
    if not criterion.sub_criteria:
        leaf = scored[criterion.key]
        return [OutlineRow(criterion.key, criterion.name, path, group.key, depth, weight, (criterion.key,), leaf)]
    below = [row for sub in criterion.sub_criteria for row in _rows(group, sub, path, weight, depth + 1, scored)]
    leaf_keys = tuple(row.key for row in below if row.leaf is not None)
    return [OutlineRow(criterion.key, criterion.name, path, group.key, depth, weight, leaf_keys, None), *below]


def criterion_subtotal(row: OutlineRow, weighted: Mapping[str, Exact]) -> Exact | None:
    """The row's weighted score (a leaf's own; a parent's, the sum of its leaves'), exact. None when any leaf has
    none: a bid that failed a pass/fail criterion has no quality scores, a disqualified bid no price score."""
    values = [weighted.get(key) for key in row.leaf_keys]
    if any(value is None for value in values):
        return None
    if row.leaf is not None:
        return values[0]
    # Fractions add Decimals exactly, whatever their number of digits (Decimal addition would round at its precision).
    return sum((Fraction(value) for value in values if value is not None), Fraction(0))
