"""Notifications: every hand-off, receipt and reminder reaches its people twice, as an entry in their
notifications list and as an e-mail, both written in the caller's transaction (so a change and what it announced
commit together, and nothing is announced for a change that was rolled back).

    notifications.notify(people, "question_asked", subject, body, link=url_for(...))

`people` are User rows (inactive accounts and repeats are skipped); `kind` is a key of
portal/domain/notification_kinds.py, which says whether a person may turn it off; `body` is plain text in
paragraphs; `link` is the portal path where the work is done. The e-mail is multipart, plain text and HTML, with the
link as an absolute address on BASE_URL; reminders a person may turn off carry a List-Unsubscribe header with a
one-click address (RFC 8058), and are not e-mailed to a person who turned them off (the list still shows them).

The seal: a receipt about a bid goes only to the bidding supplier's own users; callers pass those and nobody else.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app, render_template
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from portal.domain.notification_kinds import kind as kind_named
from portal.extensions import db
from portal.models import Notification, NotificationOptOut, User
from portal.services import mail
from portal.services.notifications import links

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
UNSUBSCRIBE_MAX_AGE_SECONDS = 60 * 60 * 24 * 365  # an unsubscribe link in an old e-mail still works for a year


def notify(people: Iterable[User], kind: str, subject: str, body: str, *, link: str = "") -> list[Notification]:
    """Record and e-mail one notification to each active person in `people`; returns the entries written."""
    declared = kind_named(kind)
    recipients = _distinct_active(people)
    if not recipients:
        return []
    opted_out = _opted_out({person.id for person in recipients}, kind) if declared.optional else set()
    address = links.absolute(link)
    written = []
    for person in recipients:
        entry = Notification(user_id=person.id, kind=kind, subject=subject, body=body, link=link)
        if person.id not in opted_out:
            unsubscribe = unsubscribe_url(person, kind) if declared.optional else ""
            message = mail.send(
                person.email,
                subject,
                _plain(body, address, unsubscribe),
                html=render_template(
                    "email/notification.html",
                    subject=subject,
                    paragraphs=[p for p in body.split("\n\n") if p.strip()],
                    address=address,
                    unsubscribe=unsubscribe,
                    label=declared.label,
                ),
                unsubscribe_url=unsubscribe,
            )
            entry.outbox_message = message
        db.session.add(entry)
        written.append(entry)
    return written


def unsubscribe_url(person: User, kind: str) -> str:
    return mail.link_for("notifications.unsubscribe", token=unsubscribe_token(person.id, kind))


def unsubscribe_token(user_id: int, kind: str) -> str:
    """A signed, unguessable token naming one person and one optional kind, so a one-click unsubscribe needs no
    sign-in (mail clients post to it on their own) yet nobody can turn off someone else's reminders."""
    return _serializer().dumps([user_id, kind])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """The person and kind a token names, or None when it is forged, mangled or over a year old."""
    try:
        user_id, kind = _serializer().loads(token, max_age=UNSUBSCRIBE_MAX_AGE_SECONDS)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(kind, str):
        return None
    return user_id, kind


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def _distinct_active(people: Iterable[User]) -> list[User]:
    seen: set[int] = set()
    chosen = []
    for person in people:
        if person.active and person.id not in seen:
            seen.add(person.id)
            chosen.append(person)
    return chosen


def _opted_out(user_ids: set[int], kind: str) -> set[int]:
    return set(
        db.session.scalars(
            select(NotificationOptOut.user_id).where(
                NotificationOptOut.kind == kind, NotificationOptOut.user_id.in_(user_ids)
            )
        )
    )


def _plain(body: str, address: str, unsubscribe: str) -> str:
    text = body.rstrip() + "\n"
    if address:
        text += f"\nOpen it in the portal: {address}\n"
    if unsubscribe:
        text += f"\nYou can turn off these reminders: {unsubscribe}\n"
    return text
