"""The supplier's side of a mini-competition before submission: invitations, bid or decline, the draft.

Every function acts on the signed-in user's own supplier (`actor.supplier_id`); a competition the
supplier was not invited to, or a bid of another supplier, answers 404 so its existence is not revealed.
Drafts are rows in the database (sealed, see crypto.py), so they survive sign-out and session expiry; every save
is audited without its content. Submitting, amending and withdrawing live in portal/services/bids/submission.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from portal.domain.competition_lifecycle import Action, CompetitionState, TransitionError, check_transition
from portal.domain.money import MoneyError, parse_pounds
from portal.domain.scoring import PRICE_METHODS, TIE_BREAK_RULES
from portal.domain.word_count import count_words, limit_message, over_limit
from portal.extensions import db
from portal.models import Bid, BidAnswer, BidPrice, BidSubmission, Competition, CompetitionCriterion, User
from portal.models.base import utcnow
from portal.services import audit
from portal.services.bids import crypto, eligibility, seal
from portal.services.bids.content import periods
from portal.services.competitions import access
from portal.services.errors import ConflictError, NotFoundError, ValidationError

MAX_EVIDENCE_WORDS = 500


def _require_supplier(actor: User) -> int:
    if not actor.is_supplier or actor.supplier_id is None:
        raise NotFoundError("Competition not found")
    return actor.supplier_id


def get_competition(actor: User, competition_id: int) -> Competition:
    """A published competition the actor's supplier was invited to; 404 otherwise."""
    _require_supplier(actor)
    return access.get_visible(actor, competition_id)


def own_bid(actor: User, competition: Competition) -> Bid | None:
    bid = db.session.scalar(
        select(Bid).where(Bid.competition_id == competition.id, Bid.supplier_id == _require_supplier(actor))
    )
    return seal.own_draft(actor, bid) if bid is not None else None


def leaf_criteria(competition: Competition, kinds: tuple[str, ...] = ("quality", "pass_fail")):
    """Answerable criteria in published order (leaves of the tree)."""
    out: list[CompetitionCriterion] = []

    def walk(nodes):
        for node in nodes:
            if node.kind in kinds and not node.children:
                out.append(node)
            walk(node.children)

    walk([c for c in competition.criteria if c.parent_id is None])
    return out


def bidding_open(competition: Competition, now: datetime | None = None) -> bool:
    return access.state(competition, now) is CompetitionState.PUBLISHED


def _check_open(competition: Competition, action: Action = Action.SUBMIT_BID, supplier: int | None = None) -> None:
    try:
        check_transition(access.facts(competition), action, utcnow())
    except TransitionError as error:
        raise ConflictError(error.message) from error
    eligibility.require_may_bid(competition, supplier)  # suspended or excluded since the invitation: no bidding


# --- The supplier's list of competitions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class InvitedCompetition:
    competition: Competition
    response: str
    bid: Bid | None
    latest: BidSubmission | None

    @property
    def state(self) -> CompetitionState:
        return access.state(self.competition)

    @property
    def bid_status(self) -> str:
        if self.bid is None:
            return "No bid"
        if self.bid.status == "withdrawn":
            return "Withdrawn"
        if self.latest is not None:
            return f"Submitted (version {self.latest.version})"
        return "Draft"


def invited_competitions(actor: User) -> list[InvitedCompetition]:
    supplier_id = _require_supplier(actor)
    competitions = db.session.scalars(
        access.visible_competitions(actor).order_by(Competition.submission_deadline_at, Competition.id)
    ).all()
    bids = {
        b.competition_id: b
        for b in db.session.scalars(
            select(Bid).where(Bid.supplier_id == supplier_id, Bid.competition_id.in_([c.id for c in competitions]))
        )
    }
    rows = []
    # Competitions still open for bids first (soonest deadline first), then the rest.
    competitions = sorted(competitions, key=lambda c: not bidding_open(c))
    for competition in competitions:
        invitation = access.invitation_for(actor, competition)
        bid = bids.get(competition.id)
        rows.append(
            InvitedCompetition(competition, invitation.response, bid, seal.latest_submission(bid) if bid else None)
        )
    return rows


# --- Bid or decline -------------------------------------------------------------------------------------------------


def respond(actor: User, competition_id: int, decision: str, reason: str = "") -> Bid | None:
    """Record the decision to bid (creating the draft) or decline; it may change until the deadline."""
    competition = get_competition(actor, competition_id)
    if decision not in ("bidding", "declined"):
        raise ValidationError("Select whether you will bid", field="decision")
    _check_open(competition, supplier=actor.supplier_id if decision == "bidding" else None)  # declining stays open
    invitation = access.invitation_for(actor, competition)
    bid = own_bid(actor, competition)
    if decision == "declined" and bid is not None and bid.status == "submitted":
        raise ConflictError("Withdraw your submitted bid before you decline", field="decision")
    before = audit.snapshot(invitation, ["response", "decline_reason"])
    invitation.response = decision
    invitation.decline_reason = reason.strip() if decision == "declined" else ""
    invitation.responded_at = utcnow()
    if decision == "bidding" and bid is None:
        bid = Bid(competition_id=competition.id, supplier_id=actor.supplier_id, status="draft")
        db.session.add(bid)
        db.session.flush()
        audit.record(actor, "bid.created", "bid", bid.id, summary=f"Draft bid started for {competition.reference}")
    after = audit.snapshot(invitation, ["response", "decline_reason"])
    audit.record(
        actor,
        "invitation.responded",
        "invitation",
        invitation.id,
        summary=f"{'Will bid' if decision == 'bidding' else 'Declined'}: {competition.reference}",
        before=before,
        after=after,
    )
    db.session.commit()
    return bid


