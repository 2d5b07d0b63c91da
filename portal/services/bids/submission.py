"""Submitting, amending and withdrawing a bid, and the receipt for each submitted version.

The server clock decides. Submission locks the competition row (FOR SHARE: a deadline extension or a
cancellation, which lock it FOR UPDATE, waits; other suppliers' submissions do not) and the bid row
(FOR UPDATE: two submissions of the same bid queue), then checks the deadline again inside that
transaction with the time it stamps on the version. So a version is either stamped before the deadline
or refused, and concurrent submissions of one bid get consecutive version numbers.

Each submission freezes the canonical content (portal/services/bids/content.py) as a new BidSubmission;
the latest one not withdrawn counts. The audit event carries the version and hash only, never content.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.domain.competition_lifecycle import Action, TransitionError, check_transition
from portal.domain.timefmt import format_datetime
from portal.domain.word_count import count_words
from portal.extensions import db
from portal.models import (
    Bid,
    BidAttachment,
    BidSubmission,
    Competition,
    CompetitionCriterion,
    PriceScheduleLine,
    User,
)
from portal.models.base import utcnow
from portal.services import audit, notifications
from portal.services.bids import crypto, drafting, eligibility, seal
from portal.services.bids.content import build_content, serialise
from portal.services.bids.sealed_records import BID_RECEIPT_SUBJECT, BID_WITHDRAWN_SUBJECT
from portal.services.competitions import access
from portal.services.errors import ConflictError, NotFoundError, ValidationError
from portal.services.notifications import links, recipients


class SubmissionIncomplete(ValidationError):
    """The draft lacks answers or prices; `problems` lists each one for the error summary."""

    def __init__(self, problems: list[drafting.Problem]):
        super().__init__(problems[0].message)
        self.problems = problems


def _lock(actor: User, competition_id: int) -> tuple[Competition, Bid]:
    """The competition (FOR SHARE) and the actor's bid (FOR UPDATE), re-read from the database."""
    supplier_id = drafting._require_supplier(actor)
    competition = db.session.scalar(
        access.visible_competitions(actor)
        .where(Competition.id == competition_id)
        .with_for_update(read=True, of=Competition)
        .execution_options(populate_existing=True)
        # The criteria tree and schedule in two round trips rather than one per node (submissions come in rushes).
        .options(
            selectinload(Competition.criteria).selectinload(CompetitionCriterion.children),
            selectinload(Competition.schedule_lines).joinedload(PriceScheduleLine.price_item),
        )
    )
    if competition is None:
        raise NotFoundError("Competition not found")
    bid = db.session.scalar(
        select(Bid)
        .where(Bid.competition_id == competition.id, Bid.supplier_id == supplier_id)
        .with_for_update(of=Bid)
        .execution_options(populate_existing=True)
        .options(
            selectinload(Bid.answers),
            selectinload(Bid.prices),
            selectinload(Bid.attachments).joinedload(BidAttachment.file),
            selectinload(Bid.supplier),
        )
    )
    if bid is None:
        raise NotFoundError("You have not started a bid for this competition")
    return competition, bid


def _check(competition: Competition, action: Action, now: datetime) -> None:
    try:
        check_transition(access.facts(competition), action, now)
    except TransitionError as error:
        raise ConflictError(error.message) from error


def submit(actor: User, competition_id: int) -> BidSubmission:
    """Submit (or amend: resubmit) the draft as version n+1, before the deadline."""
    competition, bid = _lock(actor, competition_id)
    action = Action.AMEND_BID if bid.status == "submitted" else Action.SUBMIT_BID
    now = utcnow()
    _check(competition, action, now)
    eligibility.require_may_bid(competition, bid.supplier_id)  # suspended or excluded since the invitation
    problems = drafting.draft_problems(competition, bid)
    if problems:
        raise SubmissionIncomplete(problems)
    version = (
        db.session.scalar(select(func.max(BidSubmission.version)).where(BidSubmission.bid_id == bid.id)) or 0
    ) + 1
    content = build_content(bid, version)
    text, digest = serialise(content)
    submission = BidSubmission(
        bid_id=bid.id, version=version, submitted_at=now, submitted_by_id=actor.id, content_sha256=digest
    )
    crypto.seal_submission(bid, submission, text, content["total_price_pence"])  # the content is stored only sealed
    db.session.add(submission)
    before = {"status": bid.status}
    bid.status = "submitted"
    bid.updated_at = now  # the draft is this version: a save after it is a change since submission (changes.py)
    audit.record(
        actor,
        "bid.amended" if action is Action.AMEND_BID else "bid.submitted",
        "bid",
        bid.id,
        summary=f"Version {version} submitted for {competition.reference}",
        before=before,
        after={"status": "submitted", "version": version, "content_sha256": digest, "submitted_at": now},
    )
    db.session.flush()  # the receipt links to the version's own page
    # The seal: the receipt goes to the bidding supplier's own users and nobody else; its subject starts with
    # BID_RECEIPT_SUBJECT and the reference, which is how the outbox withholds it from staff until opening.
    notifications.notify(
        recipients.supplier_users([bid.supplier_id]),
        "bid_amended" if action is Action.AMEND_BID else "bid_submitted",
        f"{BID_RECEIPT_SUBJECT}{competition.reference} version {version}",
        _receipt_email(competition, bid, version, now, digest, actor),
        link=links.path_for("bids.receipt", submission_id=submission.id),
    )
    db.session.commit()
    return submission


