"""The lines of a bidder's assessment summary: every criterion and sub-criterion, its score, reasons and sub-total.

Procurement Regulations 2024 reg 31 (and the reg 86 letter under PCR 2015) give a supplier its score on each
criterion and sub-criterion with the reasons by reference to its tender, its sub-totals and total, and the same for
the winning tender. One line per row of the domain's criteria outline (portal.domain.scoring.outline), a criterion
before its sub-criteria:

- a scored criterion (a leaf): how it was scored (the scale and any minimum, or the price method and its formula),
  the bid's score and the moderator's rationale, its weighted score, and the winner's score, rationale and weighted
  score;
- a criterion split into sub-criteria: not scored itself, so no score or rationale, and as its weighted score the
  sub-total of its sub-criteria (``criterion_subtotal``) for the bid and for the winner.

Group sub-totals and totals come from the scoring result itself (``BidResult.group_subtotals``, ``total``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from portal.domain.money import format_pence
from portal.domain.scoring import (
    PRICE_METHODS,
    BidResult,
    CriterionKind,
    OutlineRow,
    criteria_outline,
    criterion_subtotal,
    display,
)
from portal.domain.scoring.criteria import PATH_SEPARATOR
from portal.models import Competition, CompetitionCriterion, ModeratedScore
from portal.services.competitions.scales import descriptor_points
from portal.services.evaluation.scoring_adapter import ScoringInputs

DASH = "\N{EN DASH}"


@dataclass(frozen=True)
class SummaryLine:
    """One criterion or sub-criterion of the assessment summary: the bid's score and reasons, and the winner's."""

    row: OutlineRow
    how_scored: str
    own_score: str
    own_weighted: str  # a criterion split into sub-criteria: the sub-total of its sub-criteria
    rationale: str
    winner_score: str
    winner_weighted: str
    winner_rationale: str = ""
    # The published scale: (point, descriptor) from 0 up, a point being '3' or a band '20 to 39' (0-100 scale);
    # empty for price and for a criterion with sub-criteria.
    descriptors: tuple[tuple[str, str], ...] = ()

    @property
    def title(self) -> str:
        """The criterion's path below its group, joined by PATH_SEPARATOR (letters and the outcome page)."""
        return PATH_SEPARATOR.join(self.row.path[1:]) or self.row.name

    @property
    def name(self) -> str:
        return self.row.name

    @property
    def group_key(self) -> str:
        return self.row.group_key

    @property
    def depth(self) -> int:
        return self.row.depth

    @property
    def effective_weight(self) -> Decimal:
        return self.row.effective_weight

    @property
    def is_subtotal(self) -> bool:
        """A criterion split into sub-criteria: its line carries their sub-total, not a score of its own."""
        return self.row.has_sub_criteria

    @property
    def scale_max(self) -> int | None:
        return self.row.leaf.scale_max if self.row.leaf is not None else None


def shown(value) -> str:
    return DASH if value is None else str(display(value))


def summary_lines(
    competition: Competition,
    inputs: ScoringInputs,
    moderated: Mapping[tuple[int, int], ModeratedScore],
    bid_id: int,
    own: BidResult,
    winner: BidResult | None,
) -> list[SummaryLine]:
    """The summary's lines for one bid, beside the winner's (when there is one)."""
    winner_id = int(winner.key) if winner else None
    lines = []
    for row in criteria_outline(inputs.tree):
        own_weighted = shown(criterion_subtotal(row, own.weighted))
        winner_weighted = shown(criterion_subtotal(row, winner.weighted)) if winner else DASH
        if row.leaf is None:
            count = len(row.leaf_keys)
            how = f"Split into {count} sub-criteria: its weighted score is the sum of theirs"
            lines.append(SummaryLine(row, how, "", own_weighted, "", "", winner_weighted))
        elif row.leaf.kind is CriterionKind.PRICE:
            method = PRICE_METHODS[competition.price_method]
            how = f"{method.label}. {method.formula}"
            theirs = _price_text(winner) if winner else DASH
            lines.append(SummaryLine(row, how, _price_text(own), own_weighted, "", theirs, winner_weighted))
        else:
            node = inputs.nodes[int(row.key)]
            how = f"Scored from 0 to {row.leaf.scale_max} against the published descriptors"
            if node.min_score is not None:
                how += f"; a score below {int(node.min_score)} disqualifies"
            mine = moderated.get((bid_id, node.id))
            theirs_row = moderated.get((winner_id, node.id)) if winner_id else None
            lines.append(
                SummaryLine(
                    row,
                    how,
                    _score_text(mine, row.leaf.scale_max),
                    own_weighted,
                    mine.rationale if mine else "",
                    _score_text(theirs_row, row.leaf.scale_max),
                    winner_weighted,
                    theirs_row.rationale if theirs_row else "",
                    published_descriptors(node, row.leaf.scale_max),
                )
            )
    return lines


def published_descriptors(node: CompetitionCriterion, scale_max: int) -> tuple[tuple[str, str], ...]:
    """The criterion's descriptors labelled as published: a 0-100 scale's are bands stored at their lowest score."""
    labels = dict(descriptor_points(scale_max))
    ordered = sorted(node.descriptors, key=lambda d: d.score)
    return tuple((labels.get(d.score, str(d.score)), d.descriptor) for d in ordered)


def _score_text(moderated: ModeratedScore | None, scale_max: int) -> str:
    return f"{int(moderated.score)} out of {scale_max}" if moderated else DASH


def _price_text(bid_result: BidResult | None) -> str:
    if bid_result is None or bid_result.price_pence is None:
        return DASH
    return f"Total price {format_pence(bid_result.price_pence)}"
