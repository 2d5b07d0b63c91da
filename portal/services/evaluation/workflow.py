"""After the deadline: the helpers of opening the bids (the opening itself, under dual control, is
portal.services.evaluation.opening), evaluators and their conflict declarations, and scoring.

Evaluation starts (lifecycle START_EVALUATION) as soon as the bids are open AND at least one evaluator is assigned:
when the bids are opened with evaluators already assigned, or when the first evaluator is assigned after opening.
No separate button is needed; the transition is audited like every other.

Evaluators score independently: each sees only their own scores. Scoring needs the bids to be open, the evaluator
to have declared for every bidding supplier, no unmitigated conflict with the bid's supplier, an assignment to the
criterion, and the competition to be in evaluation (scores can be changed until moderation is complete; each change
is audited with before and after). The panel itself (who, which criteria, declarations, mitigations) is in
portal.services.evaluation_panel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from portal.domain.competition_lifecycle import Action, CompetitionState, TransitionError, apply, check_transition
from portal.domain.roles import BUYER_SIDE
from portal.extensions import db
from portal.models import Bid, Competition, CompetitionEvaluator, Score, User
from portal.models.base import utcnow
from portal.services import audit
from portal.services.bids import seal
from portal.services.competitions import access
from portal.services.errors import ConflictError, NotFoundError, ValidationError
from portal.services.evaluation import conflicts
from portal.services.evaluation.conflicts import ConflictedError, UnassignedCriterionError, UndeclaredError
from portal.services.evaluation.scoring_adapter import quality_leaves

IDEAL_EVALUATORS = 3
S = CompetitionState


# --- Lifecycle helpers shared by the evaluation, moderation and award services -------------------------------------


def transition(competition: Competition, action: Action, now: datetime, field: str | None = None, **inputs) -> None:
    """Apply a lifecycle action to the competition's stored facts, or raise ConflictError with the domain's message."""
    try:
        after = apply(access.facts(competition), action, now, **inputs)
    except TransitionError as error:
        raise ConflictError(error.message, field=field) from error
    changes = {
        Action.OPEN_BIDS: ("opened_at",),
        Action.START_EVALUATION: ("evaluation_started_at",),
        Action.COMPLETE_MODERATION: ("moderated_at",),
        Action.RECOMMEND_AWARD: ("recommended_at",),
        Action.APPROVE_AWARD: ("approved_at",),
        Action.RETURN_AWARD: ("recommended_at",),
        Action.START_STANDSTILL: ("standstill_started_at", "standstill_ends_at"),
        Action.CONFIRM_AWARD: ("awarded_at",),
    }[action]
    for name in changes:
        setattr(competition, name, getattr(after, name))


def refusal(competition: Competition, action: Action, now: datetime, **inputs) -> str | None:
    try:
        check_transition(access.facts(competition), action, now, **inputs)
    except TransitionError as error:
        return error.message
    return None


def officer_competition(user: User, competition_id: int, *, for_update: bool = False) -> Competition:
    return access.get_for_officer(user, competition_id, for_update=for_update)


def organisation_user(competition: Competition, user_id: int | str | None, *, field: str, message: str) -> User:
    if user_id is None:
        raise ValidationError(message, field=field)
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        raise ValidationError(message, field=field) from None
    person = db.session.get(User, user_id)
    if (
        person is None
        or not person.active
        or person.role not in BUYER_SIDE
        or person.buyer_organisation_id != competition.buyer_organisation_id
    ):
        raise ValidationError(message, field=field)
    return person


# --- People and bids --------------------------------------------------------------------------------------------------


def colleagues(user: User | None, competition: Competition) -> list[User]:
    """Active buyer-side users of the organisation (other than `user`): possible evaluators."""
    query = select(User).where(
        User.buyer_organisation_id == competition.buyer_organisation_id,
        User.role.in_([r.value for r in BUYER_SIDE]),
        User.active.is_(True),
    )
    if user is not None:
        query = query.where(User.id != user.id)
    return list(db.session.scalars(query.order_by(User.name)))


def names_of(*user_ids: int | None) -> dict[int, str]:
    ids = [i for i in user_ids if i is not None]
    return {u.id: u.name for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}


def submitted_bids(competition: Competition) -> list[Bid]:
    return list(
        db.session.scalars(
            select(Bid).where(Bid.competition_id == competition.id, Bid.status == "submitted").order_by(Bid.id)
        )
    )


def start_evaluation_if_ready(user: User, competition: Competition, now: datetime) -> bool:
    if access.state(competition, now) is not S.OPENED:
        return False
    assigned = db.session.scalar(
        select(func.count(CompetitionEvaluator.id)).where(CompetitionEvaluator.competition_id == competition.id)
    )
    if not assigned:
        return False
    transition(competition, Action.START_EVALUATION, now)
    audit.record(user, "competition.evaluation_started", "competition", competition.id, summary="Evaluation started")
    return True


def assigned_competition(user: User, competition_id: int) -> Competition:
    """A competition the user is assigned to evaluate (404 otherwise, whatever their role)."""
    competition = access.get_visible(user, competition_id)
    if not access.is_assigned_evaluator(user, competition):
        raise NotFoundError("Competition not found")
    return competition


# --- Scoring -------------------------------------------------------------------------------------------------------


def ready_to_score(user: User, competition: Competition, now: datetime | None = None) -> None:
    """Raise unless this evaluator may score now: opened, declared for every bidder, in evaluation."""
    now = now or utcnow()
    state = access.state(competition, now)
    if state in (S.DRAFT, S.PUBLISHED, S.CLOSED):
        raise ConflictError("Bids cannot be scored before they have been opened")
    if not conflicts.standing(user, competition).complete:
        raise UndeclaredError("Declare any conflicts of interest with each bidding supplier before you see any bid")
    if state is not S.IN_EVALUATION:
        raise ConflictError(f"Scores cannot be entered or changed because the competition is {state.label.lower()}")


def parse_score(raw: object, scale_max: int, field: str = "score") -> Decimal:
    text = str(raw if raw is not None else "").strip()
    if not text:
        raise ValidationError("Select a score", field=field)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(f"Score must be a whole number from 0 to {scale_max}", field=field) from None
    if not value.is_finite() or value != value.to_integral_value() or not 0 <= value <= scale_max:
        raise ValidationError(f"Score must be a whole number from 0 to {scale_max}", field=field)
    return Decimal(int(value))


def competition_bid(user: User, competition: Competition, bid_id: int) -> Bid:
    """A submitted bid of this competition that the user may read now through the seal, or 404."""
    bid = db.session.get(Bid, bid_id)
    if bid is None or bid.competition_id != competition.id or bid.status != "submitted":
        raise NotFoundError("Bid not found")
    if seal.access_level(user, bid) not in ("full", "without_prices"):
        raise NotFoundError("Bid not found")
    return bid


def bid_and_criterion(user: User, competition: Competition, bid_id: int, criterion_id: int):
    """A submitted bid of the competition readable by this user through the seal, and one of its quality criteria
    (404 otherwise). The moderator's target; evaluators go through scoring_target."""
    criterion = next((c for c in quality_leaves(competition.criteria) if c.id == criterion_id), None)
    if criterion is None:
        raise NotFoundError("Criterion not found")
    return competition_bid(user, competition, bid_id), criterion