def _receipt_email(competition: Competition, bid: Bid, version: int, at: datetime, digest: str, actor: User) -> str:
    return (
        f"Your bid for {competition.reference} {competition.title} has been received.\n\n"
        f"Supplier: {bid.supplier.legal_name}\n"
        f"Submitted by: {actor.name}\n"
        f"Version: {version}\n"
        f"Received: {format_datetime(at)} (UK time, by the portal's clock)\n"
        f"SHA-256 of the submitted content: {digest}\n\n"
        "Your latest submitted version is the one that counts. You can amend or withdraw it until "
        f"the deadline, {format_datetime(competition.submission_deadline_at)}.\n"
    )


def withdraw(actor: User, competition_id: int) -> BidSubmission:
    """Withdraw the submitted bid before the deadline; the draft stays and may be submitted again."""
    competition, bid = _lock(actor, competition_id)
    now = utcnow()
    _check(competition, Action.WITHDRAW_BID, now)
    current = seal.latest_submission(bid)
    if current is None:
        raise ConflictError("You have no submitted bid to withdraw")
    current.withdrawn_at = now
    bid.status = "withdrawn"
    audit.record(
        actor,
        "bid.withdrawn",
        "bid",
        bid.id,
        summary=f"Version {current.version} withdrawn from {competition.reference}",
        before={"status": "submitted"},
        after={"status": "withdrawn", "version": current.version, "content_sha256": current.content_sha256},
    )
    # A receipt, like a submission's: the bidding supplier's users only, under a subject the outbox withholds.
    notifications.notify(
        recipients.supplier_users([bid.supplier_id]),
        "bid_withdrawn",
        f"{BID_WITHDRAWN_SUBJECT}{competition.reference} version {current.version}",
        f"Your bid for {competition.reference} {competition.title} has been withdrawn.\n\n"
        f"Supplier: {bid.supplier.legal_name}\n"
        f"Withdrawn by: {actor.name}\n"
        f"Version withdrawn: {current.version}\n"
        f"Withdrawn: {format_datetime(now)} (UK time, by the portal's clock)\n\n"
        "You have no bid in this competition now. Your draft is kept: you can submit it again until the deadline, "
        f"{format_datetime(competition.submission_deadline_at)} (UK time).",
        link=links.path_for("bids.competition", competition_id=competition.id),
    )
    db.session.commit()
    return current


# --- Receipts -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    submission: BidSubmission
    competition: Competition
    bid: Bid
    content: dict
    word_counts: dict[int, int]
    counts: bool  # is this the version that counts now?


def receipt(actor: User, submission_id: int) -> Receipt:
    """The receipt of one of the actor's own submitted versions; 404 for anyone else's."""
    submission = db.session.get(BidSubmission, submission_id)
    if submission is None or not actor.is_supplier:
        raise NotFoundError("Receipt not found")
    bid = db.session.get_one(Bid, submission.bid_id)
    if seal.access_level(actor, bid) != "own":
        raise NotFoundError("Receipt not found")
    versions = {s.id: s for s in seal.submission_versions(actor, bid)}
    frozen = versions[submission.id]
    content = seal.own_submission_content(actor, bid, frozen)
    counts = {a["criterion_id"]: count_words(a["text"]) for a in content["answers"]}
    latest = seal.latest_submission(bid)
    return Receipt(frozen, bid.competition, bid, content, counts, latest is not None and latest.id == frozen.id)


def versions(actor: User, bid: Bid) -> list[BidSubmission]:
    return list(reversed(seal.submission_versions(actor, bid)))
