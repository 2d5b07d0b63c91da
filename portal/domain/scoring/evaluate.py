"""Scoring a mini-competition: disqualification, weighted scores, totals, ranking and robustness in one call.

``evaluate(tree, bids, rules)`` runs these steps, in this order:

1. Check the inputs (tree valid, method and tie-break names known, every score on its scale, prices positive);
   any problem raises ``ScoringInputError`` listing every problem. Nothing is guessed.
2. Disqualify: a bid is disqualified, with one reason per failure, when it fails (answers "no" to) any pass/fail
   criterion, or when its moderated score on a quality criterion is *below* that criterion's minimum acceptable
   score (equal to the minimum passes). A bid that failed pass/fail needs no quality scores.
3. Weighted score of each quality leaf (marks out of 100)::

       weighted = moderated score / scale_max x effective weight        (exact Decimal)

4. Price, among compliant bids only: ``price fraction`` from the chosen method (``price.PRICE_METHODS``), then
   ``weighted price = price fraction x effective weight of the price criterion``.
5. Group subtotal = sum of the weighted scores of the group's leaves; total = sum of group subtotals (0..100).
   Group score (for robustness) = subtotal x 100 / group weight.
6. Abnormally low price flag among compliant bids (``price.abnormally_low``).
7. Rank compliant bids by total with the published tie-breaks (``ranking``); disqualified bids are not ranked.
8. Decision robustness for the winner (``robustness``).

Inputs: moderated (consensus) scores as ``Decimal`` (or int), prices as integer pence (the schedule total from
``price.price_schedule_total``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, DecimalException, localcontext
from fractions import Fraction

from .criteria import PATH_SEPARATOR, CriteriaTree, CriterionKind, Leaf, leaves, validate_criteria, weight_of
from .exact import EXACT, Exact, is_exact_number
from .price import ABNORMALLY_LOW_THRESHOLD, PRICE_METHODS, abnormally_low
from .ranking import rank_bids, tie_break_rule
from .results import BidResult, CompetitionResult
from .robustness import decision_robustness

_ZERO, _HUNDRED = Fraction(0), Fraction(100)


class ScoringInputError(ValueError):
    """The inputs cannot be scored; ``problems`` lists every reason in plain English."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True, slots=True)
class BidInput:
    key: str  # unique within the competition (e.g. the bid id)
    name: str  # the supplier's name, for reasons and notes
    scores: Mapping[str, Decimal] = field(default_factory=dict)  # quality leaf key -> moderated score
    pass_fail: Mapping[str, bool] = field(default_factory=dict)  # pass/fail key -> True (pass) / False (fail)
    price_pence: int | None = None  # schedule total; required when the tree has a price criterion


@dataclass(frozen=True, slots=True)
class ScoringRules:
    """What the buyer published with the competition."""

    price_method: str = "lowest"
    budget_pence: int | None = None  # needed by the "linear" method
    tie_breaks: tuple[str, ...] = ("higher_quality", "lower_price")
    abnormally_low_threshold: Decimal = ABNORMALLY_LOW_THRESHOLD


def evaluate(tree: CriteriaTree, bids: Sequence[BidInput], rules: ScoringRules | None = None) -> CompetitionResult:
    rules = rules or ScoringRules()
    all_leaves = _checked_leaves(tree, bids, rules)
    quality = [leaf for leaf in all_leaves if leaf.kind is CriterionKind.QUALITY]
    price_leaf = next((leaf for leaf in all_leaves if leaf.kind is CriterionKind.PRICE), None)
    try:
        with localcontext(EXACT):
            sheets = [_assess(tree, quality, bid) for bid in bids]
    except DecimalException as exc:  # EXACT traps any rounding: refuse rather than round silently
        raise ScoringInputError(["Scores and weights have too many digits to be calculated exactly"]) from exc
    compliant = [sheet for sheet in sheets if not sheet.reasons]
    _score_price(compliant, price_leaf, rules)
    _total(tree, compliant, price_leaf)
    _flag_abnormally_low(compliant, rules)
    group_names = {group.key: group.name for group in tree.groups}
    ranking = rank_bids(compliant, [tie_break_rule(name, group_names) for name in rules.tie_breaks])
    by_key = {sheet.key: sheet for sheet in compliant}
    ranked = [by_key[key].result(ranking.ranks[key]) for key in ranking.order]
    first = [bid.key for bid in ranked if bid.rank == 1]
    winner = first[0] if len(first) == 1 else None
    disqualified = [sheet.result(None) for sheet in sorted(sheets, key=lambda sheet: sheet.key) if sheet.reasons]
    return CompetitionResult(
        bids=(*ranked, *disqualified),
        winner=winner,
        unresolved_ties=ranking.unresolved_ties,
        tie_break_notes=ranking.notes,
        robustness=decision_robustness(tree.groups, ranked, winner),
        price_method=rules.price_method,
    )


