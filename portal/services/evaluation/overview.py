"""What each buyer-side user has to do after the deadline: the evaluation index and a competition's progress."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from portal.domain.competition_lifecycle import CompetitionState, standstill_over
from portal.domain.law import law_for
from portal.domain.roles import Role
from portal.extensions import db
from portal.models import Bid, Competition, CompetitionEvaluator, ModeratedScore, User
from portal.models.base import utcnow
from portal.services.competitions import access
from portal.services.evaluation import conflicts, opening, workflow
from portal.services.evaluation.scoring_adapter import quality_leaves
from portal.services.notices import standstill

S = CompetitionState


@dataclass(frozen=True)
class NextAction:
    text: str
    endpoint: str | None = None


@dataclass(frozen=True)
class IndexRow:
    competition: Competition
    state: CompetitionState
    action: NextAction
    to_score: int | None = None  # evaluators: scores still to enter
    total: int | None = None


def next_action(user: User, competition: Competition, now=None) -> NextAction:
    now = now or utcnow()
    state = access.state(competition, now)
    if state is S.CLOSED:  # opening under dual control: the colleagues of the officer who started it confirm
        started = opening.live_request(competition, now)
        if started is None:
            return NextAction("Open the bids", "evaluation.open_bids")
        if started.started_by_id == user.id:
            return NextAction("Waiting for a colleague to confirm the opening", "evaluation.open_bids")
        return NextAction("Confirm the opening of bids", "evaluation.open_bids")
    if state is S.OPENED:
        return NextAction("Assign evaluators", "evaluation.evaluators")
    if state is S.IN_EVALUATION:
        return NextAction("Moderate the scores", "evaluation.moderation")
    if state is S.MODERATED:
        return NextAction("Recommend the award", "evaluation.recommend")
    if state is S.AWARD_RECOMMENDED:
        if user.role == Role.APPROVER and user.id != competition.recommended_by_id:
            return NextAction("Approve the award", "evaluation.approve")
        return NextAction("Waiting for an approver", "evaluation.competition")
    if state is S.APPROVED:
        if competition.assessment_summaries_sent_at is None:
            return NextAction("Send the assessment summaries", "evaluation.letters")
        if standstill.starts_with_award_notice(competition):
            # Under the Act the standstill starts with the award notice, so this state means it is not recorded yet;
            # the notice's name and code come from the law table, never written here for one regime.
            notice = law_for(competition.lot.framework.regime).notices[0]
            return NextAction(f"Publish the {notice.name.lower()} ({notice.code})", "notices.index")
        return NextAction("Confirm the contract award", "evaluation.competition")
    if state is S.STANDSTILL:
        if standstill_over(access.facts(competition), now):
            return NextAction("Confirm the contract award", "evaluation.competition")
        return NextAction("Wait for the standstill period to end", "evaluation.competition")
    if state is S.AWARDED:
        return NextAction("View the results", "evaluation.results")
    return NextAction("No action")


def _submitted_count(competition: Competition) -> int:
    """Submitted bids, once opened; before that how many there are is sealed (portal/services/bids/sealed_records.py),
    so every figure built on it reads as none."""
    if competition.opened_at is None:
        return 0
    return db.session.execute(
        select(func.count(Bid.id)).where(Bid.competition_id == competition.id, Bid.status == "submitted")
    ).scalar_one()


def index_rows(user: User) -> list[IndexRow]:
    now = utcnow()
    query = access.visible_competitions(user).where(
        Competition.published_at.is_not(None), Competition.submission_deadline_at <= now
    )
    competitions = db.session.scalars(query.order_by(Competition.submission_deadline_at.desc())).all()
    rows = []
    for competition in competitions:
        state = access.state(competition, now)
        if user.role == Role.EVALUATOR:
            total, done = _evaluator_progress(user, competition)
            action = NextAction("Score the bids", "evaluation.scoring") if state is S.IN_EVALUATION else NextAction("")
            rows.append(IndexRow(competition, state, action, max(total - done, 0), total))
        else:
            rows.append(IndexRow(competition, state, next_action(user, competition, now)))
    return rows


def _evaluator_progress(user: User, competition: Competition) -> tuple[int, int]:
    """Scores to enter and entered: the bids they may score on their assigned criteria (before declaring, every
    submitted bid, as none is withheld yet)."""
    if conflicts.standing(user, competition).complete:
        sheet = workflow.scoring_sheet(user, competition)
        return sheet.total, sheet.done
    return _submitted_count(competition) * len(conflicts.assigned_criterion_ids(user.id, competition)), 0


def assigned_elsewhere(user: User) -> list[Competition]:
    """Competitions an officer is also assigned to evaluate (officers may evaluate too)."""
    if not user.is_procurement_officer:
        return []
    return list(
        db.session.scalars(
            select(Competition)
            .join(CompetitionEvaluator, CompetitionEvaluator.competition_id == Competition.id)
            .where(
                CompetitionEvaluator.user_id == user.id, Competition.buyer_organisation_id == user.buyer_organisation_id
            )
        )
    )


def moderation_progress(competition: Competition) -> tuple[int, int]:
    total = _submitted_count(competition) * len(quality_leaves(competition.criteria))
    done = db.session.execute(
        select(func.count(ModeratedScore.id)).where(ModeratedScore.competition_id == competition.id)
    ).scalar_one()
    return done, total
