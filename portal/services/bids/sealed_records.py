"""The seal over a bid's metadata: which audit events and e-mails a reader may see now.

The content seal (portal/services/bids/seal.py) keeps answers and prices from the buyer until opening. This keeps
everything *about* a bid from everyone but its supplier until the competition's bids are opened: that it exists,
when it was drafted, submitted, amended or withdrawn, its versions, hashes and attachments. The audit chain still
records every event when it happens (nothing here changes how events are written or hashed); readers are filtered.

One rule, `withheld_event` / `withheld_message`, as SQL conditions, so lists, their totals and pages, the filter
choices and single-record pages all agree; `may_see_event` asks the same rule about one event.

Withheld until the competition's `opened_at`, from every reader except the bidding supplier's users:
- events about a bid (object_type "bid": created, answers and prices saved, attachments, submitted, amended,
  withdrawn);
- events about a document issued for a bid submission (the supplier's receipt);
- "Bid received" and "Bid withdrawn" e-mails (the receipts portal/services/bids/submission.py sends the bidding
  supplier's users, with that subject and the reference).
A supplier's stated intention (invitation.responded: will bid, or declined with a reason) is what it chose to tell
the buyer, and stays visible.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, String, and_, cast, exists, literal, or_, select

from portal.extensions import db
from portal.models import AuditEvent, Bid, BidSubmission, Competition, Document, OutboxMessage, User

# The subject of the receipt e-mail a supplier gets when it submits or amends: "Bid received: <reference> version N",
# and when it withdraws: "Bid withdrawn: <reference> version N".
BID_RECEIPT_SUBJECT = "Bid received: "
BID_WITHDRAWN_SUBJECT = "Bid withdrawn: "
RECEIPT_SUBJECTS = (BID_RECEIPT_SUBJECT, BID_WITHDRAWN_SUBJECT)


def _sealed_bids(reader: User | None) -> ColumnElement[bool]:
    """Bids of competitions not yet opened, except the reader's own supplier's."""
    condition = and_(Bid.competition_id == Competition.id, Competition.opened_at.is_(None))
    if reader is not None and reader.supplier_id is not None:
        condition = and_(condition, Bid.supplier_id != reader.supplier_id)
    return condition


def withheld_event(reader: User | None) -> ColumnElement[bool]:
    """True for an AuditEvent row that `reader` may not see yet."""
    sealed = _sealed_bids(reader)
    bid_ids = select(cast(Bid.id, String(60))).select_from(Bid).join(Competition, Bid.competition_id == Competition.id)
    receipts = (
        select(cast(Document.id, String(60)))
        .select_from(Document)
        .join(BidSubmission, and_(Document.subject_type == "bid_submission", Document.subject_id == BidSubmission.id))
        .join(Bid, BidSubmission.bid_id == Bid.id)
        .join(Competition, Bid.competition_id == Competition.id)
    )
    return and_(AuditEvent.object_type == "bid", AuditEvent.object_id.in_(bid_ids.where(sealed))) | and_(
        AuditEvent.object_type == "document", AuditEvent.object_id.in_(receipts.where(sealed))
    )


def visible_event(reader: User | None) -> ColumnElement[bool]:
    return ~withheld_event(reader)


def may_see_event(reader: User | None, event: AuditEvent) -> bool:
    """Whether `reader` may see this one event now (the same rule as the lists)."""
    return not db.session.scalar(select(exists().where(AuditEvent.id == event.id, withheld_event(reader))))


def withheld_message(reader: User | None) -> ColumnElement[bool]:
    """True for an OutboxMessage row that `reader` may not see yet: a bid receipt for an unopened competition, to
    anyone but its recipient."""
    condition = or_(*(_receipt_of_unopened(prefix) for prefix in RECEIPT_SUBJECTS))
    if reader is not None:
        condition = condition & (OutboxMessage.recipient != reader.email)
    return condition


def _receipt_of_unopened(prefix: str) -> ColumnElement[bool]:
    unopened = exists().where(
        Competition.opened_at.is_(None),
        OutboxMessage.subject.startswith(literal(prefix) + Competition.reference + literal(" ")),
    )
    return OutboxMessage.subject.startswith(prefix, autoescape=True) & unopened


def visible_message(reader: User | None) -> ColumnElement[bool]:
    return ~withheld_message(reader)
