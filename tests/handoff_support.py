"""Helpers for the hand-off tests: who got a notification of a kind, with which link, and its e-mail."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import Notification, OutboxMessage, User


def entries(kind: str) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.kind == kind).order_by(Notification.id)))


def assert_delivered(kind: str, people: list[User], link: str) -> list[Notification]:
    """Exactly `people` got an entry of `kind` linking to `link`, each with an e-mail to their own address."""
    rows = entries(kind)
    assert sorted(r.user_id for r in rows) == sorted(p.id for p in people)
    assert {r.link for r in rows} == {link}
    messages = [r.outbox_message for r in rows]
    assert all(m is not None and m.html_body for m in messages)
    assert sorted(m.recipient for m in messages if m) == sorted(p.email for p in people)
    assert all(link in m.body for m in messages if m)  # the absolute address on BASE_URL ends with the path
    return rows


def mail_to(address: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == address)))
