"""Award: recommendation by the buyer, approval by a different approver, standstill, and confirmation.

- Recommend: only the top-ranked compliant bid on the published criteria (anything else departs from them).
  A winner whose price was flagged abnormally low must have had its explanation accepted first.
- Recommend, approve and confirm are refused unless the winner's supplier is eligible that day
  (portal.domain.suppliers.eligibility_on: on the lot, not suspended, removed or excluded, the framework live).
- Recommend records the buyer's choice of a voluntary standstill where the law leaves it to the buyer (PA 2023).
- The recommend form offers exactly `recommendable` (the same rule `recommend` applies). An approver may instead
  return the recommendation with a comment (award_return.py); every step is kept (portal.services.approvals) and
  notified (award_notices.py).
- Approve: role approver, not the recommender (domain and database both enforce it). Under PCR 2015 approval starts
  the voluntary standstill; under PA 2023 it starts with the day the contract award notice (UK6) is published
  (portal/services/notices/standstill.py).
  Bidders learn the outcome when the buyer then sends the assessment summaries (evaluation/summaries.py), which
  e-mails each of them a link to its outcome page and letter.
- Confirm: after the standstill ends the buyer confirms the contract award.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from portal.domain.competition_lifecycle import Action
from portal.domain.roles import Role
from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import Bid, Competition, PriceExplanation, User
from portal.models.base import utcnow
from portal.services import approvals, audit, mail
from portal.services.errors import ConflictError, PermissionDeniedError, ValidationError
from portal.services.evaluation import award_notices, declarations, results
from portal.services.evaluation.workflow import officer_competition, refusal, transition
from portal.services.notices import standstill
from portal.services.suppliers import eligibility


@dataclass(frozen=True)
class Recommendable:
    """The bids that can be recommended now (the recommend form offers exactly these), or why none can."""

    rows: list[results.ResultRow]
    problem: str | None  # a ConflictError's message when no bid can be recommended


def recommendable(user: User, competition: Competition, outcome: results.Results | None = None) -> Recommendable:
    """The one rule for which bid may be recommended: the top-ranked compliant bid on the published criteria, after
    every tie-break (a tie left at the top means none), whose abnormally low price, if flagged, was explained and
    accepted, and whose supplier is eligible today. `recommend` refuses anything else; the form offers only this."""
    outcome = outcome or results.competition_results(user, competition)
    if outcome.result is None:
        return Recommendable([], "The results cannot be calculated yet: " + "; ".join(outcome.problems))
    result, winner = outcome.result, outcome.winner_row
    if result.winner is None and result.tied_for_first:
        return Recommendable([], "First place is tied after every published tie-break rule: no bid can be recommended")
    if result.winner is None or winner is None:  # result.winner names a ranked bid, which has a row
        return Recommendable([], "No bid is compliant, so there is no award to recommend")
    if winner.result.abnormally_low and (winner.explanation is None or winner.explanation.outcome != "accepted"):
        return Recommendable(
            [],
            f"{winner.bid.supplier.short_name}'s price is abnormally low: request its explanation and accept it "
            "(or reject it) before recommending the award",
        )
    if problem := supplier_problem(competition, winner.bid, "the award cannot be recommended"):
        return Recommendable([], problem)
    return Recommendable([winner], None)


def _recommendable(user: User, competition: Competition, bid_id: object) -> Bid:
    allowed = recommendable(user, competition)
    if allowed.problem:
        raise ConflictError(allowed.problem)
    chosen = next((row for row in allowed.rows if str(row.bid.id) == str(bid_id)), None)
    if chosen is None:
        raise ValidationError(
            f"The award must follow the published criteria: recommend the top-ranked compliant bid, "
            f"{allowed.rows[0].bid.supplier.short_name}",
            field="bid_id",
        )
    return chosen.bid


def recommend(
    user: User, competition_id: int, bid_id: object, note: str = "", standstill_applies: bool = True
) -> Competition:
    competition = officer_competition(user, competition_id, for_update=True)
    now = utcnow()
    message = refusal(competition, Action.RECOMMEND_AWARD, now, actor_id=user.id)
    if message:
        raise ConflictError(message)
    declarations.require(user, competition, "recommender")
    bid = _recommendable(user, competition, bid_id)
    transition(competition, Action.RECOMMEND_AWARD, now, actor_id=user.id)
    competition.recommended_by_id = user.id
    competition.recommended_bid_id = bid.id
    competition.recommendation_note = (note or "").strip()
    competition.standstill_applies = standstill_applies or not standstill.buyer_chooses(competition)
    audit.record(
        user,
        "competition.award_recommended",
        "competition",
        competition.id,
        summary=f"{user.name} recommended the award to {bid.supplier.short_name}",
        after={
            "bid_id": bid.id,
            "supplier": bid.supplier.legal_name,
            "note": competition.recommendation_note,
            "standstill_applies": competition.standstill_applies,
        },
    )
    approvals.record(
        user, "recommend", competition_id=competition.id, comment=competition.recommendation_note, bid_id=bid.id, at=now
    )
    award_notices.recommended(user, competition, bid)
    db.session.commit()
    return competition


def supplier_problem(
    competition: Competition, bid: Bid, consequence: str = "the award cannot be approved"
) -> str | None:
    """Why the award cannot go to this bid's supplier today (portal.domain.suppliers.eligibility_on: PA 2023, no
    award to an excluded supplier; no award outside the lot or the framework's term); None if it can."""
    verdict = eligibility.of_supplier(bid.supplier_id, competition.lot, today_london())
    return None if verdict.eligible else f"{verdict.sentence(bid.supplier.short_name)}, so {consequence}"


