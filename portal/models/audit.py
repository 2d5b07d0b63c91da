"""The audit trail: one event for every change, hash-chained, and staff acknowledgements."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Model, UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.user import User


class AuditEvent(Model):
    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_object", "object_type", "object_id"),
        Index("ix_audit_event_type_at", "event_type", "occurred_at"),
        # Hashes are hex SHA-256; anything else means the chain was tampered with.
        CheckConstraint("length(hash) = 64 AND length(prev_hash) = 64", name="sha256_hex"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    # The actor's email at the time: stays readable if the account is later changed.
    actor_label: Mapped[str] = mapped_column(String(254), default="system")
    actor_party: Mapped[str] = mapped_column(String(20), default="system")
    event_type: Mapped[str] = mapped_column(String(80))
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str] = mapped_column(String(60))
    summary: Mapped[str] = mapped_column(Text, default="")
    before_json: Mapped[str] = mapped_column(Text, default="{}")
    after_json: Mapped[str] = mapped_column(Text, default="{}")
    # Unique: two events can never claim the same predecessor, so the chain cannot fork.
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Unique too: the next event names its predecessor by this hash, so it must point at exactly one event.
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    actor: Mapped[User | None] = relationship()

    def chain_content(self) -> dict:
        return {
            "id": self.id,
            "occurred_at": self.occurred_at.isoformat(),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "actor_party": self.actor_party,
            "event_type": self.event_type,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "summary": self.summary,
            "before": self.before_json,
            "after": self.after_json,
        }


class SupplierChangeReview(Model):
    """Framework staff's acknowledgement that they have seen a change a supplier made."""

    __tablename__ = "supplier_change_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A change is acknowledged once: two staff ticking it at the same moment get one review and one refusal.
    audit_event_id: Mapped[int] = mapped_column(ForeignKey("audit_event.id"), unique=True)
    reviewed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")

    audit_event: Mapped[AuditEvent] = relationship()
    reviewed_by: Mapped[User] = relationship()


class OutboxMessage(Model):
    """Every email the portal sends, kept so staff can read it; delivered by SMTP after its transaction commits
    when a mail server is configured, and retried (portal/services/mail/outbox.py)."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        # Staff filter the outbox by these, and the sender retries only pending ones: waiting or retrying,
        # delivered, given up after the last attempt (its error kept to read), or kept only (no mail server).
        CheckConstraint("status IN ('pending', 'sent', 'failed', 'outbox')", name="known_status"),
        # Attempts are counted up from none; the sender claims an attempt by the count it read.
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # The same message as HTML, sent as the alternative part of a multipart e-mail; empty for plain-text-only mail.
    html_body: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Where a one-click unsubscribe (RFC 8058) turns this kind of reminder off; empty on mail that cannot be
    # turned off (hand-offs, receipts, anything carrying a legal step), which therefore has no List-Unsubscribe.
    unsubscribe_url: Mapped[str] = mapped_column(String(500), default="", server_default="")
    status: Mapped[str] = mapped_column(String(10), default="outbox")
    # The last attempt's error; kept after a later attempt succeeds, so staff can see what went wrong.
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
