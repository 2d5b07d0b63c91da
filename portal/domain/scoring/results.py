"""What scoring returns: plain frozen dataclasses the results page, the reg 31 assessment summary and the award
service read. Every number is exact (``Decimal`` or ``Fraction``, see ``exact``); pass it through
``exact.display`` to show it.

Units: ``weighted``, ``group_subtotals``, ``quality_total`` and ``total`` are marks out of 100 (percentage points);
``group_scores`` is the percentage of a group's own marks a bid won (0..100, independent of the group's weight,
which is what the robustness calculation moves); ``price_fraction`` is the share of the price marks won (0..1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from .exact import ROUNDING_RULE, Exact


@dataclass(frozen=True)
class BidResult:
    key: str
    name: str
    compliant: bool
    disqualification_reasons: tuple[str, ...]
    price_pence: int | None
    weighted: dict[str, Exact]  # leaf key -> weighted score; a disqualified bid has no price entry
    quality_total: Decimal  # sum of every non-price weighted score (quality and social value)
    price_fraction: Fraction | None = None  # None unless compliant and the tree has a price criterion
    price_score: Fraction | None = None  # price_fraction x the price criterion's effective weight
    group_subtotals: dict[str, Fraction] = field(default_factory=dict)  # empty for a disqualified bid
    group_scores: dict[str, Fraction] = field(default_factory=dict)  # empty for a disqualified bid
    total: Fraction | None = None  # None for a disqualified bid
    rank: int | None = None  # None for a disqualified bid; tied bids share a rank (1, 2, 2, 4)
    below_others_mean: Fraction | None = None  # set only when abnormally low: 0.25 means 25 % below

    @property
    def abnormally_low(self) -> bool:
        return self.below_others_mean is not None


@dataclass(frozen=True, slots=True)
class WeightMargin:
    """How far one top-level weight must move before ``competitor`` overtakes the winner.

    At ``crossover_weight`` the two totals are equal (the published tie-break then decides); beyond it, in
    ``direction``, the competitor's total is strictly higher.
    """

    competitor: str
    competitor_name: str
    group_key: str
    group_name: str
    current_weight: Decimal
    crossover_weight: Fraction
    direction: str  # "up" or "down"
    margin: Fraction  # |crossover_weight - current_weight|, in percentage points


@dataclass(frozen=True, slots=True)
class Robustness:
    winner: str | None
    margins: tuple[WeightMargin, ...]  # only (competitor, group) pairs where a weight within 0..100 flips the result
    smallest: WeightMargin | None
    statement: str


@dataclass(frozen=True)
class CompetitionResult:
    bids: tuple[BidResult, ...]  # compliant bids in rank order, then disqualified bids by key
    winner: str | None  # None when no bid is compliant or when first place is an unresolved tie
    unresolved_ties: tuple[tuple[str, ...], ...]  # bid keys sharing a rank after every tie-break rule
    tie_break_notes: tuple[str, ...]  # plain-English account of every tie and how it was (or was not) broken
    robustness: Robustness
    price_method: str
    rounding_rule: str = ROUNDING_RULE

    def bid(self, key: str) -> BidResult:
        return next(bid for bid in self.bids if bid.key == key)

    @property
    def ranked(self) -> tuple[BidResult, ...]:
        return tuple(bid for bid in self.bids if bid.compliant)

    @property
    def disqualified(self) -> tuple[BidResult, ...]:
        return tuple(bid for bid in self.bids if not bid.compliant)

    @property
    def tied_for_first(self) -> tuple[str, ...]:
        """Non-empty when first place is tied after every published rule: drawing lots is needed."""
        return next((tie for tie in self.unresolved_ties if self.bid(tie[0]).rank == 1), ())
