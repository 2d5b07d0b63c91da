"""Demo mini-competitions on PDS-SMME-2024 (`seed_competitions`, called after the main demo seed and direct awards).

- SUR-MC-DEMO-1 (Surrey, lot 1): open for bids, deadline in three weeks; Orlo has submitted, Softcat has a partly
  answered draft; one clarification answered to all invited suppliers.
- SUR-MC-DEMO-2 (Surrey, lot 2 where it has members, else lot 1): deadline passed ten days ago, four bids, opened by
  the buyer with the approver as witness, three evaluators with partial scores. Evaluators 1 and 2 score every
  quality criterion, evaluator 3 only the first. Each declared per bidding supplier: evaluator 2 declared a conflict
  with one supplier that the buyer mitigated (so scores it), evaluator 3 a conflict left unmitigated (kept from it).
- SUR-MC-DEMO-3 (Surrey, lot 1): awarded after moderation, recommendation, approval and a finished standstill.
- NOR-MC-DEMO-1 (Northumbria, lot 1): open for bids; invisible to Surrey users.

Everything is built through the same services as the buyer's and suppliers' screens, so criteria, invitations,
submissions (content hash, receipt) and scores are exactly what the UI produces. A competition whose deadline is in
the past is built while its deadline is still ahead and then moved back in time by rewriting its timestamps directly;
each such rewrite is recorded as a `demo.seeded` audit event. Idempotent by competition reference.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    Bid,
    BidSubmission,
    Competition,
    CompetitionCriterion,
    CompetitionEvaluator,
    ConflictDeclaration,
    EvaluatorAssignment,
    Framework,
    Lot,
    ModeratedScore,
    Score,
    User,
)
from portal.models.base import utcnow
from portal.seed import declarations as seed_declarations
from portal.seed.common import SEED_EVENT
from portal.seed.competition_specs import SPECS, CompetitionSpec, answer_text, justification
from portal.services import audit
from portal.services.bids import drafting
from portal.services.bids import submission as bid_submission
from portal.services.competitions import builder, clarifications, publication
from portal.services.competitions import builder_criteria as criteria
from portal.services.competitions import builder_terms as terms
from portal.services.evaluation import award as awards
from portal.services.evaluation import moderation, panel, results, summaries, workflow

FRAMEWORK = "PDS-SMME-2024"
BUYER, APPROVER = "buyer@surrey.police.example", "approver@surrey.police.example"
EVALUATORS = tuple(f"evaluator{n}@surrey.police.example" for n in (1, 2, 3))

_T = TypeVar("_T")


def seed_competitions() -> str:
    """Load the demo competitions; return a one-line report. Needs the main demo seed first."""
    created: list[str] = []
    try:
        if _lot(1) is None:
            return "Demo competitions not seeded: load the main demo data first."
        for spec in SPECS:
            if db.session.scalar(select(Competition.id).where(Competition.reference == spec.reference)) is None:
                _BUILDERS[spec.kind](spec)
                created.append(spec.reference)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if not created:
        return "Demo competitions already loaded: nothing new created."
    return f"Demo competitions loaded: {', '.join(created)}."


# --- Lookups ----------------------------------------------------------------------------------------------------


def _user(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()


def _has(value: _T | None) -> _T:
    """A date the demo competition has by this step (the services set it as it went through them)."""
    if value is None:
        raise RuntimeError("a demo competition is missing a date its lifecycle should have set")
    return value


def _lot(number: int) -> Lot | None:
    return db.session.scalar(select(Lot).join(Framework).where(Framework.reference == FRAMEWORK, Lot.number == number))


def _supplier_user(supplier_id: int) -> User | None:
    return db.session.scalars(
        select(User).where(User.supplier_id == supplier_id, User.role == "supplier").order_by(User.id)
    ).first()


def _seeded(competition: Competition, summary: str, **after) -> None:
    audit.record(None, SEED_EVENT, "competition", competition.id, summary=f"Demo data: {summary}", after=after)


# --- Building and publishing ------------------------------------------------------------------------------------


def _split(total: int, parts: int) -> list[Decimal]:
    """Whole-number weights summing exactly to `total` (the remainder goes to the first)."""
    share, rest = divmod(total, parts)
    return [Decimal(share + (rest if i == 0 else 0)) for i in range(parts)]


def _publish(spec: CompetitionSpec, deadline_at: datetime) -> Competition:
    """Start, fill in and publish the competition through the builder services, as the buyer would."""
    buyer = _user(spec.buyer)
    lot = _lot(spec.lot_number) or _lot(1)
    if lot is None:
        raise RuntimeError(f"Demo framework {FRAMEWORK} has no lot {spec.lot_number} (nor lot 1)")
    competition = builder.create_competition(buyer, lot_id=lot.id, title=spec.title)
    generated = competition.reference
    competition.reference = spec.reference
    _seeded(competition, f"competition {generated} given the demo reference {spec.reference}", reference=spec.reference)
    db.session.commit()
    builder.update_details(
        buyer,
        competition,
        builder.Details(spec.title, spec.statement, spec.value_pence, spec.term_months, spec.starts_on),
    )
    weights: dict[int, Decimal | None] = {}
    top = {"Quality": 60, "Price": 35, "Social value": 5}
    for node in builder.top_level(competition):
        weights[node.id] = Decimal(top.get(node.title, 0))
        scored = [child for child in node.children if child.kind != "pass_fail"]
        if scored:
            weights.update({child.id: w for child, w in zip(scored, _split(100, len(scored)), strict=True)})
    problems = criteria.set_weights(buyer, competition, weights)
    if problems:
        raise RuntimeError(f"Demo criteria for {spec.reference}: {problems[0].message}")
    quantities: dict[int, int | None] = {
        item.id: spec.quantities.get(item.basis, 1) for item in competition.lot.price_items
    }
    terms.set_price_terms(
        buyer, competition, terms.PriceTerms(quantities, "lowest", None, ["higher_quality", "lower_price"])
    )
    terms.set_timetable(
        buyer,
        competition,
        clarification_deadline_at=deadline_at - timedelta(days=7),
        submission_deadline_at=deadline_at,
        evaluation_on=(deadline_at + timedelta(days=3)).date(),
        award_on=(deadline_at + timedelta(days=28)).date(),
    )
    return publication.publish(buyer, competition.id)


def _bid(competition: Competition, user: User, *, quality: int, price_factor: int, answered: int | None = None):
    """Respond, answer and price as the supplier would; `answered` limits a draft to its first answers."""
    drafting.respond(user, competition.id, "bidding")
    leaves = drafting.leaf_criteria(competition)
    for criterion in leaves if answered is None else leaves[:answered]:
        passed = True if criterion.kind == "pass_fail" else None
        drafting.save_answer(user, competition.id, criterion.id, answer_text(user, criterion, quality), passed=passed)
    if answered is None:
        # Pounds as a supplier types them: a monthly licence around £9, one-off items around £650.
        base = {"per_month": 900, "one_off": 65000}
        prices = {
            line.id: f"{base.get(line.price_item.basis, 65000) * price_factor // 100 / 100:.2f}"
            for line in competition.schedule_lines
        }
        drafting.save_prices(user, competition.id, prices)
        return bid_submission.submit(user, competition.id)
    return None


def _bidders(competition: Competition, count: int) -> list[User]:
    users = [_supplier_user(i.supplier_id) for i in sorted(competition.invitations, key=lambda i: i.supplier_id)]
    return [u for u in users if u is not None][:count]


def _move_back(competition: Competition, delta: timedelta) -> None:
    """Move creation, publication, invitations, deadlines and submissions `delta` back, so the deadline has passed
    (creation too, so the evaluation report's timeline does not show the competition created after its award)."""
    competition.created_at -= delta
    competition.published_at = _has(competition.published_at) - delta
    competition.clarification_deadline_at = _has(competition.clarification_deadline_at) - delta
    competition.submission_deadline_at = _has(competition.submission_deadline_at) - delta
    competition.planned_evaluation_on = _has(competition.planned_evaluation_on) - delta
    competition.planned_award_on = _has(competition.planned_award_on) - delta
    for invitation in competition.invitations:
        invitation.invited_at -= delta
        if invitation.responded_at is not None:
            invitation.responded_at -= delta
    submissions = db.session.scalars(
        select(BidSubmission).join(Bid, Bid.id == BidSubmission.bid_id).where(Bid.competition_id == competition.id)
    ).all()
    for submission in submissions:
        submission.submitted_at -= delta
    _seeded(
        competition,
        f"{competition.reference} deadlines and {len(submissions)} submissions moved {delta.days} days back",
        submission_deadline_at=competition.submission_deadline_at,
    )
    db.session.commit()


# --- The four competitions --------------------------------------------------------------------------------------


def _open_for_bids(spec: CompetitionSpec) -> None:
    competition = _publish(spec, _deadline(days=21))
    if spec.buyer != BUYER:
        return
    orlo, softcat = _user("bids@orlo.example"), _user("bids@softcat.example")
    _bid(competition, orlo, quality=4, price_factor=100)
    _bid(competition, softcat, quality=3, price_factor=100, answered=2)
    question = clarifications.ask(
        softcat, competition.id, "Do you need the platform to archive direct messages for disclosure requests?"
    )
    clarifications.answer(
        _user(BUYER),
        question.id,
        answer="Yes. Direct messages to force accounts must be kept for 7 years and exportable for disclosure.",
        audience="all",
    )


def _deadline(days: int) -> datetime:
    """Noon UTC about `days` from today (negative: ago), on a weekday: a plain, working-hours deadline."""
    deadline = utcnow().replace(hour=12, minute=0, second=0, microsecond=0) + timedelta(days=days)
    while deadline.weekday() >= 5:  # Saturday or Sunday: the Monday after
        deadline += timedelta(days=1)
    return deadline


def _evaluate(spec: CompetitionSpec, *, days_ago: int, conflicts: bool = False) -> tuple[Competition, list]:
    """Publish, take bids from four suppliers, move the deadline into the past, open, assign and declare."""
    competition = _publish(spec, _deadline(days=14))
    bidders = _bidders(competition, 4)
    submissions = [
        _bid(competition, user, quality=q, price_factor=f)
        for user, q, f in zip(bidders, (4, 3, 5, 2), (100, 90, 115, 80), strict=False)
    ]
    _move_back(competition, _has(competition.submission_deadline_at) - _deadline(-days_ago))
    buyer, approver = _user(BUYER), _user(APPROVER)
    for officer in (buyer, approver):  # the opener and the witness, against the invited suppliers
        seed_declarations.declare_none(officer, competition, "opener")
    workflow.open_bids(buyer, competition.id, approver.id)
    # The moderator, the officer who recommends and the approver declare once the bidders are known.
    for officer, role in ((buyer, "moderator"), (buyer, "recommender"), (approver, "approver")):
        seed_declarations.declare_none(officer, competition, role)
    bids = [db.session.get_one(Bid, s.bid_id) for s in submissions]
    leaves = _scored_leaves(competition)
    for n, email in enumerate(EVALUATORS):
        evaluator = _user(email)
        subset = [c.id for c in leaves[:1]] if conflicts and n == 2 else None
        panel.assign_evaluator(buyer, competition.id, evaluator.id, subset)
        answers = {bid.supplier_id: ("no", "") for bid in bids}
        if conflicts and n in (1, 2):
            # Evaluator 2 once worked for the second bidder (mitigated below); evaluator 3 is related to the third.
            supplier = bids[n].supplier
            answers[supplier.id] = ("yes", DEMO_CONFLICTS[n].format(supplier=supplier.legal_name))
        panel.declare_conflicts(evaluator, competition.id, answers)
    if conflicts:
        declared = db.session.execute(
            select(ConflictDeclaration).where(
                ConflictDeclaration.competition_id == competition.id,
                ConflictDeclaration.user_id == _user(EVALUATORS[1]).id,
                ConflictDeclaration.has_conflict.is_(True),
            )
        ).scalar_one()
        panel.record_mitigation(buyer, competition.id, declared.id, DEMO_MITIGATION)
    return competition, bids


DEMO_CONFLICTS = {
    1: "I worked for {supplier} as a contractor until three years ago; I hold no shares and have no ongoing contact.",
    2: "My sister is a sales director at {supplier}.",
}
DEMO_MITIGATION = (
    "The employment ended three years ago with no continuing interest. Agreed that Rachel scores this bid; the "
    "moderator will check her scores against the other evaluators' at moderation."
)


def _scored_leaves(competition: Competition) -> list[CompetitionCriterion]:
    return [c for c in drafting.leaf_criteria(competition, ("quality",))]


def _score(competition: Competition, email: str, bids: list, share: float = 1.0) -> None:
    """Score the bids this evaluator may score on their assigned criteria (the first `share` of those pairs)."""
    user = _user(email)
    sheet = workflow.scoring_sheet(user, competition)
    pairs = [(bid, c) for bid in bids if bid in sheet.bids for c in sheet.criteria]
    for n, (bid, criterion) in enumerate(pairs[: round(len(pairs) * share)]):
        value = max(0, min(criterion.scale_max, bids.index(bid) % 3 + 2 + (n + len(email)) % 2))
        workflow.record_score(user, competition.id, bid.id, criterion.id, str(value), justification(criterion, value))


def _in_evaluation(spec: CompetitionSpec) -> None:
    competition, bids = _evaluate(spec, days_ago=10, conflicts=True)
    _score(competition, EVALUATORS[0], bids)
    _score(competition, EVALUATORS[1], bids, share=0.5)
    opened = _has(competition.submission_deadline_at) + timedelta(days=1)
    competition.opened_at = competition.evaluation_started_at = opened
    _date_panel(competition, opened)
    _seeded(competition, f"{competition.reference} opened the day after its deadline", opened_at=opened)
    db.session.commit()


def _awarded(spec: CompetitionSpec) -> None:
    competition, bids = _evaluate(spec, days_ago=45)
    for email in EVALUATORS:
        _score(competition, email, bids)
    buyer, approver = _user(BUYER), _user(APPROVER)
    for bid in bids:
        for criterion in _scored_leaves(competition):
            marks = db.session.scalars(
                select(Score.score).where(Score.bid_id == bid.id, Score.criterion_id == criterion.id)
            ).all()
            agreed = round(sum(marks) / len(marks))
            moderation.record_moderated_score(
                buyer,
                competition.id,
                bid.id,
                criterion.id,
                str(agreed),
                f"Panel agreed {agreed} for {bid.supplier.short_name}'s response to {criterion.title}: the evaluators' "
                "notes on this tender were discussed at moderation and the middle view held.",
            )
    moderation.complete_moderation(buyer, competition.id)
    # Recommend whoever the published criteria rank first, as the buyer's results page would.
    outcome = results.competition_results(buyer, competition)
    if outcome.result is None:
        raise RuntimeError(f"Demo results for {spec.reference}: {'; '.join(outcome.problems)}")
    winner = outcome.result.winner
    awards.recommend(buyer, competition.id, winner, "Highest total score under the published criteria.")
    awards.approve(approver, competition.id)
    summaries.send_assessment_summaries(buyer, competition.id)
    # The standstill has run its course: end it now so the award can be confirmed, then date the lifecycle back.
    competition.standstill_ends_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    awards.confirm(buyer, competition.id)
    _date_lifecycle(competition)


def _date_panel(competition: Competition, opened: datetime) -> None:
    """The panel was assigned and declared its interests when the bids were opened, before any score."""
    panel_dates = (
        (CompetitionEvaluator, "assigned_at"),
        (EvaluatorAssignment, "assigned_at"),
        (ConflictDeclaration, "declared_at"),
    )
    for model, column in panel_dates:
        for row in db.session.scalars(select(model).where(model.competition_id == competition.id)):
            setattr(row, column, opened + timedelta(hours=1))
    for row in db.session.scalars(
        select(ConflictDeclaration).where(
            ConflictDeclaration.competition_id == competition.id, ConflictDeclaration.mitigated_at.is_not(None)
        )
    ):
        row.mitigated_at = opened + timedelta(hours=3)
    seed_declarations.date_declarations(competition)


def _date_lifecycle(competition: Competition) -> None:
    """Spread the post-deadline milestones over the weeks after the (past) deadline, in lifecycle order."""
    deadline = _has(competition.submission_deadline_at)
    steps = {
        "opened_at": 1,
        "evaluation_started_at": 1,
        "moderated_at": 9,
        "recommended_at": 10,
        "approved_at": 12,
        "standstill_started_at": 12,
        "assessment_summaries_sent_at": 12,
        "standstill_ends_at": 26,
        "awarded_at": 27,
    }
    for name, days in steps.items():
        setattr(competition, name, deadline + timedelta(days=days, hours=2))
    _date_panel(competition, _has(competition.opened_at))
    for row in db.session.scalars(select(Score).where(Score.competition_id == competition.id)):
        row.scored_at = deadline + timedelta(days=5)
    for moderated in db.session.scalars(select(ModeratedScore).where(ModeratedScore.competition_id == competition.id)):
        moderated.moderated_at = deadline + timedelta(days=9)
    _seeded(
        competition, f"{competition.reference} lifecycle dated after its deadline", awarded_at=competition.awarded_at
    )
    db.session.commit()


_BUILDERS = {"open": _open_for_bids, "evaluation": _in_evaluation, "awarded": _awarded}
