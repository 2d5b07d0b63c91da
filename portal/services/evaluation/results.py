"""The results of a competition as the buyer sees them, and each bidder's assessment summary (reg 31).

Scores come from the pure scoring module (portal.domain.scoring) fed by scoring_adapter; nothing is cached, so the
page always reflects the moderated scores and price decisions on record. Numbers are exact until display, where
`display` rounds them to 2 decimal places (ROUNDING_RULE is stated on every page that shows them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from portal.domain.competition_lifecycle import CompetitionState
from portal.domain.scoring import (
    MARGIN_ROUNDING_RULE,
    PRICE_METHODS,
    ROUNDING_RULE,
    BidResult,
    CompetitionResult,
    CriterionKind,
    Leaf,
    ScoringInputError,
    WeightMargin,
    display,
    display_down,
    leaves,
    weight_of,
)
from portal.extensions import db
from portal.models import Bid, Competition, PriceExplanation, User
from portal.services.competitions import access
from portal.services.errors import ConflictError, NotFoundError
from portal.services.evaluation.scoring_adapter import ScoringInputs, moderated_scores, score, scoring_inputs
from portal.services.evaluation.summary_lines import DASH, SummaryLine, shown, summary_lines

S = CompetitionState
BEFORE_EVALUATION = (S.DRAFT, S.PUBLISHED, S.CLOSED, S.OPENED, S.CANCELLED)


@dataclass(frozen=True)
class GroupColumn:
    key: str
    name: str
    weight: Decimal
    leaves: list[Leaf]


@dataclass(frozen=True)
class ResultRow:
    bid: Bid
    result: BidResult
    cells: list[str]  # one per leaf, in column order: the moderated score, or the weighted price score
    subtotals: list[str]  # one per group
    total: str
    explanation: PriceExplanation | None


@dataclass(frozen=True)
class Results:
    competition: Competition
    state: CompetitionState
    inputs: ScoringInputs
    result: CompetitionResult | None
    problems: list[str]
    groups: list[GroupColumn]
    rows: list[ResultRow] = field(default_factory=list)
    rounding_rule: str = ROUNDING_RULE
    margin_rounding_rule: str = MARGIN_ROUNDING_RULE

    @property
    def provisional(self) -> bool:
        return self.state is S.IN_EVALUATION

    @property
    def price_method(self):
        return PRICE_METHODS.get(self.competition.price_method)

    @property
    def winner_row(self) -> ResultRow | None:
        if self.result is None or self.result.winner is None:
            return None
        return next(row for row in self.rows if row.result.key == self.result.winner)

    def margins_by_competitor(self) -> list[WeightMargin]:
        """Each competitor's smallest margin: how near it came to overtaking the winner on any one weight."""
        if self.result is None:
            return []
        best: dict[str, WeightMargin] = {}
        for margin in self.result.robustness.margins:
            held = best.get(margin.competitor)
            if held is None or margin.margin < held.margin:
                best[margin.competitor] = margin
        return sorted(best.values(), key=lambda m: m.margin)


def _columns(inputs: ScoringInputs) -> list[GroupColumn]:
    all_leaves = leaves(inputs.tree)
    return [
        GroupColumn(
            group.key, group.name, weight_of(group), [leaf for leaf in all_leaves if leaf.group_key == group.key]
        )
        for group in inputs.tree.groups
    ]


def _price_explanations(competition: Competition) -> dict[int, PriceExplanation]:
    rows = db.session.scalars(
        select(PriceExplanation)
        .join(Bid, Bid.id == PriceExplanation.bid_id)
        .where(Bid.competition_id == competition.id)
    )
    return {row.bid_id: row for row in rows}


class _ScoreTexts(dict):
    """Moderated score -> the text of its cell, each distinct score formatted once (a results table has 10,000
    cells and a handful of distinct scores); seeded with None -> a dash for a score not on record."""

    def __missing__(self, value: Decimal) -> str:
        text = self[value] = str(int(value))
        return text


def competition_results(user: User, competition: Competition) -> Results:
    """Results for a procurement officer (the caller has loaded the competition with get_for_officer)."""
    state = access.state(competition)
    if state in BEFORE_EVALUATION:
        raise ConflictError("Results are available once the bids have been opened and evaluation has started")
    inputs = scoring_inputs(user, competition)
    groups = _columns(inputs)
    try:
        result = score(inputs)
    except ScoringInputError as error:
        return Results(competition, state, inputs, None, error.problems, groups)
    moderated = inputs.moderated
    explanations = _price_explanations(competition)
    bids = {str(bid.id): bid for bid in inputs.bids}
    rows = []
    dash = "\N{EN DASH}"
    column_leaves = [leaf for group in groups for leaf in group.leaves]
    # One pass per row over the moderated scores (None marks the price column, filled in afterwards).
    leaf_ids = [None if leaf.kind is CriterionKind.PRICE else int(leaf.key) for leaf in column_leaves]
    price_columns = [(i, leaf.key) for i, leaf in enumerate(column_leaves) if leaf.kind is CriterionKind.PRICE]
    shown = _ScoreTexts({None: dash})
    for bid_result in result.bids:
        bid = bids[bid_result.key]
        score_of = moderated.get(bid.id, {}).get
        cells = [dash if leaf_id is None else shown[score_of(leaf_id)] for leaf_id in leaf_ids]
        for i, key in price_columns:
            value = bid_result.weighted.get(key)
            cells[i] = str(display(value)) if value is not None else dash
        subtotals = [
            str(display(bid_result.group_subtotals[g.key])) if g.key in bid_result.group_subtotals else dash
            for g in groups
        ]
        total = str(display(bid_result.total)) if bid_result.total is not None else dash
        rows.append(ResultRow(bid, bid_result, cells, subtotals, total, explanations.get(bid.id)))
    return Results(competition, state, inputs, result, [], groups, rows)


