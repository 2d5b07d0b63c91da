"""Shared helpers for the reminder tests: counting what each person was sent."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Notification, OutboxMessage, SentReminder


def entries(user, kind: str) -> int:
    return db.session.scalar(
        select(func.count(Notification.id)).where(Notification.user_id == user.id, Notification.kind == kind)
    )


def emails(user) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == user.email)))


def claims() -> int:
    return db.session.scalar(select(func.count(SentReminder.id)))