def draft_for_editing(actor: User, competition_id: int) -> tuple[Competition, Bid]:
    """The competition and the supplier's draft, for a page that edits it: bidding must be open and decided."""
    competition = get_competition(actor, competition_id)
    bid = own_bid(actor, competition)
    if bid is None:
        raise NotFoundError("You have not started a bid for this competition")
    return competition, bid


def _answerable(competition: Competition, criterion_id: int) -> CompetitionCriterion:
    for criterion in leaf_criteria(competition):
        if criterion.id == criterion_id:
            return criterion
    raise NotFoundError("Question not found")


def criterion_and_answer(
    actor: User, competition_id: int, criterion_id: int
) -> tuple[Competition, Bid, CompetitionCriterion, BidAnswer | None]:
    competition, bid = draft_for_editing(actor, competition_id)
    criterion = _answerable(competition, criterion_id)
    answer = next((a for a in bid.answers if a.criterion_id == criterion.id), None)
    return competition, bid, criterion, answer


# --- Saving the draft -----------------------------------------------------------------------------------------------


def save_answer(
    actor: User, competition_id: int, criterion_id: int, text: str, passed: bool | None = None
) -> BidAnswer:
    """Save one answer to the draft. Partial answers are fine; word limits are not negotiable."""
    competition, bid, criterion, answer = criterion_and_answer(actor, competition_id, criterion_id)
    _check_open(competition, supplier=bid.supplier_id)
    text = (text or "").strip()
    if criterion.kind == "quality" and criterion.word_limit is not None and over_limit(text, criterion.word_limit):
        raise ValidationError(limit_message(criterion.title, criterion.word_limit), field="text")
    if criterion.kind == "pass_fail" and over_limit(text, MAX_EVIDENCE_WORDS):
        raise ValidationError(f"Evidence for {criterion.title} must be {MAX_EVIDENCE_WORDS} words or fewer", "text")
    if answer is None:
        answer = BidAnswer(bid_id=bid.id, criterion_id=criterion.id)
        bid.answers.append(answer)
    crypto.set_answer_text(bid, answer, text)  # stored only sealed
    answer.passed = passed if criterion.kind == "pass_fail" else None
    bid.updated_at = utcnow()
    audit.record(
        actor,
        "bid.answer_saved",
        "bid",
        bid.id,
        summary=f"Draft answer saved: {criterion.title}",
        after={"criterion_id": criterion.id},
    )
    db.session.commit()
    return answer


def schedule(competition: Competition, bid: Bid | None) -> list[dict]:
    """The price schedule with the draft's unit prices and line totals (None where not priced yet)."""
    prices = crypto.prices_of(bid) if bid else {}
    rows = []
    for line in competition.schedule_lines:
        unit = prices.get(line.id)
        n = periods(competition, line.price_item.basis)
        rows.append(
            {
                "line": line,
                "periods": n,
                "unit_price_pence": unit,
                "line_total_pence": None if unit is None else line.quantity * unit * n,
            }
        )
    return rows


def schedule_total(rows: list[dict]) -> int:
    return sum(r["line_total_pence"] or 0 for r in rows)


def parse_unit_prices(competition: Competition, raw: dict[int, str]) -> tuple[dict[int, int | None], dict[int, str]]:
    """Typed prices -> pence per line (None when blank) and GOV.UK errors per line."""
    parsed: dict[int, int | None] = {}
    errors: dict[int, str] = {}
    for line in competition.schedule_lines:
        text = (raw.get(line.id) or "").strip()
        name = line.price_item.name
        if not text:
            parsed[line.id] = None
            continue
        try:
            pence = parse_pounds(text)
        except MoneyError:
            errors[line.id] = f"Unit price for {name} must be an amount in pounds, like 12.50"
            continue
        if pence <= 0:
            errors[line.id] = f"Unit price for {name} must be more than £0"
            continue
        parsed[line.id] = pence
    return parsed, errors


def save_prices(actor: User, competition_id: int, raw: dict[int, str]) -> int:
    """Save the unit prices typed in pounds; blank lines stay unpriced. Returns the draft's total in pence."""
    competition, bid = draft_for_editing(actor, competition_id)
    _check_open(competition, supplier=bid.supplier_id)
    parsed, errors = parse_unit_prices(competition, raw)
    if errors:
        line_id, message = next(iter(errors.items()))
        raise ValidationError(message, field=f"price_{line_id}")
    existing = {p.line_id: p for p in bid.prices}
    for line_id, pence in parsed.items():
        price = existing.get(line_id)
        if pence is None:
            if price is not None:
                bid.prices.remove(price)
        else:
            if price is None:
                price = BidPrice(bid_id=bid.id, line_id=line_id)
                bid.prices.append(price)
            crypto.set_unit_price(bid, price, pence)  # stored only sealed
    bid.updated_at = utcnow()
    audit.record(actor, "bid.prices_saved", "bid", bid.id, summary="Draft prices saved")
    db.session.commit()
    return schedule_total(schedule(competition, bid))


