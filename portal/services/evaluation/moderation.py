"""Moderation: the buyer, as moderator, sees every evaluator's score and records one consensus score per bid and
criterion with a rationale. Individual scores stay on record; the moderated score is the one that counts.

Disagreement (portal.domain.scoring.find_disagreements) is flagged where evaluators' scores for a bid and criterion
spread more than 40 % of the scale. Moderation completes (lifecycle COMPLETE_MODERATION) only when every bid and
quality criterion has a moderated score.

A rationale explains one bid's score by reference to its tender: the same text given to several bids on one criterion
(portal.domain.scoring.pasted) is flagged here and on the results page, and the assessment summaries are not sent
until it is made specific. So after approval, until the summaries are sent, the moderator may still rewrite a
rationale (never the score, which the approved result rests on).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from portal.domain.competition_lifecycle import Action, CompetitionState
from portal.domain.scoring import Disagreement, EvaluatorScores, find_disagreements
from portal.domain.scoring.pasted import Rationale, find_pasted_rationales
from portal.extensions import db
from portal.models import Bid, Competition, CompetitionCriterion, ModeratedScore, Score, User
from portal.models.base import utcnow
from portal.services import audit
from portal.services.competitions import access
from portal.services.errors import ConflictError, ValidationError
from portal.services.evaluation import declarations
from portal.services.evaluation.scoring_adapter import criteria_tree, moderated_scores, quality_leaves, readable_bids
from portal.services.evaluation.workflow import bid_and_criterion, officer_competition, parse_score, transition


@dataclass(frozen=True)
class ModerationCell:
    bid: Bid
    criterion: CompetitionCriterion
    scores: list[Score]
    moderated: ModeratedScore | None
    disagreement: Disagreement | None


@dataclass(frozen=True)
class ModerationBoard:
    bids: list[Bid]
    criteria: list[CompetitionCriterion]
    cells: dict[tuple[int, int], ModerationCell]

    @property
    def total(self) -> int:
        return len(self.cells)

    @property
    def done(self) -> int:
        return sum(1 for cell in self.cells.values() if cell.moderated is not None)

    @property
    def flagged(self) -> int:
        return sum(1 for cell in self.cells.values() if cell.disagreement is not None)

    def missing(self) -> list[ModerationCell]:
        return [cell for cell in self.cells.values() if cell.moderated is None]


def board(user: User, competition: Competition) -> ModerationBoard:
    """Every bid x quality criterion with all evaluators' scores (officers only: callers get the competition so)."""
    bids = readable_bids(user, competition)
    criteria = quality_leaves(competition.criteria)
    scores: dict[tuple[int, int], list[Score]] = {}
    for row in db.session.scalars(
        select(Score).where(Score.competition_id == competition.id).order_by(Score.evaluator_id)
    ):
        scores.setdefault((row.bid_id, row.criterion_id), []).append(row)
    moderated = moderated_scores(competition)
    tree = criteria_tree(competition.criteria)
    flags = {
        (int(d.bid_key), int(d.criterion_key)): d
        for d in find_disagreements(
            tree,
            [
                EvaluatorScores(str(bid_id), str(criterion_id), tuple(s.score for s in rows))
                for (bid_id, criterion_id), rows in scores.items()
                if any(c.id == criterion_id for c in criteria)
            ],
        )
    }
    cells = {
        (bid.id, criterion.id): ModerationCell(
            bid,
            criterion,
            scores.get((bid.id, criterion.id), []),
            moderated.get((bid.id, criterion.id)),
            flags.get((bid.id, criterion.id)),
        )
        for bid in bids
        for criterion in criteria
    }
    return ModerationBoard(bids, criteria, cells)


DECIDED = (CompetitionState.APPROVED, CompetitionState.STANDSTILL, CompetitionState.AWARDED)


def rationale_only(competition: Competition) -> bool:
    """After approval and before the summaries are sent only rationales may change (to make pasted ones specific)."""
    return access.state(competition) in DECIDED and competition.assessment_summaries_sent_at is None


def can_moderate(competition: Competition) -> bool:
    return access.state(competition) is CompetitionState.IN_EVALUATION or rationale_only(competition)


