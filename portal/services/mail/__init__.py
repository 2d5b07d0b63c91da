"""Outgoing email. Every message is kept in the outbox; SMTP delivers it, after the change that sent it commits,
when configured (portal/services/mail/outbox.py: delivery, retries, `flask mail send-pending`).

`link_for` builds the absolute links that emails carry, the same way for every message.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import current_app

from portal.domain.mail_headers import header_safe
from portal.extensions import db
from portal.models import OutboxMessage
from portal.services.mail import outbox

log = logging.getLogger(__name__)


def send(recipient: str, subject: str, body: str, *, html: str = "", unsubscribe_url: str = "") -> OutboxMessage:
    """Queue a message in the caller's transaction; it is delivered once that transaction commits.

    Nothing here talks to the mail server, so sending can never fail the action: a delivery failure is recorded
    on the message and retried. The subject is made one line (a title with a line break would inject a header).
    `html` is an alternative rendering of `body`; `unsubscribe_url`, given only for mail a person may turn off,
    becomes its List-Unsubscribe header.
    """
    pending = bool(current_app.config.get("MAIL_SERVER"))
    message = OutboxMessage(
        recipient=header_safe(recipient),
        subject=header_safe(subject),
        body=body,
        html_body=html,
        unsubscribe_url=header_safe(unsubscribe_url, limit=500),
        status="pending" if pending else "outbox",
        attempts=0,
    )
    db.session.add(message)
    if pending:
        outbox.deliver_after_commit(message)
    else:
        log.info("email (outbox, no MAIL_SERVER) to=%s subject=%s\n%s", recipient, message.subject, body)
    return message


@contextmanager
def unlogged() -> Iterator[None]:
    """Queue e-mails without writing each one to the log: the demo seed queues hundreds, which buried the demo
    accounts under pages of text. The messages themselves are kept in the outbox as always."""
    previous = log.level
    log.setLevel(logging.WARNING)
    try:
        yield
    finally:
        log.setLevel(previous)


def link_for(endpoint: str, **values: Any) -> str:
    """An absolute link for an email, always on BASE_URL.

    Never on the request's host: the Host header is whatever the client sent, so a forgot-password request with
    `Host: evil.example` would otherwise email a working reset link pointing at the attacker's site."""
    base = str(current_app.config["BASE_URL"]).rstrip("/")
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return base + path