# --- What the draft still lacks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    message: str
    section: str  # "criterion" | "prices"
    criterion_id: int | None = None


def draft_problems(competition: Competition, bid: Bid) -> list[Problem]:
    """Everything that stops the draft being submitted (saving a draft needs none of this)."""
    answers = {a.criterion_id: a for a in bid.answers}
    texts = crypto.answers_of(bid)
    problems = []
    for criterion in leaf_criteria(competition):
        answer = answers.get(criterion.id)
        text = texts.get(criterion.id, "")
        if criterion.kind == "quality":
            if answer is None or not text.strip():
                problems.append(Problem(f"Enter an answer for {criterion.title}", "criterion", criterion.id))
            elif over_limit(text, criterion.word_limit):
                problems.append(
                    Problem(limit_message(criterion.title, criterion.word_limit), "criterion", criterion.id)
                )
        elif answer is None or answer.passed is None:
            problems.append(Problem(f"Select yes or no for {criterion.title}", "criterion", criterion.id))
        elif answer.passed and not text.strip():
            problems.append(Problem(f"Enter evidence for {criterion.title}", "criterion", criterion.id))
    priced = {p.line_id for p in bid.prices}
    for line in competition.schedule_lines:
        if line.id not in priced:
            problems.append(Problem(f"Enter a unit price for {line.price_item.name}", "prices"))
    return problems


def section_status(competition: Competition, bid: Bid | None) -> dict:
    """Per task-list section: 'completed', 'in_progress' or 'not_started'."""
    answers = {a.criterion_id: a for a in bid.answers} if bid else {}
    texts = crypto.answers_of(bid) if bid else {}
    status: dict = {}
    for criterion in leaf_criteria(competition):
        answer = answers.get(criterion.id)
        text = texts.get(criterion.id, "").strip()
        if answer is None or (not text and answer.passed is None):
            status[criterion.id] = "not_started"
        elif criterion.kind == "quality" or (answer.passed is not None and (text or not answer.passed)):
            status[criterion.id] = "completed"
        else:
            status[criterion.id] = "in_progress"
    priced = len(bid.prices) if bid else 0
    lines = len(competition.schedule_lines)
    status["prices"] = "completed" if priced == lines else ("in_progress" if priced else "not_started")
    return status


@dataclass(frozen=True)
class DraftAnswer:
    """A draft answer as its supplier reads it (the text is stored sealed)."""

    text: str
    passed: bool | None


def draft_answers(bid: Bid) -> dict[int, DraftAnswer]:
    """The draft's answers by criterion id, opened for its own supplier (callers got the bid through own_bid)."""
    texts = crypto.answers_of(bid)
    return {a.criterion_id: DraftAnswer(texts[a.criterion_id], a.passed) for a in bid.answers}


def unit_prices(bid: Bid) -> dict[int, int]:
    """The draft's unit prices in pence by schedule line id, opened for its own supplier."""
    return crypto.prices_of(bid)


def word_counts(bid: Bid) -> dict[int, int]:
    return {criterion_id: count_words(text) for criterion_id, text in crypto.answers_of(bid).items()}


def time_left(deadline: datetime | None, now: datetime | None = None) -> str:
    """'3 days 4 hours left', '25 minutes left' or 'Deadline passed' (the server clock decides)."""
    if deadline is None:
        return ""
    seconds = int((deadline - (now or utcnow())).total_seconds())
    if seconds <= 0:
        return "Deadline passed"
    days, rest = divmod(seconds, 86400)
    hours, minutes = divmod(rest // 60, 60)

    def unit(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    if days:
        return f"{unit(days, 'day')} {unit(hours, 'hour')} left"
    if hours:
        return f"{unit(hours, 'hour')} {unit(minutes, 'minute')} left"
    return f"{unit(max(minutes, 1), 'minute')} left"


def published_rules(competition: Competition) -> dict[str, str]:
    """The price method and tie-break rule in words, as published to bidders."""
    method = PRICE_METHODS.get(competition.price_method)
    groups = {str(c.id): c.title for c in competition.criteria if c.parent_id is None}
    steps = []
    for code in [c.strip() for c in competition.tie_break.split(",") if c.strip()]:
        if code in TIE_BREAK_RULES:
            steps.append(TIE_BREAK_RULES[code].description)
        elif code.startswith("higher_group:"):
            steps.append(f"the higher {groups.get(code.split(':', 1)[1], 'group')} score")
    return {
        "price_method": method.label if method else competition.price_method,
        "price_formula": method.formula if method else "",
        "tie_break": ("If bids tie, the winner is the bid with " + ", then ".join(steps)) if steps else "",
    }
