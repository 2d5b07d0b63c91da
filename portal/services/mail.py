"""Outgoing email. Every message is kept in the outbox; SMTP delivers it, after the change that sent it commits,
when configured (portal/services/outbox.py: delivery, retries, `flask mail send-pending`).

`link_for` builds the absolute links that emails carry, the same way for every message.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app, has_request_context, url_for

from portal.domain.mail_headers import header_safe
from portal.extensions import db
from portal.models import OutboxMessage
from portal.services import outbox

log = logging.getLogger(__name__)


def send(recipient: str, subject: str, body: str) -> OutboxMessage:
    """Queue a message in the caller's transaction; it is delivered once that transaction commits.

    Nothing here talks to the mail server, so sending can never fail the action: a delivery failure is recorded
    on the message and retried. The subject is made one line (a title with a line break would inject a header).
    """
    pending = bool(current_app.config.get("MAIL_SERVER"))
    message = OutboxMessage(
        recipient=header_safe(recipient),
        subject=header_safe(subject),
        body=body,
        status="pending" if pending else "outbox",
        attempts=0,
    )
    db.session.add(message)
    if pending:
        outbox.deliver_after_commit(message)
    else:
        log.info("email (outbox, no MAIL_SERVER) to=%s subject=%s\n%s", recipient, message.subject, body)
    return message


def link_for(endpoint: str, **values: Any) -> str:
    """An absolute link for an email: BASE_URL if set, else the current request's host."""
    base = current_app.config.get("BASE_URL")
    if not base and has_request_context():
        return url_for(endpoint, _external=True, **values)
    # Outside a request (a command, a job) the path is built from the URL map alone.
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return (base or "http://127.0.0.1:5000").rstrip("/") + path
