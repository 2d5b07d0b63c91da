"""A failed e-mail never fails the action that sent it: messages are queued in the outbox, delivered after the
transaction commits, retried by `flask mail send-pending`, and given up after MAIL_MAX_ATTEMPTS; a line break in a
competition title reaches no header. The mail server is a fake that can refuse."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.domain.mail_headers import header_safe
from portal.extensions import db
from portal.models import Competition, OutboxMessage
from portal.services import mail
from portal.services.mail import outbox
from tests.test_competition_builder_support import complete, start, world


class FakeSMTP:
    """Stands in for smtplib.SMTP; `refuse_connection` / `fail_sending` make it fail like a real server."""

    sent: list = []
    connections = 0
    refuse_connection = False
    fail_sending: Exception | None = None

    def __init__(self, host, port, timeout=None):
        if FakeSMTP.refuse_connection:
            raise ConnectionRefusedError(111, "Connection refused")
        FakeSMTP.connections += 1

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def send_message(self, message):
        if FakeSMTP.fail_sending is not None:
            raise FakeSMTP.fail_sending
        FakeSMTP.sent.append(message)

    def quit(self):
        pass

    def close(self):
        pass


@pytest.fixture
def smtp(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.test")
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 3)
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    monkeypatch.setattr(FakeSMTP, "sent", [])
    monkeypatch.setattr(FakeSMTP, "connections", 0)
    monkeypatch.setattr(FakeSMTP, "refuse_connection", False)
    monkeypatch.setattr(FakeSMTP, "fail_sending", None)
    return FakeSMTP


def _messages() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _publishable(w) -> Competition:
    competition = complete(start(w), w.buyer)
    competition.title = "Social media platform\r\nBcc: everyone@elsewhere.example"
    db.session.commit()
    return competition


def test_a_line_break_in_a_title_is_sent_as_one_line(client, auth, smtp):
    w = world()
    competition = _publishable(w)
    auth.login(w.buyer.email)
    response = client.post(f"/competitions/{competition.id}/review")
    assert response.status_code == 302  # published, not a 500 from the mail library
    messages = _messages()
    assert messages and all(m.status == "sent" and m.attempts == 1 for m in messages)
    subject = "Invitation to bid: Social media platform Bcc: everyone@elsewhere.example"
    assert all(m.subject.startswith(subject) for m in messages)
    assert len(smtp.sent) == len(messages) and smtp.connections == 1  # after the commit, over one connection
    for sent in smtp.sent:
        assert "\n" not in sent["Subject"] and "\r" not in sent["Subject"] and sent["Bcc"] is None


def test_a_mail_server_that_is_down_does_not_fail_the_action(client, auth, smtp):
    smtp.refuse_connection = True
    w = world()
    competition = _publishable(w)
    auth.login(w.buyer.email)
    assert client.post(f"/competitions/{competition.id}/review").status_code == 302
    db.session.expire_all()
    assert db.session.get(Competition, competition.id).published_at is not None
    first, *rest = _messages()
    assert (first.status, first.attempts) == ("pending", 1) and "Connection refused" in first.error
    # The server could not be reached: the other messages were not tried, and keep every attempt for later.
    assert rest and all((m.status, m.attempts, m.error) == ("pending", 0, "") for m in rest)


def test_send_pending_retries_with_backoff_until_sent(runner, smtp):
    message = mail.send("someone@example.org", "Hello", "Body")
    db.session.commit()
    smtp.fail_sending = smtplib.SMTPRecipientsRefused({"someone@example.org": (450, b"mailbox busy")})
    outbox.deliver_committed()
    assert (_messages()[0].status, _messages()[0].attempts) == ("pending", 1)
    assert "Sent 0; 0 will be retried" in runner.invoke(args=["mail", "send-pending"]).output  # backoff: not yet
    _last_tried(message.id, minutes_ago=1.5)
    assert "Sent 0; 1 will be retried" in runner.invoke(args=["mail", "send-pending"]).output
    _last_tried(message.id, minutes_ago=1.5)  # the second retry waits two minutes
    assert "Sent 0; 0 will be retried" in runner.invoke(args=["mail", "send-pending"]).output
    _last_tried(message.id, minutes_ago=1)
    smtp.fail_sending = None
    result = runner.invoke(args=["mail", "send-pending"])
    assert result.exit_code == 0 and "Sent 1" in result.output
    sent = _messages()[0]
    assert (sent.status, sent.attempts) == ("sent", 3) and sent.sent_at is not None
    assert "mailbox busy" in sent.error  # the last failure stays readable
    assert len(smtp.sent) == 1


def _last_tried(message_id: int, minutes_ago: float) -> None:
    row = db.session.get(OutboxMessage, message_id)
    row.last_attempt_at = row.last_attempt_at - timedelta(minutes=minutes_ago)
    db.session.commit()


def test_a_message_is_given_up_after_the_last_attempt(runner, smtp):
    message = mail.send("someone@example.org", "Hello", "Body")
    db.session.commit()
    smtp.fail_sending = smtplib.SMTPDataError(554, b"rejected")
    outbox.deliver_committed()
    for _ in range(2):
        _last_tried(message.id, minutes_ago=60)
        runner.invoke(args=["mail", "send-pending"])
    failed = _messages()[0]
    assert (failed.status, failed.attempts) == ("failed", 3) and "rejected" in failed.error
    _last_tried(message.id, minutes_ago=60)
    assert "Sent 0; 0 will be retried; 0 failed" in runner.invoke(args=["mail", "send-pending"]).output


def test_nothing_is_sent_for_a_change_that_was_rolled_back(smtp):
    mail.send("someone@example.org", "Hello", "Body")
    db.session.rollback()
    mail.send("other@example.org", "Hello", "Body")
    db.session.commit()
    outbox.deliver_committed()
    assert [m["To"] for m in smtp.sent] == ["other@example.org"]


def test_a_message_claimed_by_another_sender_is_not_sent_twice(smtp):
    message = mail.send("someone@example.org", "Hello", "Body")
    db.session.commit()
    outbox.deliver_committed()
    assert outbox.deliver([message.id]).sent == 0  # already sent: nothing to claim
    assert len(smtp.sent) == 1


def test_without_a_mail_server_messages_are_kept_and_send_pending_says_why(runner):
    mail.send("someone@example.org", "Line\nbreak", "Body")
    db.session.commit()
    kept = _messages()[0]
    assert (kept.status, kept.subject) == ("outbox", "Line break")
    result = runner.invoke(args=["mail", "send-pending"])
    assert result.exit_code == 1 and "MAIL_SERVER is not set" in result.output


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("Invitation\r\nBcc: x@y", "Invitation Bcc: x@y"),
        ("Tabs\tand  spaces", "Tabs and spaces"),
        ("Nul\x00char", "Nul char"),
        ("Line\u2028separator", "Line separator"),
        ("x" * 400, "x" * 300),
    ],
)
def test_headers_are_one_printable_line(raw, safe):
    assert header_safe(raw) == safe
