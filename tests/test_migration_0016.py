"""Migration 0016 carries opened competitions over to opening under dual control: the witness becomes the officer
who confirmed the opening, and the opener started it when the bids were opened; the new constraints hold (the
confirmer is not the opener; a started opening names who started it); downgrading turns the confirmer back into the
witness and keeps the competitions."""

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

OPENED = "2026-11-13 09:30:00"
VALID = {"price_method": "lowest", "abnormally_low_percent": 20}


def test_0016_turns_the_witness_into_the_confirmer_and_back():
    path = Path(tempfile.mkdtemp(prefix="portal-migrate-")) / "m.sqlite3"
    scratch = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with scratch.app_context():
        upgrade(revision="0015")
        with db.engine.begin() as conn:
            opened = {"opened_at": OPENED, "opened_by_id": 1, "opening_witness_id": 2}
            _insert(conn, "competition", id=1, reference="C-1", **VALID, **opened)
            _insert(conn, "competition", id=2, reference="C-2", **VALID)
        upgrade(revision="0016")
        with db.engine.begin() as conn:
            rows = conn.execute(
                text(
                    "SELECT id, opened_by_id, opening_confirmed_by_id, opening_started_by_id, opening_started_at"
                    " FROM competition ORDER BY id"
                )
            ).all()
            assert [(r[0], r[1], r[2], r[3], str(r[4])[:19] if r[4] else None) for r in rows] == [
                (1, 1, 2, 1, OPENED),
                (2, None, None, None, None),
            ]
        keys = {fk["name"] for fk in inspect(db.engine).get_foreign_keys("competition")}
        assert {
            "fk_competition_opening_confirmed_by_id_user_account",
            "fk_competition_opening_started_by_id_user_account",
        } <= keys
        for bad in (
            {"opened_at": OPENED, "opened_by_id": 1, "opening_confirmed_by_id": 1},  # one officer, twice
            {"opening_started_at": OPENED},  # started by nobody
            {"opening_started_by_id": 1},  # started at no time
        ):
            with pytest.raises(IntegrityError), db.engine.begin() as conn:
                _insert(conn, "competition", id=3, reference="C-3", **VALID, **bad)
        downgrade(revision="0015")
        columns = {c["name"] for c in inspect(db.engine).get_columns("competition")}
        assert "opening_witness_id" in columns and not columns & {
            "opening_confirmed_by_id",
            "opening_started_at",
            "opening_started_by_id",
        }
        keys = {fk["name"] for fk in inspect(db.engine).get_foreign_keys("competition")}
        assert "fk_competition_opening_witness_id_user_account" in keys
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT opening_witness_id FROM competition WHERE id = 1")).scalar_one() == 2
            assert conn.execute(text("SELECT count(*) FROM competition")).scalar_one() == 2
        db.engine.dispose()
