"""What the portal told each person: the in-app notifications list, the reminders each person has turned off, and
the reminders already sent (so each is sent once)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.audit import OutboxMessage
from portal.models.base import Model, UTCDateTime, utcnow


class Notification(Model):
    """One entry in a person's notifications list; the e-mail that carried it, if any, is in the outbox."""

    __tablename__ = "notification"
    __table_args__ = (
        # The list and the header's unread count read a person's newest entries, unread first.
        Index("ix_notification_user_unread", "user_id", "read_at", "created_at"),
        # A link is a path within the portal (built by url_for), never an address elsewhere to send people to.
        CheckConstraint("link = '' OR link LIKE '/%'", name="link_is_a_path"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The e-mail sent with it; none when the person turned that reminder off.
    outbox_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_message.id", ondelete="SET NULL"))

    outbox_message: Mapped[OutboxMessage | None] = relationship()


class NotificationOptOut(Model):
    """A reminder kind a person has asked not to be e-mailed about (only optional kinds: notification_kinds.py)."""

    __tablename__ = "notification_opt_out"
    __table_args__ = (
        # Turning a kind off twice changes nothing: one row per person and kind.
        UniqueConstraint("user_id", "kind", name="uq_notification_opt_out_user_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SentReminder(Model):
    """A reminder already sent, so that running the reminders again (every few minutes, from cron or RQ, possibly
    twice at once) never sends it a second time."""

    __tablename__ = "sent_reminder"
    __table_args__ = (
        # Each reminder is sent once: per kind, object ("competition:12"), recipient and window ("3d", "1d",
        # or the deadline it was computed against, so that an extended deadline earns its own reminders).
        UniqueConstraint("kind", "object_ref", "user_id", "window", name="uq_sent_reminder_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    object_ref: Mapped[str] = mapped_column(String(60))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    window: Mapped[str] = mapped_column(String(60))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