def approve(user: User, competition_id: int) -> Competition:
    if user.role != Role.APPROVER:
        raise PermissionDeniedError("Only an approver can approve an award")
    competition = officer_competition(user, competition_id, for_update=True)
    now = utcnow()
    message = refusal(competition, Action.APPROVE_AWARD, now, actor_id=user.id)
    if message:
        raise ConflictError(message)
    declarations.require(user, competition, "approver")
    bid = db.session.get(Bid, competition.recommended_bid_id)
    if bid is None:  # the lifecycle approves only a recommended award
        raise ConflictError("No award has been recommended")
    problem = supplier_problem(competition, bid)
    if problem:
        raise ConflictError(problem)
    transition(competition, Action.APPROVE_AWARD, now, actor_id=user.id)
    competition.approved_by_id = user.id
    ends = None
    if not standstill.starts_with_award_notice(competition):
        # PCR 2015: the voluntary standstill runs from approval (and again from the letters, summaries.py).
        ends = standstill.ends_if_started(competition, now)
        transition(competition, Action.START_STANDSTILL, now, standstill_ends_at=ends)
    audit.record(
        user,
        "competition.award_approved",
        "competition",
        competition.id,
        summary=f"{user.name} approved the award to {bid.supplier.short_name}; {standstill.describe(competition)}",
        after={"approved_at": now, "standstill_ends_at": ends, "winner_bid_id": bid.id},
    )
    approvals.record(user, "approve", competition_id=competition.id, bid_id=bid.id, at=now)
    award_notices.approved(user, competition, bid)
    db.session.commit()
    return competition


def confirm(user: User, competition_id: int) -> Competition:
    competition = officer_competition(user, competition_id, for_update=True)
    now = utcnow()
    message = refusal(competition, Action.CONFIRM_AWARD, now)
    if message and competition.standstill_started_at is None and competition.approved_at is not None:
        message = standstill.blocking(competition, now) or message  # the award notice comes first under the Act
    if message:
        raise ConflictError(message)
    bid = db.session.get(Bid, competition.recommended_bid_id)
    if bid is not None and (problem := supplier_problem(competition, bid, "the contract cannot be awarded")):
        raise ConflictError(problem)
    transition(competition, Action.CONFIRM_AWARD, now)
    competition.awarded_by_id = user.id
    audit.record(
        user,
        "competition.awarded",
        "competition",
        competition.id,
        summary=f"{user.name} confirmed the contract award",
        after={"awarded_at": now},
    )
    db.session.commit()
    return competition


# --- Abnormally low prices -----------------------------------------------------------------------------------------


def _flagged_bid(user: User, competition: Competition, bid_id: int) -> results.ResultRow:
    outcome = results.competition_results(user, competition)
    row = next((r for r in outcome.rows if r.bid.id == bid_id), None)
    if row is None:
        raise ConflictError("This bid's price has not been flagged as abnormally low")
    if competition.recommended_at is not None:
        raise ConflictError("Prices cannot be reviewed after the award has been recommended")
    return row


