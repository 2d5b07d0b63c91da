"""Delivery against a real SMTP server (aiosmtpd on a free local port): a hand-off and the reminders arrive as
multipart/alternative (plain text and HTML); only optional reminders carry List-Unsubscribe and
List-Unsubscribe-Post; a person who turned a reminder off is not e-mailed it; the one-click unsubscribe POST from
the e-mail's header stops the next ones."""

from __future__ import annotations

import socket
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller

from portal.extensions import db
from portal.models import NotificationOptOut
from portal.models.base import utcnow
from portal.services.mail import outbox
from portal.services.notifications import notify, reminders
from tests.factories import make_organisation, make_supplier, make_user
from tests.factories_competition import make_competition
from tests.reminders_support import entries


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it by this name
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(app, monkeypatch):
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_USERNAME", "")
    monkeypatch.setitem(app.config, "BASE_URL", "https://portal.example")
    try:
        yield inbox
    finally:
        controller.stop()


def _parts(message: EmailMessage) -> list[str]:
    return [part.get_content_type() for part in message.iter_parts()]


def test_hand_offs_and_reminders_over_smtp(app, client, smtp):
    org = make_organisation()
    buyer = make_user("buyer", email="buyer@force.example", organisation=org)
    keen, quiet = make_supplier(), make_supplier()
    keen_user = make_user("supplier", email="bids@keen.example", supplier=keen)
    quiet_user = make_user("supplier", email="bids@quiet.example", supplier=quiet)
    db.session.add(NotificationOptOut(user_id=quiet_user.id, kind="reminder_deadline"))
    competition = make_competition(
        organisation=org, creator=buyer, suppliers=[keen, quiet], deadline_at=utcnow() + timedelta(days=2)
    )
    db.session.commit()

    # A hand-off: always sent, multipart, no unsubscribe headers.
    with app.test_request_context():
        notify([buyer], "question_asked", "A supplier asked a question", "Please answer it.", link="/competitions")
    db.session.commit()
    outbox.deliver_committed()
    [hand_off] = smtp.to("buyer@force.example")
    assert hand_off.get_content_type() == "multipart/alternative"
    assert _parts(hand_off) == ["text/plain", "text/html"]
    assert "https://portal.example/competitions" in hand_off.get_body(("plain",)).get_content()
    assert hand_off["List-Unsubscribe"] is None and hand_off["List-Unsubscribe-Post"] is None

    # A reminder a person may turn off: multipart, with one-click unsubscribe headers; none for who turned it off.
    reminders.send_due()
    [reminder] = smtp.to("bids@keen.example")
    assert competition.reference in reminder["Subject"]
    assert _parts(reminder) == ["text/plain", "text/html"]
    assert reminder["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = reminder["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith("https://portal.example/notifications/unsubscribe/")
    assert unsubscribe in reminder.get_body(("html",)).get_content()
    assert smtp.to("bids@quiet.example") == []
    assert entries(quiet_user, "reminder_deadline") == 1  # still listed in the portal

    # The mail client's one-click POST (RFC 8058) stops the next reminder's e-mail (the list still shows it).
    response = client.post(urlsplit(unsubscribe).path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    reminders.send_due(utcnow() + timedelta(days=1, hours=12))  # the one-day window
    assert entries(keen_user, "reminder_deadline") == 2
    assert len(smtp.to("bids@keen.example")) == 1
