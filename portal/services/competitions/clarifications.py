"""Clarification questions during a mini-competition.

- An invited supplier's user asks while the competition is open for bids and before the clarification
  deadline (the server clock decides; at the deadline instant itself it has passed).
- A procurement officer of the buying organisation answers, either to all invited suppliers (published
  without saying who asked) or privately to the asker when the question is commercially sensitive (the
  reason is recorded). Answers are given while the competition is open for bids.
- Invited suppliers see every answer published to all, plus their own questions and private answers. Only
  the buyer sees who asked.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select

from portal.domain.competition_lifecycle import CompetitionState
from portal.domain.timefmt import format_datetime
from portal.extensions import db
from portal.models import Clarification, Competition, User
from portal.models.base import utcnow
from portal.services import audit, notifications
from portal.services.competitions import access
from portal.services.competitions.publication import notify_suppliers
from portal.services.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from portal.services.notifications import links, recipients

AUDIENCES = {"all": "All invited suppliers", "private": "Only the supplier who asked"}
MAX_QUESTION_LENGTH = 5000


def competition_for_supplier(actor: User, competition_id: int) -> Competition:
    """A published competition the actor's supplier is invited to (404 otherwise)."""
    if not actor.is_supplier:
        raise PermissionDeniedError("Only invited suppliers can ask clarification questions.")
    competition = access.get_visible(actor, competition_id)
    access.invitation_for(actor, competition)
    return competition


def questions_open(competition: Competition, now: datetime | None = None) -> bool:
    now = now or utcnow()
    deadline = competition.clarification_deadline_at
    state = access.state(competition, now)
    return state is CompetitionState.PUBLISHED and deadline is not None and now < deadline


def ask(actor: User, competition_id: int, question: str, now: datetime | None = None) -> Clarification:
    now = now or utcnow()
    competition = competition_for_supplier(actor, competition_id)
    question = (question or "").strip()
    if not question:
        raise ValidationError("Enter your question", field="question")
    if len(question) > MAX_QUESTION_LENGTH:
        raise ValidationError(f"Question must be {MAX_QUESTION_LENGTH} characters or fewer", field="question")
    if access.state(competition, now) is CompetitionState.CANCELLED:
        raise ConflictError("This competition has been cancelled", field="question")
    if not questions_open(competition, now):
        raise ConflictError(
            "The clarification deadline has passed (it was "
            f"{format_datetime(competition.clarification_deadline_at)}): questions can no longer be asked",
            field="question",
        )
    clarification = Clarification(
        competition_id=competition.id,
        supplier_id=actor.supplier_id,
        asked_by_id=actor.id,
        question=question,
        asked_at=now,
    )
    db.session.add(clarification)
    db.session.flush()
    audit.record(
        actor,
        "clarification.asked",
        "clarification",
        clarification.id,
        summary=f"Clarification question asked on {competition.reference}",
        after={"competition": competition.reference, "question": question},
    )
    _notify_asked(competition, clarification)
    db.session.commit()
    return clarification


def for_supplier(actor: User, competition: Competition) -> list[Clarification]:
    """Answers published to all, and the supplier's own questions (answered privately or not yet)."""
    query = select(Clarification).where(
        Clarification.competition_id == competition.id,
        or_(
            Clarification.supplier_id == actor.supplier_id,
            (Clarification.audience == "all") & Clarification.answered_at.is_not(None),
        ),
    )
    return list(db.session.scalars(query.order_by(Clarification.asked_at, Clarification.id)))


def for_buyer(actor: User, competition_id: int) -> tuple[Competition, list[Clarification]]:
    competition = access.get_for_officer(actor, competition_id)
    query = select(Clarification).where(Clarification.competition_id == competition.id)
    return competition, list(db.session.scalars(query.order_by(Clarification.asked_at, Clarification.id)))


def get_for_buyer(actor: User, clarification_id: int) -> tuple[Competition, Clarification]:
    clarification = db.session.get(Clarification, clarification_id)
    if clarification is None:
        raise NotFoundError("There is no such clarification question.")
    competition = access.get_for_officer(actor, clarification.competition_id)
    return competition, clarification


def answer(
    actor: User, clarification_id: int, *, answer: str, audience: str, private_reason: str = "", now=None
) -> Clarification:
    now = now or utcnow()
    competition, clarification = get_for_buyer(actor, clarification_id)
    text, reason = (answer or "").strip(), (private_reason or "").strip()
    if not text:
        raise ValidationError("Enter the answer", field="answer")
    if audience not in AUDIENCES:
        raise ValidationError("Select who sees the answer", field="audience")
    if audience == "private" and not reason:
        raise ValidationError(
            "Enter why the answer is private (why it is commercially sensitive)", field="private_reason"
        )
    if clarification.answered_at is not None:
        raise ConflictError("This question has already been answered", field="answer")
    if access.state(competition, now) is not CompetitionState.PUBLISHED:
        raise ConflictError("Questions can only be answered while the competition is open for bids", field="answer")
    clarification.answer, clarification.audience = text, audience
    clarification.private_reason = reason if audience == "private" else ""
    clarification.answered_by_id, clarification.answered_at = actor.id, now
    audit.record(
        actor,
        "clarification.answered",
        "clarification",
        clarification.id,
        summary=f"Clarification on {competition.reference} answered "
        + ("to all invited suppliers" if audience == "all" else "privately"),
        after={"answer": text, "audience": audience, "private_reason": clarification.private_reason},
    )
    _notify(competition, clarification)
    db.session.commit()
    return clarification


def _notify_asked(competition: Competition, clarification: Clarification) -> None:
    """The buyer's procurement officers: whoever of them picks it up answers it, before the deadline."""
    notifications.notify(
        recipients.procurement_officers(competition.buyer_organisation_id),
        "question_asked",
        f"Clarification question: {competition.title} ({competition.reference})",
        f"A supplier asked a clarification question on {competition.title} ({competition.reference}).\n\n"
        f"Question: {clarification.question}\n\n"
        "Answer it to every invited supplier, or privately to the supplier who asked if the answer is commercially "
        "sensitive. Questions may be asked until "
        f"{format_datetime(competition.clarification_deadline_at)} (UK time); bids are due by "
        f"{format_datetime(competition.submission_deadline_at)} (UK time).",
        link=links.path_for("clarifications.answer", clarification_id=clarification.id),
    )


def _notify(competition: Competition, clarification: Clarification) -> None:
    subject = f"Clarification answered: {competition.title} ({competition.reference})"
    # Published answers never say who asked; the question and answer are enough.
    body = f"Question: {clarification.question}\n\nAnswer: {clarification.answer}\n\n"
    deadline = f"Bids are due by {format_datetime(competition.submission_deadline_at)} (UK time)."
    link = links.path_for("clarifications.supplier_questions", competition_id=competition.id)
    if clarification.audience == "all":
        body += f"This answer is published to every invited supplier. {deadline}"
        notify_suppliers(competition, "question_answered", subject, body, link=link)
    else:
        body += f"This answer was given to you privately. {deadline}"
        notify_suppliers(competition, "question_answered", subject, body, link=link, suppliers=[clarification.supplier])