def below_mean_text(bid_result: BidResult) -> str:
    """'25.00 % below the mean of the other compliant bids' for an abnormally low price."""
    if bid_result.below_others_mean is None:
        return ""
    return f"{display_down(bid_result.below_others_mean * 100)} % below the mean of the other compliant bids"


# --- A bidder's assessment summary (Procurement Regulations 2024 reg 31) -------------------------------------------

DECIDED = (S.APPROVED, S.STANDSTILL, S.AWARDED)


@dataclass(frozen=True)
class ScoringScale:
    top: int
    criteria: list[str]
    descriptors: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class AssessmentSummary:
    competition: Competition
    bid: Bid
    decided: bool
    own: BidResult | None = None
    winner: BidResult | None = None
    winner_name: str = ""
    winner_bid: Bid | None = None
    lines: list[SummaryLine] = field(default_factory=list)
    groups: list[GroupColumn] = field(default_factory=list)
    rounding_rule: str = ROUNDING_RULE
    contact: User | None = None

    @property
    def is_winner(self) -> bool:
        return self.own is not None and self.winner is not None and self.own.key == self.winner.key

    @property
    def scales(self) -> list[ScoringScale]:
        """The published scoring scales, each distinct set of descriptors once, with the criteria scored on it."""
        found: dict[tuple[tuple[str, str], ...], ScoringScale] = {}
        for line in self.lines:
            if line.descriptors and line.scale_max is not None:
                scale = found.setdefault(line.descriptors, ScoringScale(line.scale_max, [], line.descriptors))
                scale.criteria.append(line.title)
        return list(found.values())

    def own_subtotal(self, key: str) -> str:
        return shown(self.own.group_subtotals.get(key)) if self.own else DASH

    def winner_subtotal(self, key: str) -> str:
        return shown(self.winner.group_subtotals.get(key)) if self.winner else DASH


def supplier_bid(user: User, competition_id: int) -> tuple[Competition, Bid]:
    """The competition and this supplier's submitted bid; 404 for anyone who did not bid."""
    competition = access.get_visible(user, competition_id)
    bid = db.session.scalar(
        select(Bid).where(
            Bid.competition_id == competition.id, Bid.supplier_id == user.supplier_id, Bid.status == "submitted"
        )
    )
    if bid is None:
        raise NotFoundError("Competition not found")
    return competition, bid


def summaries_sent(competition: Competition) -> bool:
    """A supplier sees its outcome once the buyer has sent the assessment summaries (evaluation/summaries.py)."""
    return access.state(competition) in DECIDED and competition.assessment_summaries_sent_at is not None


def summary_contact(competition: Competition) -> User | None:
    """Whom suppliers ask about their summary during the standstill: the officer who recommended the award (who ran
    the evaluation and moderation), or the approver when that officer has left."""
    for user_id in (competition.recommended_by_id, competition.approved_by_id):
        person = db.session.get(User, user_id) if user_id else None
        if person is not None and person.active:
            return person
    return None


def assessment_summary(user: User, competition_id: int) -> AssessmentSummary:
    competition, bid = supplier_bid(user, competition_id)
    if not summaries_sent(competition):
        return AssessmentSummary(competition, bid, decided=False)
    return next(summary for summary in decided_summaries(competition) if summary.bid.id == bid.id)


def decided_summaries(competition: Competition) -> list[AssessmentSummary]:
    """Every assessed bid's summary of an approved result, scored once (a supplier's page shows its own; the
    letters job issues them all). The result is computed as the approving officer reads the bids (prices and
    pass/fail included); each summary carries only its bid's own scores and the winner's."""
    approver = db.session.get(User, competition.approved_by_id)
    if approver is None:  # a decided competition was approved by someone
        raise ConflictError("The result has not been approved yet")
    inputs = scoring_inputs(approver, competition)
    result = score(inputs)
    winner = result.bid(result.winner) if result.winner else None
    winner_bid = next((b for b in inputs.bids if winner and str(b.id) == winner.key), None)
    winner_name = winner_bid.supplier.legal_name if winner_bid else ""
    moderated = moderated_scores(competition)
    columns = _columns(inputs)
    contact = summary_contact(competition)
    summaries = []
    for bid in inputs.bids:
        own = result.bid(str(bid.id))
        lines = summary_lines(competition, inputs, moderated, bid.id, own, winner)
        summaries.append(
            AssessmentSummary(
                competition, bid, True, own, winner, winner_name, winner_bid, lines, columns, contact=contact
            )
        )
    return summaries
