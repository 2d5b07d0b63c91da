"""Demo mini-competitions on PDS-SMME-2024 (`seed_competitions`, called after the main demo seed and direct awards).

- SUR-MC-DEMO-1 (Surrey, lot 1): open for bids, deadline in three weeks; Orlo has submitted, Softcat has a partly
  answered draft; one clarification answered to all invited suppliers.
- SUR-MC-DEMO-2 (Surrey, lot 2 where it has members, else lot 1): deadline passed ten days ago, four bids, opened by
  the buyer and confirmed by the approver, three evaluators with partial scores. Evaluators 1 and 2 score every
  quality criterion, evaluator 3 only the first. Each declared per bidding supplier: evaluator 2 declared a conflict
  with one supplier that the buyer mitigated (so scores it), evaluator 3 a conflict left unmitigated (kept from it).
- SUR-MC-DEMO-3 (Surrey, lot 1): awarded after moderation, recommendation, approval, the standstill letters and
  the voluntary standstill they started (its end computed by portal/services/notices/standstill.py).
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
    ConflictDeclaration,
    Framework,
    Lot,
    Score,
    User,
)
from portal.models.base import utcnow
from portal.seed import declarations as seed_declarations
from portal.seed.common import SEED_EVENT
from portal.seed.competition_specs import (
    DEMO_CONFLICTS,
    DEMO_MITIGATION,
    SPECS,
    CompetitionSpec,
    answer_text,
    justification,
)
from portal.seed.dating import date_lifecycle, date_panel
from portal.seed.tender_documents import add_demo_tender_documents
from portal.services import audit
from portal.services.bids import drafting
from portal.services.bids import submission as bid_submission
from portal.services.competitions import builder, clarifications, invitees, publication
from portal.services.competitions import builder_criteria as criteria
from portal.services.competitions import builder_terms as terms
from portal.services.evaluation import award as awards
from portal.services.evaluation import moderation, opening, panel, results, summaries, workflow

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


def _lot(number: int, framework: str = FRAMEWORK) -> Lot | None:
    return db.session.scalar(select(Lot).join(Framework).where(Framework.reference == framework, Lot.number == number))


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


def _publish(spec: CompetitionSpec, deadline_at: datetime, *, documents: bool = False) -> Competition:
    """Start, fill in and publish the competition through the builder services, as the buyer would (with
    `documents`, a specification and a pricing workbook attached before publication)."""
    buyer = _user(spec.buyer)
    lot = _lot(spec.lot_number, spec.framework) or _lot(1, spec.framework)
    if lot is None:
        raise RuntimeError(f"Demo framework {spec.framework} has no lot {spec.lot_number} (nor lot 1)")
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
    invitees.set_required_capabilities(buyer, competition, [], "")  # the buyer confirms the supplier list
    if documents:
        add_demo_tender_documents(buyer, competition)
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
    competition = _publish(spec, _deadline(days=21), documents=spec.buyer == BUYER)
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
    buyer, approver = _user(spec.buyer), _user(APPROVER)
    for officer in (buyer, approver):  # both officers of the opening, against the invited suppliers
        seed_declarations.declare_none(officer, competition, "opener")
    opening.start(buyer, competition.id)  # dual control: the buyer starts, the approver confirms in their session
    opening.confirm(approver, competition.id)
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
    date_panel(competition, opened)
    _seeded(competition, f"{competition.reference} opened the day after its deadline", opened_at=opened)
    db.session.commit()


def decide(spec: CompetitionSpec, *, days_ago: int) -> Competition:
    """Evaluate, moderate, recommend the top-ranked bid, approve and send the assessment summaries through the
    services; then date the lifecycle back after the (past) deadline. The standstill is the regime's: under PCR 2015
    it started at the sending (redated with it), under the Act it waits for the UK6 (portal/seed/pa_call_offs.py)."""
    competition, bids = _evaluate(spec, days_ago=days_ago)
    for email in EVALUATORS:
        _score(competition, email, bids)
    buyer, approver = _user(spec.buyer), _user(APPROVER)
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
    awards.recommend(buyer, competition.id, outcome.result.winner, "Highest total score under the published criteria.")
    awards.approve(approver, competition.id)
    summaries.send_assessment_summaries(buyer, competition.id)
    date_lifecycle(competition)
    return competition


def _awarded(spec: CompetitionSpec) -> None:
    competition = decide(spec, days_ago=45)
    # The voluntary standstill (computed from the redated letters) has run: confirm, dated the day after it ended.
    awards.confirm(_user(spec.buyer), competition.id)
    competition.awarded_at = _has(competition.standstill_ends_at) + timedelta(hours=10)
    _seeded(
        competition, f"{competition.reference} award confirmed after its standstill", awarded_at=competition.awarded_at
    )
    db.session.commit()


_BUILDERS = {"open": _open_for_bids, "evaluation": _in_evaluation, "awarded": _awarded}
