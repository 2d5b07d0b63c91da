"""Delivering the outbox: an e-mail is a row first, and is sent only after the transaction that wrote it commits.

`mail.send` only queues: the message is an OutboxMessage row in the caller's transaction, so a change and its
e-mails are committed together, nothing is sent for a change that was rolled back, and a mail server that is down,
slow or refuses a message can never fail (or undo) the action that sent it. Once the transaction commits, the
messages it queued are delivered at the end of the request (or of the command's or job's app context), each attempt
counted with its error. A message that fails stays pending; `flask mail send-pending`, run from a scheduler,
retries it after a backoff (1, 2, 4, ... minutes) until MAIL_MAX_ATTEMPTS, when it is marked failed for staff to
see in the outbox. Without MAIL_SERVER nothing is delivered: messages are kept with status "outbox".

A sender claims each attempt (attempts + 1, on the condition that attempts is what it read) in a committed update
before it talks to the mail server, so two senders never both send a message; a sender killed after sending but
before recording it sends it again later: at least once, never silently lost. Delivery uses a session of its own,
so it never commits anything the request left in the main session.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage

from flask import Flask, current_app
from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from portal.domain.mail_headers import header_safe
from portal.extensions import db
from portal.models import OutboxMessage
from portal.models.base import utcnow

log = logging.getLogger(__name__)

QUEUED = "outbox_queued"  # session.info: messages added in the open transaction
COMMITTED = "outbox_committed"  # session.info: messages whose transaction committed, to deliver
RETRY_AFTER = timedelta(minutes=1)  # doubled after each failed attempt
SMTP_TIMEOUT_SECONDS = 10


@dataclass
class Delivery:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def summary(self) -> str:
        return f"Sent {self.sent}; {self.retrying} will be retried; {self.failed} failed for good."


# --- Queueing: delivered once the caller's transaction commits -------------------------------------------------


def deliver_after_commit(message: OutboxMessage) -> None:
    db.session.info.setdefault(QUEUED, []).append(message)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    queued = session.info.pop(QUEUED, None)
    if queued:
        session.info.setdefault(COMMITTED, []).extend(queued)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(QUEUED, None)  # those rows were never written


def deliver_committed() -> Delivery | None:
    """Deliver what committed transactions of this context queued; never raises (an action has already happened)."""
    if not db.session.registry.has():
        return None
    messages = db.session.info.pop(COMMITTED, [])
    ids = [key[0] for key in (inspect(m).identity for m in messages) if key]
    if not ids:
        return None
    try:
        return deliver(ids)
    except Exception:  # the messages stay pending: `flask mail send-pending` retries them
        log.exception("delivering e-mails %s failed", ids)
        return None


def init_app(app: Flask) -> None:
    @app.after_request
    def deliver_after_request(response):
        deliver_committed()
        return response

    @app.teardown_appcontext
    def deliver_at_teardown(exc: BaseException | None) -> None:
        deliver_committed()  # commands and background jobs: their app context ends here


# --- Delivering ------------------------------------------------------------------------------------------------


def due_for_retry(session: Session, limit: int | None = None) -> list[int]:
    """Pending messages whose backoff has passed (never-tried ones at once), oldest first."""
    now = utcnow()
    rows = session.execute(
        select(OutboxMessage.id, OutboxMessage.attempts, OutboxMessage.last_attempt_at)
        .where(OutboxMessage.status == "pending")
        .order_by(OutboxMessage.id)
    )
    due = [
        row.id
        for row in rows
        if row.last_attempt_at is None or row.last_attempt_at <= now - RETRY_AFTER * 2 ** max(row.attempts - 1, 0)
    ]
    return due[:limit] if limit is not None else due


def send_pending(limit: int | None = None) -> Delivery:
    with Session(db.engine) as session:
        due = due_for_retry(session, limit)
    return deliver(due)


def deliver(message_ids: Iterable[int]) -> Delivery:
    """Try each pending message once over one SMTP connection; stop early if the server cannot be reached."""
    config, result = current_app.config, Delivery()
    if not config.get("MAIL_SERVER"):
        return result
    smtp: smtplib.SMTP | None = None
    with Session(db.engine, expire_on_commit=False) as session:
        try:
            for message_id in message_ids:
                message = _claim(session, message_id)
                if message is None:
                    continue
                try:
                    smtp = smtp or _connect(config)
                except Exception as error:  # unreachable or refusing us: the rest wait for the next run untouched
                    _record_failure(session, message, error, config, result)
                    break
                try:
                    smtp.send_message(_email(config, message))
                except Exception as error:  # whatever the server or the message did, it is recorded, not raised
                    _record_failure(session, message, error, config, result)
                    _close(smtp)
                    smtp = None  # the connection's state is unknown: the next message opens a new one
                    continue
                message.status, message.sent_at = "sent", utcnow()
                session.commit()
                result.sent += 1
        finally:
            _close(smtp)
    return result


def _claim(session: Session, message_id: int) -> OutboxMessage | None:
    message = session.get(OutboxMessage, message_id)
    if message is None or message.status != "pending":
        return None
    claimed = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.attempts == message.attempts)
        .values(attempts=message.attempts + 1, last_attempt_at=utcnow())
    )
    session.commit()
    if getattr(claimed, "rowcount", 0) != 1:
        return None  # another sender took this attempt
    session.refresh(message)
    return message


def _record_failure(session: Session, message: OutboxMessage, error: Exception, config, result: Delivery) -> None:
    message.error = f"{type(error).__name__}: {error}"[:2000]
    if message.attempts >= int(config.get("MAIL_MAX_ATTEMPTS", 5)):
        message.status = "failed"
        result.failed += 1
    else:
        result.retrying += 1
    session.commit()
    log.warning("e-mail %s to %s failed (attempt %s): %s", message.id, message.recipient, message.attempts, error)


def _email(config, message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = config["MAIL_SENDER"]
    email["To"] = header_safe(message.recipient)
    # Rows queued before subjects were made safe may still hold a line break: collapse it here too.
    email["Subject"] = header_safe(message.subject)
    email.set_content(message.body)
    if message.html_body:
        email.add_alternative(message.html_body, subtype="html")  # multipart/alternative: plain text first
    if message.unsubscribe_url:
        # RFC 2369 and RFC 8058: mail clients offer "unsubscribe" and may POST to it without opening the link.
        email["List-Unsubscribe"] = f"<{header_safe(message.unsubscribe_url)}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return email


def _connect(config) -> smtplib.SMTP:
    smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=SMTP_TIMEOUT_SECONDS)
    if config.get("MAIL_USE_TLS"):
        smtp.starttls()
    if config.get("MAIL_USERNAME"):
        smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    return smtp


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    try:
        smtp.quit()
    except Exception:  # already gone: nothing to tidy
        smtp.close()
