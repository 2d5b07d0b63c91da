"""Outgoing email. Every message is kept in the outbox; SMTP delivers it when configured.

`link_for` builds the absolute links that emails carry, the same way for every message.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from typing import Any

from flask import current_app

from portal.extensions import db
from portal.models import OutboxMessage

log = logging.getLogger(__name__)


def send(recipient: str, subject: str, body: str) -> OutboxMessage:
    """Queue a message in the caller's transaction and try SMTP if configured.

    Delivery is attempted before the commit; a failure is recorded on the message rather than
    undoing the change that caused it.
    """
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, status="outbox")
    db.session.add(message)
    config = current_app.config
    if config.get("MAIL_SERVER"):
        try:
            _deliver(config, recipient, subject, body)
            message.status = "sent"
        except (OSError, smtplib.SMTPException) as exc:
            message.status = "failed"
            message.error = str(exc)
            log.warning("email to %s failed: %s", recipient, exc)
    else:
        log.info("email (outbox, no MAIL_SERVER) to=%s subject=%s\n%s", recipient, subject, body)
    return message


def link_for(endpoint: str, **values: Any) -> str:
    """An absolute link for an email, always on BASE_URL.

    Never on the request's host: the Host header is whatever the client sent, so a forgot-password request with
    `Host: evil.example` would otherwise email a working reset link pointing at the attacker's site."""
    base = str(current_app.config["BASE_URL"]).rstrip("/")
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return base + path


def _deliver(config, recipient: str, subject: str, body: str) -> None:
    msg = EmailMessage()
    msg["From"] = config["MAIL_SENDER"]
    msg["To"] = recipient
    msg["Subject"] = subject
    msg.set_content(body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(msg)