def request_explanation(user: User, competition_id: int, bid_id: int) -> PriceExplanation:
    competition = officer_competition(user, competition_id, for_update=True)
    row = _flagged_bid(user, competition, bid_id)
    if row.explanation is not None:
        raise ConflictError("An explanation has already been requested from this supplier")
    if not row.result.abnormally_low:
        raise ConflictError("This bid's price has not been flagged as abnormally low")
    explanation = PriceExplanation(bid_id=row.bid.id, requested_by_id=user.id)
    db.session.add(explanation)
    link = mail.link_for("evaluation.supplier_explanation", competition_id=competition.id)
    for person in db.session.scalars(
        select(User).where(User.supplier_id == row.bid.supplier_id, User.active.is_(True))
    ):
        mail.send(
            person.email,
            f"Please explain your price: {competition.reference} {competition.title}",
            f"Your total price is {results.below_mean_text(row.result)}. Before any decision is taken, "
            f"{competition.buyer_organisation.name} asks you to explain how it is made up.\n\nReply here: {link}",
        )
    audit.record(
        user,
        "bid.price_explanation_requested",
        "bid",
        row.bid.id,
        summary=f"Explanation of an abnormally low price requested from {row.bid.supplier.short_name}",
        after={"below_mean": results.below_mean_text(row.result)},
    )
    db.session.commit()
    return explanation


def explanation_for(competition: Competition, bid_id: int) -> PriceExplanation | None:
    return db.session.scalar(
        select(PriceExplanation)
        .join(Bid, Bid.id == PriceExplanation.bid_id)
        .where(PriceExplanation.bid_id == bid_id, Bid.competition_id == competition.id)
    )


def record_explanation(user: User, competition: Competition, bid: Bid, text: str) -> PriceExplanation:
    """The supplier's explanation, typed by the supplier or entered by the buyer as received (callers check who)."""
    explanation = explanation_for(competition, bid.id)
    if explanation is None:
        raise ConflictError("No explanation of the price has been requested")
    if explanation.outcome is not None or competition.recommended_at is not None:
        raise ConflictError("A decision on this price has already been taken")
    text = (text or "").strip()
    if not text:
        raise ValidationError("Enter the supplier's explanation of its price", field="explanation")
    before = audit.snapshot(explanation, ["explanation"])
    explanation.explanation = text
    explanation.explanation_recorded_at = utcnow()
    audit.record(
        user,
        "bid.price_explanation_recorded",
        "bid",
        bid.id,
        summary=f"Explanation of the price recorded for {bid.supplier.short_name}",
        before=before,
        after={"explanation": text},
    )
    db.session.commit()
    return explanation


def decide_explanation(user: User, competition_id: int, bid_id: int, outcome: object, reason: str) -> PriceExplanation:
    competition = officer_competition(user, competition_id, for_update=True)
    explanation = explanation_for(competition, bid_id)
    if outcome not in ("accepted", "rejected"):
        raise ValidationError("Select whether you accept or reject the explanation", field="outcome")
    if explanation is None or explanation.explanation_recorded_at is None:
        raise ConflictError(
            "An abnormally low price cannot be rejected or accepted until the supplier's explanation has been "
            "requested and recorded",
            field="outcome",
        )
    if explanation.outcome is not None or competition.recommended_at is not None:
        raise ConflictError("A decision on this price has already been taken", field="outcome")
    reason = (reason or "").strip()
    if outcome == "rejected" and not reason:
        raise ValidationError("Enter the reason for rejecting the explanation", field="reason")
    explanation.outcome, explanation.outcome_reason = outcome, reason
    explanation.decided_at, explanation.decided_by_id = utcnow(), user.id
    bid = db.session.get_one(Bid, bid_id)  # the explanation found above belongs to this bid
    audit.record(
        user,
        f"bid.price_explanation_{outcome}",
        "bid",
        bid_id,
        summary=f"Explanation of {bid.supplier.short_name}'s price {outcome}",
        after={"outcome": outcome, "reason": reason},
    )
    db.session.commit()
    return explanation
