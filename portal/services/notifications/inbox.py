"""A person's notifications list and notification settings: reading, marking read, and turning reminders off.

Every query is scoped to the person asking: an entry of someone else's is "not found", so its existence is not
revealed. Turning reminders on or off is a change of settings and is audited (`notification.settings_changed`).
"""

from __future__ import annotations

import logging

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from portal.domain.notification_kinds import KINDS, OPTIONAL_KINDS
from portal.domain.paging import Page
from portal.extensions import db
from portal.models import Notification, NotificationOptOut, User
from portal.models.base import utcnow
from portal.services import audit
from portal.services.errors import NotFoundError
from portal.services.notifications import read_unsubscribe_token

PER_PAGE = 20

log = logging.getLogger(__name__)


def unread_count(user: User) -> int:
    """How many of the person's entries are unread: one count on ix_notification_user_unread (every page's header)."""
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


def header_unread_count(user: User) -> int:
    """The unread count for the page header, which every page (error pages too) shows: a failed database
    transaction (the reason for a 500 page) reads as 0 rather than turning the error page into a second failure."""
    try:
        return unread_count(user)
    except SQLAlchemyError:
        log.warning("unread notifications count failed for user %s", user.id, exc_info=True)
        return 0


def page_for(user: User, number: int, per_page: int = PER_PAGE) -> Page[Notification]:
    """Page `number` of the person's entries, newest first (a number past the end gives the last page)."""
    total = db.session.scalar(select(func.count(Notification.id)).where(Notification.user_id == user.id)) or 0
    pages = max(1, -(-total // per_page))
    number = min(max(number, 1), pages)
    items = list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .offset((number - 1) * per_page)
            .limit(per_page)
        )
    )
    return Page(items=items, number=number, pages=pages, total=total, per_page=per_page)


def open_entry(user: User, notification_id: int) -> Notification:
    """The person's entry, marked read (the first time); another person's entry is not found."""
    entry = db.session.scalar(
        select(Notification).where(Notification.id == notification_id, Notification.user_id == user.id)
    )
    if entry is None:
        raise NotFoundError("We could not find that notification.")
    if entry.read_at is None:
        entry.read_at = utcnow()
        db.session.commit()
    return entry


def mark_all_read(user: User) -> int:
    """Mark every unread entry of the person read; returns how many were unread."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def turned_off(user: User) -> set[str]:
    """The optional kinds the person has turned off."""
    return set(db.session.scalars(select(NotificationOptOut.kind).where(NotificationOptOut.user_id == user.id)))


def save_settings(user: User, wanted: set[str]) -> None:
    """Keep e-mailing the optional kinds in `wanted` and turn the other optional kinds off (kinds that are not
    optional are always sent and cannot be turned off, whatever is posted)."""
    optional = {kind.key for kind in OPTIONAL_KINDS}
    before = turned_off(user) & optional
    after = optional - wanted
    if before == after:
        return
    _apply(user, add=after - before, remove=before - after)
    audit.record(
        user,
        "notification.settings_changed",
        "user",
        user.id,
        summary="Reminder e-mails turned off: " + (", ".join(sorted(after)) or "none"),
        before={"turned_off": sorted(before)},
        after={"turned_off": sorted(after)},
    )
    db.session.commit()


def unsubscribe_target(token: str) -> tuple[User, str]:
    """The person and optional kind a one-click unsubscribe token names; a forged, mangled or expired token, an
    unknown person or a kind that cannot be turned off is not found."""
    named = read_unsubscribe_token(token)
    if named is None:
        raise NotFoundError("This unsubscribe link is not valid. Sign in to change your notification settings.")
    user_id, key = named
    user = db.session.get(User, user_id)
    declared = KINDS.get(key)
    if user is None or declared is None or not declared.optional:
        raise NotFoundError("This unsubscribe link is not valid. Sign in to change your notification settings.")
    return user, key


def unsubscribe(token: str) -> tuple[User, str]:
    """Turn off the kind the token names for the person it names (once; again changes nothing and is not audited).
    A mail client may post the one-click request twice at once: the second finds the row the first wrote (the
    unique constraint), which is the outcome it asked for."""
    user, key = unsubscribe_target(token)
    before = turned_off(user)
    if key in before:
        return user, key
    try:
        _apply(user, add={key}, remove=set())  # the transaction's first write: a rollback undoes only it
    except IntegrityError:
        db.session.rollback()
        return user, key
    audit.record(
        user,
        "notification.settings_changed",
        "user",
        user.id,
        summary=f"Reminder e-mails turned off from an e-mail link: {key}",
        before={"turned_off": sorted(before)},
        after={"turned_off": sorted(before | {key})},
    )
    db.session.commit()
    return user, key


def _apply(user: User, *, add: set[str], remove: set[str]) -> None:
    if remove:
        db.session.execute(
            delete(NotificationOptOut).where(NotificationOptOut.user_id == user.id, NotificationOptOut.kind.in_(remove))
        )
    for key in sorted(add):
        db.session.add(NotificationOptOut(user_id=user.id, kind=key))
    db.session.flush()
