"""Migration 0012 carries existing call-offs over: every one had a standstill applied (the portal always applied
one), and an approved direct award's standstill started at its approval; its constraints hold; downgrading drops the
columns and keeps the call-offs."""

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

APPROVED, ENDS = "2026-11-02 14:00:00", "2026-11-14 00:00:00"


def test_0012_records_the_standstill_choice_and_a_direct_awards_start_and_back():
    path = Path(tempfile.mkdtemp(prefix="portal-migrate-")) / "m.sqlite3"
    scratch = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with scratch.app_context():
        upgrade(revision="0011")
        with db.engine.begin() as conn:
            _insert(conn, "competition", id=1, price_method="lowest", abnormally_low_percent=20)
            _insert(conn, "direct_award", id=1, reference="DA-1", approved_at=APPROVED, standstill_ends_at=ENDS)
            _insert(conn, "direct_award", id=2, reference="DA-2")
        upgrade(revision="0012")
        with db.engine.begin() as conn:
            assert conn.execute(text("SELECT standstill_applies FROM competition")).scalar_one() in (1, True)
            rows = conn.execute(
                text("SELECT id, standstill_applies, standstill_started_at FROM direct_award ORDER BY id")
            ).all()
            assert [(r[0], bool(r[1]), str(r[2])[:19] if r[2] else None) for r in rows] == [
                (1, True, APPROVED),
                (2, True, None),
            ]
        for bad in (
            {"standstill_started_at": APPROVED, "standstill_ends_at": ENDS},  # a standstill before any approval
            {"approved_at": APPROVED, "standstill_started_at": APPROVED},  # started with no end
            {"approved_at": APPROVED, "standstill_ends_at": ENDS},  # an end with no start
        ):
            with pytest.raises(IntegrityError), db.engine.begin() as conn:
                _insert(conn, "direct_award", id=3, reference="DA-3", **bad)
        downgrade(revision="0011")
        columns = {c["name"] for c in inspect(db.engine).get_columns("direct_award")}
        assert "standstill_started_at" not in columns and "standstill_applies" not in columns
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM direct_award")).scalar_one() == 2
            assert conn.execute(text("SELECT standstill_ends_at FROM direct_award WHERE id = 1")).scalar_one()
        db.engine.dispose()
