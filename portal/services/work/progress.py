"""How far the evaluations of several competitions have got, in a fixed number of grouped queries (not per row).

Only competitions whose bids are open to the buying side are counted (portal/domain/competition_state.py
`bids_opened`): before opening how many bids there are is sealed (portal/services/bids/sealed_records.py), so this
module never counts anything about a competition still sealed; callers show nothing about bids for those.

Per competition: the suppliers whose submitted bids count (the ones every evaluator declares against), each panel
member's declarations, conflicts (unmitigated), assigned criteria and scores entered, and the moderated scores.
An evaluator's scores to enter are its assigned criteria times the bids it may score (the bidders less those it has
an unmitigated conflict with), known once it has declared against every bidder.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased

from portal.domain.competition_state import bids_opened
from portal.extensions import db
from portal.models import (
    Bid,
    BidSubmission,
    Competition,
    CompetitionCriterion,
    CompetitionEvaluator,
    ConflictDeclaration,
    EvaluatorAssignment,
    ModeratedScore,
    Score,
)
from portal.services.competitions import access


@dataclass(frozen=True)
class EvaluatorProgress:
    declared: int  # bidders this evaluator has declared against
    conflicts: int  # unmitigated conflicts (bids withheld from it)
    criteria: int  # criteria assigned to it
    scored: int  # scores entered

    def complete_declarations(self, bidders: int) -> bool:
        return bidders > 0 and self.declared >= bidders

    def scores_due(self, bidders: int) -> int:
        return self.criteria * max(bidders - self.conflicts, 0)


@dataclass(frozen=True)
class Progress:
    bidders: int
    leaves: int  # quality criteria scored (and moderated) per bid
    moderated: int
    evaluators: dict[int, EvaluatorProgress] = field(default_factory=dict)

    @property
    def undeclared(self) -> int:
        """Panel members who have not yet declared against every bidder."""
        return sum(1 for e in self.evaluators.values() if not e.complete_declarations(self.bidders))

    @property
    def scores_due(self) -> int:
        return sum(e.scores_due(self.bidders) for e in self.evaluators.values())

    @property
    def scored(self) -> int:
        return sum(min(e.scored, e.scores_due(self.bidders)) for e in self.evaluators.values())

    @property
    def moderation_due(self) -> int:
        return self.bidders * self.leaves


def opened(competitions: Iterable[Competition], now: datetime) -> list[Competition]:
    """The competitions whose bids the buying side may read now: the only ones this module counts."""
    return [c for c in competitions if bids_opened(access.facts(c), now)]


def _grouped(query) -> dict:
    return {tuple(row[:-1]) if len(row) > 2 else row[0]: row[-1] for row in db.session.execute(query)}


def of(competitions: Iterable[Competition], now: datetime, user_id: int | None = None) -> dict[int, Progress]:
    """Progress of each opened competition by id (seven queries whatever the number); `user_id` limits the panel
    to one evaluator (an evaluator's own queue)."""
    ids = [c.id for c in opened(competitions, now)]
    if not ids:
        return {}
    live = select(BidSubmission.id).where(BidSubmission.bid_id == Bid.id, BidSubmission.withdrawn_at.is_(None))
    bidders = _grouped(
        select(Bid.competition_id, func.count(func.distinct(Bid.supplier_id)))
        .where(Bid.competition_id.in_(ids), Bid.status == "submitted", live.exists())
        .group_by(Bid.competition_id)
    )
    child = aliased(CompetitionCriterion)
    leaves = _grouped(
        select(CompetitionCriterion.competition_id, func.count(CompetitionCriterion.id))
        .where(
            CompetitionCriterion.competition_id.in_(ids),
            CompetitionCriterion.kind == "quality",
            ~select(child.id).where(child.parent_id == CompetitionCriterion.id).exists(),
        )
        .group_by(CompetitionCriterion.competition_id)
    )
    moderated = _grouped(
        select(ModeratedScore.competition_id, func.count(ModeratedScore.id))
        .where(ModeratedScore.competition_id.in_(ids))
        .group_by(ModeratedScore.competition_id)
    )
    panel_query = select(CompetitionEvaluator.competition_id, CompetitionEvaluator.user_id).where(
        CompetitionEvaluator.competition_id.in_(ids)
    )
    declared_query = (
        select(
            ConflictDeclaration.competition_id,
            ConflictDeclaration.user_id,
            func.count(func.distinct(ConflictDeclaration.supplier_id)),
            func.sum(
                case((and_(ConflictDeclaration.has_conflict, ConflictDeclaration.mitigation.is_(None)), 1), else_=0)
            ),
        )
        .where(ConflictDeclaration.competition_id.in_(ids), ConflictDeclaration.role == "evaluator")
        .group_by(ConflictDeclaration.competition_id, ConflictDeclaration.user_id)
    )
    assigned_query = (
        select(EvaluatorAssignment.competition_id, EvaluatorAssignment.user_id, func.count(EvaluatorAssignment.id))
        .where(EvaluatorAssignment.competition_id.in_(ids))
        .group_by(EvaluatorAssignment.competition_id, EvaluatorAssignment.user_id)
    )
    scored_query = (
        select(Score.competition_id, Score.evaluator_id, func.count(Score.id))
        .where(Score.competition_id.in_(ids))
        .group_by(Score.competition_id, Score.evaluator_id)
    )
    if user_id is not None:
        panel_query = panel_query.where(CompetitionEvaluator.user_id == user_id)
        declared_query = declared_query.where(ConflictDeclaration.user_id == user_id)
        assigned_query = assigned_query.where(EvaluatorAssignment.user_id == user_id)
        scored_query = scored_query.where(Score.evaluator_id == user_id)
    panel: dict[int, list[int]] = {}
    for competition_id, member in db.session.execute(panel_query):
        panel.setdefault(competition_id, []).append(member)
    declared = {(c, u): (n, int(k or 0)) for c, u, n, k in db.session.execute(declared_query)}
    assigned = _grouped(assigned_query)
    scored = _grouped(scored_query)
    out = {}
    for competition_id in ids:
        evaluators = {
            member: EvaluatorProgress(
                *declared.get((competition_id, member), (0, 0)),
                assigned.get((competition_id, member), 0),
                scored.get((competition_id, member), 0),
            )
            for member in panel.get(competition_id, [])
        }
        out[competition_id] = Progress(
            bidders.get(competition_id, 0), leaves.get(competition_id, 0), moderated.get(competition_id, 0), evaluators
        )
    return out