@dataclass(slots=True)
class _Sheet:
    """One bid's score sheet while it is worked out (mutable for speed); frozen into a BidResult at the end."""

    bid: BidInput
    reasons: list[str]
    weighted: dict[str, Exact]
    quality_total: Decimal
    quality_sums: dict[str, Decimal]  # group key -> sum of the group's weighted quality scores
    price_fraction: Fraction | None = None
    price_score: Fraction | None = None
    group_subtotals: dict[str, Fraction] = field(default_factory=dict)
    group_scores: dict[str, Fraction] = field(default_factory=dict)
    total: Fraction | None = None
    below_others_mean: Fraction | None = None

    @property
    def key(self) -> str:
        return self.bid.key

    @property
    def name(self) -> str:
        return self.bid.name

    @property
    def price_pence(self) -> int | None:
        return self.bid.price_pence

    def result(self, rank: int | None) -> BidResult:
        return BidResult(
            key=self.bid.key,
            name=self.bid.name,
            compliant=not self.reasons,
            disqualification_reasons=tuple(self.reasons),
            price_pence=self.bid.price_pence,
            weighted=self.weighted,
            quality_total=self.quality_total,
            price_fraction=self.price_fraction,
            price_score=self.price_score,
            group_subtotals=self.group_subtotals,
            group_scores=self.group_scores,
            total=self.total,
            rank=rank,
            below_others_mean=self.below_others_mean,
        )


def _assess(tree: CriteriaTree, quality: Sequence[Leaf], bid: BidInput) -> _Sheet:
    """Steps 2 and 3: reasons for disqualification and the weighted quality scores (runs inside EXACT)."""
    reasons = [f"Failed pass/fail criterion: {item.name}" for item in tree.pass_fail if not bid.pass_fail[item.key]]
    weighted: dict[str, Exact] = {}
    sums = {group.key: Decimal(0) for group in tree.groups}
    scores = bid.scores
    for leaf in quality:
        score = scores.get(leaf.key)
        if score is None:  # only possible for a bid that failed pass/fail (see _bid_problems)
            continue
        value = weighted[leaf.key] = score * leaf.factor
        sums[leaf.group_key] += value
        if leaf.minimum_score is not None and score < leaf.minimum_score:
            reasons.append(
                f"Scored {score} on {PATH_SEPARATOR.join(leaf.path)}, "
                f"below the minimum acceptable score of {leaf.minimum_score}"
            )
    return _Sheet(bid, reasons, weighted, sum(sums.values(), Decimal(0)), sums)


def _score_price(compliant: list[_Sheet], price_leaf: Leaf | None, rules: ScoringRules) -> None:
    """Step 4: price scores among compliant bids only."""
    if price_leaf is None or not compliant:
        return
    # Step 1 refused a bid without a price whenever the tree has a price criterion.
    prices = [_price_of(sheet) for sheet in compliant]
    fractions = PRICE_METHODS[rules.price_method].score(prices, rules.budget_pence)
    available = Fraction(price_leaf.effective_weight)
    for sheet, fraction in zip(compliant, fractions, strict=True):
        sheet.price_fraction = fraction
        sheet.price_score = sheet.weighted[price_leaf.key] = fraction * available


def _total(tree: CriteriaTree, compliant: list[_Sheet], price_leaf: Leaf | None) -> None:
    """Step 5: subtotals (each Decimal group sum converted to Fraction once), group scores and the total."""
    per_weight = [(group.key, _HUNDRED / Fraction(weight_of(group))) for group in tree.groups]
    price_group = price_leaf.group_key if price_leaf is not None else None
    for sheet in compliant:
        total = _ZERO
        for key, hundred_over_weight in per_weight:
            subtotal = Fraction(sheet.quality_sums[key])
            if key == price_group:
                subtotal += _price_score_of(sheet)
            sheet.group_subtotals[key] = subtotal
            sheet.group_scores[key] = subtotal * hundred_over_weight
            total += subtotal
        sheet.total = total


