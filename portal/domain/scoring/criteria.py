"""The criteria tree of a mini-competition, its weights, and the rules that make a tree valid.

Shape: top-level **groups** (Quality, Price, Social value ...) -> **criteria** -> optional **sub-criteria**, to any
depth. Only leaves are scored. Pass/fail criteria ("holds Cyber Essentials Plus") sit beside the tree: they carry no
marks, they only disqualify.

Weights are percentages (``Decimal``) of the parent:
- siblings add up to exactly 100 at every level (the groups, the criteria of each group, the sub-criteria of each
  criterion);
- each weight is more than 0 and at most 100, and within its ``allowed`` range when the framework sets one
  (e.g. Quality 50-70 %; Procurement Act 2023 s.46: a call-off refines the framework's criteria, not replaces them).

Effective weight of a leaf (its share of the 100 marks), for weights w1 (group) ... wd (the leaf) down the path::

    effective_weight = w1 x w2 x ... x wd / 100^(d-1)

so Quality 60 -> Technical approach 25 -> Security 50 gives 60 x 25 x 50 / 100^2 = 7.5 marks. Because siblings add to
100, the effective weights of all leaves add to exactly 100.

Kinds of leaf: ``quality`` (scored on a 0-4, 0-5, 0-10 or 0-100 scale, optional minimum acceptable score) and
``price`` (at most one in the tree, never split, scored by the competition's price method).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import KW_ONLY, dataclass
from decimal import Decimal
from enum import StrEnum

from .exact import EXACT, is_exact_number, percent_text

HUNDRED = Decimal(100)
PATH_SEPARATOR = " \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} "  # Quality > Technical approach
ALLOWED_SCALES = (4, 5, 10, 100)
"""Scoring scales 0-4, 0-5, 0-10, 0-100. Each divides a power of ten, which keeps score/scale_max an exact Decimal."""


class CriterionKind(StrEnum):
    QUALITY = "quality"
    PRICE = "price"


@dataclass(frozen=True, slots=True)
class WeightRange:
    """The weights a framework allows for a group or criterion, inclusive (e.g. Quality 50-70 %)."""

    minimum: Decimal
    maximum: Decimal

    def __contains__(self, weight: Decimal | int) -> bool:
        return self.minimum <= weight <= self.maximum


@dataclass(frozen=True, slots=True)
class Criterion:
    """A criterion or sub-criterion. With ``sub_criteria`` it is a parent and is not scored itself."""

    key: str
    name: str
    weight: Decimal | None  # None while a draft is unfinished: validate_criteria reports it
    _: KW_ONLY  # the rest by name: a scale passed where the kind belongs would be a silent mistake
    kind: CriterionKind = CriterionKind.QUALITY
    scale_max: int = 5
    minimum_score: Decimal | None = None
    sub_criteria: tuple[Criterion, ...] = ()
    allowed: WeightRange | None = None


@dataclass(frozen=True, slots=True)
class Group:
    """A top-level group of criteria (Quality, Price, Social value). Its weight is a share of the whole 100."""

    key: str
    name: str
    weight: Decimal | None  # None while a draft is unfinished: validate_criteria reports it
    criteria: tuple[Criterion, ...]
    allowed: WeightRange | None = None


@dataclass(frozen=True, slots=True)
class PassFailCriterion:
    """A yes/no requirement; a 'no' (fail) disqualifies the bid."""

    key: str
    name: str


@dataclass(frozen=True, slots=True)
class CriteriaTree:
    groups: tuple[Group, ...]
    pass_fail: tuple[PassFailCriterion, ...] = ()


@dataclass(frozen=True, slots=True)
class Leaf:
    """A scored criterion with everything precomputed that scoring needs (computed once per evaluation)."""

    key: str
    name: str
    path: tuple[str, ...]  # names from the group down to this leaf, for messages and tables
    group_key: str
    kind: CriterionKind
    scale_max: int
    minimum_score: Decimal | None
    effective_weight: Decimal  # marks out of 100
    factor: Decimal  # effective_weight / scale_max: weighted score = score x factor (exact, see ALLOWED_SCALES)


@dataclass(frozen=True, slots=True)
class CriteriaProblem:
    """One reason a tree is invalid. ``path`` holds the keys down to the offending node (empty: the top level)."""

    path: tuple[str, ...]
    message: str


def weight_of(node: Group | Criterion) -> Decimal:
    """A node's weight, which every node of a tree that passed validate_criteria has."""
    if node.weight is None:
        raise ValueError(f"{node.name} has no weight: the criteria have not been validated")
    return node.weight


def leaves(tree: CriteriaTree) -> tuple[Leaf, ...]:
    """Every scored leaf, depth first in tree order, with its effective weight."""
    found: list[Leaf] = []
    for group in tree.groups:
        for criterion in group.criteria:
            found.extend(_leaves_under(group, criterion, (group.name,), weight_of(group)))
    return tuple(found)


def share_of(parent_weight: Decimal, criterion: Criterion) -> Decimal:
    """A criterion's effective weight (marks out of 100) from its parent's: parent x its weight / 100, exact."""
    return EXACT.divide(EXACT.multiply(parent_weight, weight_of(criterion)), HUNDRED)


