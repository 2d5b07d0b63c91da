"""Evaluator disagreement: which bid-and-criterion scores need a moderation conversation first.

Individual evaluators' scores are inputs to moderation only; the moderated (consensus) score is what counts. A
bid's scores on a criterion are flagged when their spread is *more than* the threshold share of the scale::

    max(scores) - min(scores) > threshold x scale_max        (default threshold 0.40, i.e. 40 % of the scale)

so on a 0-5 scale scores of 1 and 3 (spread 2 = 40 %) are not flagged, 1 and 4 are. Fewer than two scores are
never flagged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .criteria import CriteriaTree, CriterionKind, leaves

DISAGREEMENT_THRESHOLD = Decimal("0.40")


@dataclass(frozen=True, slots=True)
class EvaluatorScores:
    """Every evaluator's individual score for one bid on one quality criterion."""

    bid_key: str
    criterion_key: str
    scores: tuple[Decimal, ...]


@dataclass(frozen=True, slots=True)
class Disagreement:
    bid_key: str
    criterion_key: str
    lowest: Decimal
    highest: Decimal
    scale_max: int

    @property
    def spread(self) -> Decimal:
        return self.highest - self.lowest


def find_disagreements(
    tree: CriteriaTree, individual: Iterable[EvaluatorScores], threshold: Decimal = DISAGREEMENT_THRESHOLD
) -> list[Disagreement]:
    """Flagged (bid, criterion) pairs, in the order given. Scores for unknown criteria raise KeyError."""
    # Precompute the largest allowed spread per criterion once: threshold x scale is exact (a short decimal).
    limits = {
        leaf.key: (threshold * leaf.scale_max, leaf.scale_max)
        for leaf in leaves(tree)
        if leaf.kind is CriterionKind.QUALITY
    }
    flagged = []
    for entry in individual:
        limit, scale_max = limits[entry.criterion_key]
        if len(entry.scores) < 2:
            continue
        lowest, highest = min(entry.scores), max(entry.scores)
        if highest - lowest > limit:
            flagged.append(Disagreement(entry.bid_key, entry.criterion_key, lowest, highest, scale_max))
    return flagged