def _flag_abnormally_low(compliant: list[_Sheet], rules: ScoringRules) -> None:
    """Step 6: compare each priced compliant bid with the mean of the other priced compliant bids."""
    priced = [(sheet, sheet.price_pence) for sheet in compliant if sheet.price_pence is not None]
    flags = abnormally_low([price for _, price in priced], rules.abnormally_low_threshold)
    for (sheet, _), below in zip(priced, flags, strict=True):
        sheet.below_others_mean = below


def _price_of(sheet: _Sheet) -> int:
    if sheet.price_pence is None:
        raise ScoringInputError([f"{sheet.name}'s total price must be a whole number of pence more than 0"])
    return sheet.price_pence


def _price_score_of(sheet: _Sheet) -> Fraction:
    if sheet.price_score is None:  # step 4 scores the price of every compliant bid when there is a price criterion
        raise ValueError(f"{sheet.name}'s price has not been scored")
    return sheet.price_score


def _checked_leaves(tree: CriteriaTree, bids: Sequence[BidInput], rules: ScoringRules) -> tuple[Leaf, ...]:
    """Step 1: raise ScoringInputError with every problem, or return the tree's leaves."""
    problems = [problem.message for problem in validate_criteria(tree)] + _rule_problems(tree, rules)
    if problems:
        raise ScoringInputError(problems)
    all_leaves = leaves(tree)
    problems = _bid_problems(tree, all_leaves, bids)
    if problems:
        raise ScoringInputError(problems)
    return all_leaves


def _valid_score(score: object, scale_max: int) -> bool:
    if type(score) is Decimal:  # the usual case, checked without the general isinstance walk
        return score.is_finite() and 0 <= score <= scale_max
    return is_exact_number(score) and 0 <= score <= scale_max


def _rule_problems(tree: CriteriaTree, rules: ScoringRules) -> list[str]:
    problems = []
    method = PRICE_METHODS.get(rules.price_method)
    if method is None:
        problems.append(f"Choose a price scoring method: {', '.join(PRICE_METHODS)}")
    elif method.needs_budget and (rules.budget_pence is None or rules.budget_pence <= 0):
        problems.append("Enter a budget of more than £0 for the linear price method")
    group_names = {group.key: group.name for group in tree.groups}
    for name in rules.tie_breaks:
        try:
            tie_break_rule(name, group_names)
        except KeyError:
            problems.append(f"Unknown tie-break rule: {name}")
    if not Decimal(0) <= rules.abnormally_low_threshold < 1:
        problems.append("The abnormally low price threshold must be at least 0 and less than 1")
    return problems


def _bid_problems(tree: CriteriaTree, all_leaves: Sequence[Leaf], bids: Sequence[BidInput]) -> list[str]:
    problems = []
    keys = [bid.key for bid in bids]
    if len(set(keys)) != len(keys):
        problems.append("Each bid needs its own key")
    quality = {leaf.key: leaf for leaf in all_leaves if leaf.kind is CriterionKind.QUALITY}
    has_price = any(leaf.kind is CriterionKind.PRICE for leaf in all_leaves)
    for bid in bids:
        failed = False
        for item in tree.pass_fail:
            answer = bid.pass_fail.get(item.key)
            if not isinstance(answer, bool):
                problems.append(f"{bid.name} has no pass or fail recorded for {item.name}")
            failed = failed or answer is False
        for key, score in bid.scores.items():
            leaf = quality.get(key)
            if leaf is None:
                problems.append(f"{bid.name} has a score for {key}, which is not a quality criterion")
            elif not _valid_score(score, leaf.scale_max):
                problems.append(f"{bid.name}'s score for {leaf.name} must be a number from 0 to {leaf.scale_max}")
        missing = [leaf.name for key, leaf in quality.items() if key not in bid.scores]
        if missing and not failed:
            problems.append(f"{bid.name} has no moderated score for {', '.join(missing)}")
        price = bid.price_pence
        if (has_price or price is not None) and (isinstance(price, bool) or not isinstance(price, int) or price <= 0):
            problems.append(f"{bid.name}'s total price must be a whole number of pence more than 0")
    return problems
