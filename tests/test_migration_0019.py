"""Migration 0019 keeps every e-mail already in the outbox (plain text, no List-Unsubscribe), adds the notification
tables whose constraints hold (a reminder is recorded once; a link is a path), and downgrades keeping the outbox."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from portal import create_app
from portal.extensions import db
from tests.test_migration_0004 import _insert

AT = "2026-12-01 09:00:00"


def test_0019_carries_the_outbox_over_and_back():
    path = Path(tempfile.mkdtemp(prefix="portal-migrate-")) / "m.sqlite3"
    scratch = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with scratch.app_context():
        upgrade(revision="0018")
        with db.engine.begin() as conn:
            message = {"recipient": "a@example.test", "subject": "Hello", "body": "Body", "status": "outbox"}
            _insert(conn, "outbox_message", id=1, created_at=AT, **message)
        upgrade(revision="0019")
        with db.engine.begin() as conn:
            row = conn.execute(text("SELECT subject, body, html_body, unsubscribe_url FROM outbox_message")).one()
            assert tuple(row) == ("Hello", "Body", "", "")
            reminder = {"kind": "reminder_deadline", "object_ref": "competition:1", "user_id": 1, "window": "3d"}
            _insert(conn, "sent_reminder", id=1, sent_at=AT, **reminder)
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            _insert(conn, "sent_reminder", id=2, sent_at=AT, **reminder)  # the same reminder twice
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            _insert(conn, "notification", id=1, user_id=1, link="https://evil.example/", created_at=AT)
        downgrade(revision="0018")
        tables = set(inspect(db.engine).get_table_names())
        assert not tables & {"notification", "notification_opt_out", "sent_reminder"}
        with db.engine.begin() as conn:
            assert conn.execute(text("SELECT subject, body FROM outbox_message")).one() == ("Hello", "Body")
        db.engine.dispose()