def can_complete(competition: Competition) -> bool:
    """Moderation is completed once, during evaluation (the lifecycle allows COMPLETE_MODERATION only then)."""
    return access.state(competition) is CompetitionState.IN_EVALUATION


def _moderating(user: User, competition_id: int) -> Competition:
    competition = officer_competition(user, competition_id, for_update=True)
    state = access.state(competition)
    if not can_moderate(competition):
        raise ConflictError(f"Moderated scores cannot be recorded because the competition is {state.label.lower()}")
    declarations.require(user, competition, "moderator")
    return competition


@dataclass(frozen=True)
class PastedWarning:
    """One rationale text given to several bids on one criterion."""

    criterion: CompetitionCriterion
    text: str
    bids: list[Bid]

    @property
    def sentence(self) -> str:
        names = ", ".join(bid.supplier.short_name for bid in self.bids)
        return f"{self.criterion.title}: the same rationale is given to {names}"


def pasted_rationales(competition: Competition) -> list[PastedWarning]:
    """Moderated rationales pasted across bids, per criterion (portal.domain.scoring.pasted)."""
    rows = moderated_scores(competition)
    found = find_pasted_rationales(
        Rationale(str(bid_id), str(criterion_id), row.rationale) for (bid_id, criterion_id), row in sorted(rows.items())
    )
    if not found:
        return []
    criteria = {c.id: c for c in competition.criteria}
    bids = {bid.id: bid for bid in db.session.scalars(select(Bid).where(Bid.competition_id == competition.id))}
    return [
        PastedWarning(criteria[int(item.criterion_key)], item.text, [bids[int(key)] for key in item.bid_keys])
        for item in found
    ]


def pasted_refusal(warnings: list[PastedWarning]) -> str:
    """Why the summaries cannot be sent yet, naming each criterion and its bids."""
    return (
        "Each rationale must explain that bid's score by reference to its own tender. Make these specific before "
        "sending the assessment summaries: " + "; ".join(w.sentence for w in warnings)
    )


def record_moderated_score(
    user: User, competition_id: int, bid_id: int, criterion_id: int, score: object, rationale: str
) -> ModeratedScore:
    competition = _moderating(user, competition_id)
    bid, criterion = bid_and_criterion(user, competition, bid_id, criterion_id)
    value = parse_score(score, criterion.scale_max)
    rationale = (rationale or "").strip()
    if not rationale:
        raise ValidationError("Enter the rationale for the moderated score", field="rationale")
    row = db.session.scalar(
        select(ModeratedScore).where(ModeratedScore.bid_id == bid.id, ModeratedScore.criterion_id == criterion.id)
    )
    if rationale_only(competition) and (row is None or row.score != value):
        raise ConflictError(
            "The award has been approved on these scores: only the rationale can be changed now", field="score"
        )
    before = {"score": str(int(row.score)), "rationale": row.rationale} if row else {}
    if row is None:
        row = ModeratedScore(competition_id=competition.id, bid_id=bid.id, criterion_id=criterion.id)
        db.session.add(row)
    row.score, row.rationale, row.moderator_id = value, rationale, user.id
    after = {"score": str(value), "rationale": rationale}
    if before:
        before, after = audit.changed(before, after)
    audit.record(
        user,
        "score.moderated_changed" if before else "score.moderated",
        "bid",
        bid.id,
        summary=f"Moderated score for {bid.supplier.short_name} on {criterion.title}: {value}",
        before=before,
        after={**after, "criterion_id": criterion.id},
    )
    db.session.commit()
    return row


def complete_moderation(user: User, competition_id: int) -> Competition:
    competition = officer_competition(user, competition_id, for_update=True)
    now = utcnow()
    status = access.state(competition, now)
    if status is CompetitionState.IN_EVALUATION:
        declarations.require(user, competition, "moderator")
        missing = board(user, competition).missing()
        if missing:
            raise ValidationError(
                f"Record a moderated score for every bid and criterion before completing moderation: "
                f"{len(missing)} still to do"
            )
    transition(competition, Action.COMPLETE_MODERATION, now)
    competition.moderated_by_id = user.id
    audit.record(
        user,
        "competition.moderation_completed",
        "competition",
        competition.id,
        summary="Moderation completed",
        after={"moderated_at": now, "moderated_by": user.email},
    )
    db.session.commit()
    return competition