def scoring_target(user: User, competition: Competition, bid_id: int, criterion_id: int):
    """The bid and quality criterion an evaluator scores: bid_and_criterion, plus the panel's rules.

    UndeclaredError until they have declared for every bidder; ConflictedError for a supplier they declared a
    conflict with (unmitigated); UnassignedCriterionError for a criterion they are not assigned to.
    """
    bid = db.session.get(Bid, bid_id)
    if bid is None or bid.competition_id != competition.id or bid.status != "submitted":
        raise NotFoundError("Bid not found")
    standing = conflicts.standing(user, competition)
    if not standing.complete:
        raise UndeclaredError("Declare any conflicts of interest with each bidding supplier before you see any bid")
    if standing.barred_from(bid.supplier_id):
        raise ConflictedError(
            f"You declared a conflict of interest with {bid.supplier.short_name}, so you cannot see or score its bid"
        )
    bid, criterion = bid_and_criterion(user, competition, bid_id, criterion_id)
    if criterion.id not in conflicts.assigned_criterion_ids(user.id, competition):
        raise UnassignedCriterionError(f"You are not assigned to score {criterion.title}")
    return bid, criterion


def own_score(user: User, bid_id: int, criterion_id: int) -> Score | None:
    return db.session.scalar(
        select(Score).where(Score.bid_id == bid_id, Score.criterion_id == criterion_id, Score.evaluator_id == user.id)
    )


def record_score(
    user: User, competition_id: int, bid_id: int, criterion_id: int, score: object, justification: str
) -> Score:
    competition = assigned_competition(user, competition_id)
    ready_to_score(user, competition)
    bid, criterion = scoring_target(user, competition, bid_id, criterion_id)
    value = parse_score(score, criterion.scale_max)
    justification = (justification or "").strip()
    if not justification:
        raise ValidationError("Enter a justification for the score", field="justification")
    row = own_score(user, bid.id, criterion.id)
    before = {"score": str(int(row.score)), "justification": row.justification} if row else {}
    if row is None:
        row = Score(competition_id=competition.id, bid_id=bid.id, criterion_id=criterion.id, evaluator_id=user.id)
        db.session.add(row)
    row.score, row.justification = value, justification
    after = {"score": str(value), "justification": justification}
    if before:
        before, after = audit.changed(before, after)
    audit.record(
        user,
        "score.changed" if before else "score.recorded",
        "bid",
        bid.id,
        summary=f"{user.name} scored {bid.supplier.short_name} on {criterion.title}: {value}",
        before=before,
        after={**after, "criterion_id": criterion.id},
    )
    db.session.commit()
    return row


@dataclass(frozen=True)
class ScoringSheet:
    bids: list[Bid]
    criteria: list
    mine: dict[tuple[int, int], Score]
    withheld: list[Bid]

    @property
    def total(self) -> int:
        return len(self.bids) * len(self.criteria)

    @property
    def done(self) -> int:
        return len(self.mine)


def scoring_sheet(user: User, competition: Competition) -> ScoringSheet:
    """The evaluator's assigned criteria, the bids they may score, and the bids withheld by a declared conflict."""
    standing = conflicts.standing(user, competition)
    readable = seal.readable_submissions(user, competition)
    bids = [b for b in readable if not standing.barred_from(b.supplier_id)]
    withheld = [b for b in submitted_bids(competition) if standing.complete and standing.barred_from(b.supplier_id)]
    assigned = conflicts.assigned_criterion_ids(user.id, competition)
    criteria = [c for c in quality_leaves(competition.criteria) if c.id in assigned]
    pairs = {(b.id, c.id) for b in bids for c in criteria}
    mine = {
        (s.bid_id, s.criterion_id): s
        for s in db.session.scalars(
            select(Score).where(Score.competition_id == competition.id, Score.evaluator_id == user.id)
        )
        if (s.bid_id, s.criterion_id) in pairs
    }
    return ScoringSheet(bids, criteria, mine, withheld)