def _leaves_under(group: Group, criterion: Criterion, names: tuple[str, ...], parent_weight: Decimal) -> Iterator[Leaf]:
    weight = share_of(parent_weight, criterion)
    path = (*names, criterion.name)
    if criterion.sub_criteria:
        for sub in criterion.sub_criteria:
            yield from _leaves_under(group, sub, path, weight)
        return
    scale = 1 if criterion.kind is CriterionKind.PRICE else criterion.scale_max
    yield Leaf(
        key=criterion.key,
        name=criterion.name,
        path=path,
        group_key=group.key,
        kind=criterion.kind,
        scale_max=scale,
        minimum_score=criterion.minimum_score,
        effective_weight=weight,
        factor=EXACT.divide(weight, Decimal(scale)),
    )


def price_leaf(tree: CriteriaTree) -> Leaf | None:
    return next((leaf for leaf in leaves(tree) if leaf.kind is CriterionKind.PRICE), None)


def validate_criteria(tree: CriteriaTree) -> list[CriteriaProblem]:
    """Every problem with the tree, each message naming the level or criterion. Empty list: the tree is valid."""
    problems: list[CriteriaProblem] = []
    if not tree.groups:
        return [CriteriaProblem((), "Add at least one group of criteria")]
    _check_siblings(problems, (), "Group weights", tree.groups)
    for group in tree.groups:
        if not group.criteria:
            problems.append(CriteriaProblem((group.key,), f"Add at least one criterion to {group.name}"))
            continue
        _check_siblings(problems, (group.key,), f"Criteria weights in {group.name}", group.criteria)
        for criterion in group.criteria:
            _check_criterion(problems, (group.key,), (group.name,), criterion)
    _check_keys_and_price(problems, tree)
    return problems


def _check_siblings(
    problems: list[CriteriaProblem], path: tuple[str, ...], level: str, nodes: Sequence[Group] | Sequence[Criterion]
) -> None:
    for node in nodes:
        where = (*path, node.key)
        if not is_exact_number(node.weight):
            problems.append(CriteriaProblem(where, f"Weight of {node.name} must be a number"))
            return
        if not Decimal(0) < node.weight <= HUNDRED:
            problems.append(CriteriaProblem(where, f"Weight of {node.name} must be more than 0 % and at most 100 %"))
        elif node.allowed is not None and node.weight not in node.allowed:
            low, high = percent_text(node.allowed.minimum), percent_text(node.allowed.maximum)
            problems.append(CriteriaProblem(where, f"{node.name} weight must be between {low} % and {high} %"))
    total = sum((weight_of(node) for node in nodes), Decimal(0))
    if total != HUNDRED:
        problems.append(
            CriteriaProblem(path, f"{level} add up to {percent_text(total)} %; they must add up to exactly 100 %")
        )


def _check_criterion(
    problems: list[CriteriaProblem], path: tuple[str, ...], names: tuple[str, ...], criterion: Criterion
) -> None:
    here, label = (*path, criterion.key), PATH_SEPARATOR.join((*names, criterion.name))
    if criterion.sub_criteria:
        if criterion.kind is CriterionKind.PRICE:
            problems.append(CriteriaProblem(here, f"Price criterion {label} cannot be split into sub-criteria"))
        _check_siblings(problems, here, f"Sub-criteria weights under {label}", criterion.sub_criteria)
        for sub in criterion.sub_criteria:
            _check_criterion(problems, here, (*names, criterion.name), sub)
        return
    if criterion.kind is CriterionKind.PRICE:
        return
    if criterion.scale_max not in ALLOWED_SCALES:
        problems.append(CriteriaProblem(here, f"Scoring scale for {label} must be 0-4, 0-5, 0-10 or 0-100"))
    elif criterion.minimum_score is not None and not 0 <= criterion.minimum_score <= criterion.scale_max:
        problems.append(
            CriteriaProblem(here, f"Minimum acceptable score for {label} must be between 0 and {criterion.scale_max}")
        )


def _walk(criteria: tuple[Criterion, ...]) -> Iterator[Criterion]:
    for criterion in criteria:
        yield criterion
        yield from _walk(criterion.sub_criteria)


def _check_keys_and_price(problems: list[CriteriaProblem], tree: CriteriaTree) -> None:
    # Groups and criteria are separate namespaces ("price" may name both the group and its criterion).
    criteria = [criterion for group in tree.groups for criterion in _walk(group.criteria)]
    for kind, keys in (
        ("group", [group.key for group in tree.groups]),
        ("criterion", [criterion.key for criterion in criteria] + [item.key for item in tree.pass_fail]),
    ):
        repeated = sorted(key for key, count in Counter(keys).items() if count > 1)
        if repeated:
            problems.append(CriteriaProblem((), f"Each {kind} needs its own key; repeated: {', '.join(repeated)}"))
    prices = [criterion.name for criterion in criteria if criterion.kind is CriterionKind.PRICE]
    if len(prices) > 1:
        problems.append(
            CriteriaProblem((), f"Only one criterion can be price; found {len(prices)}: {', '.join(prices)}")
        )
