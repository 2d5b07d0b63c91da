"""notify() writes a notifications-list entry and a multipart e-mail per active person, once each; kinds come from
the one table; unsubscribe tokens name one person and kind and cannot be forged."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.domain.notification_kinds import KINDS, OPTIONAL_KINDS, Category, kind
from portal.extensions import db
from portal.models import Notification, OutboxMessage
from portal.services import notifications
from portal.services.mail.outbox import _email
from tests.factories import make_user


def test_legal_steps_and_hand_offs_can_never_be_turned_off():
    assert all(k.category is Category.REMINDER and not k.legal_step for k in OPTIONAL_KINDS)
    assert not KINDS["award_approved"].optional and not KINDS["reminder_standstill_ending"].optional
    assert KINDS["reminder_deadline"].optional
    with pytest.raises(ValueError, match="unknown notification kind"):
        kind("made_up")


def test_notify_records_an_entry_and_a_multipart_email_per_active_person(app):
    buyer = make_user("buyer", name="Bea Buyer")
    colleague = make_user("buyer", organisation=buyer.buyer_organisation)
    gone = make_user("buyer", organisation=buyer.buyer_organisation, active=False)
    written = notifications.notify(
        [buyer, colleague, buyer, gone],
        "question_asked",
        "A question on CF-1 <Social media>",
        "Orlo asked a question.\n\nAnswer it before 5pm.",
        link="/competitions/1/clarifications",
    )
    db.session.commit()
    assert [entry.user_id for entry in written] == [buyer.id, colleague.id]
    rows = db.session.scalars(select(Notification).order_by(Notification.id)).all()
    assert [(r.user_id, r.kind, r.link) for r in rows] == [
        (buyer.id, "question_asked", "/competitions/1/clarifications"),
        (colleague.id, "question_asked", "/competitions/1/clarifications"),
    ]
    message = db.session.get(OutboxMessage, rows[0].outbox_message_id)
    assert message.recipient == buyer.email
    assert "Open it in the portal: http" in message.body and "/competitions/1/clarifications" in message.body
    assert "&lt;Social media&gt;" in message.html_body  # the HTML part escapes what people typed
    assert "<p style" in message.html_body and "cannot be turned off" in message.html_body
    assert message.unsubscribe_url == ""
    email = _email(app.config, message)
    assert email.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in email.iter_parts()] == ["text/plain", "text/html"]
    assert email["List-Unsubscribe"] is None  # a hand-off cannot be turned off


def test_unsubscribe_tokens_name_one_person_and_kind_and_cannot_be_forged(app):
    token = notifications.unsubscribe_token(42, "reminder_deadline")
    assert notifications.read_unsubscribe_token(token) == (42, "reminder_deadline")
    assert notifications.read_unsubscribe_token(token[:-2] + "xx") is None
    assert notifications.read_unsubscribe_token("not-a-token") is None
