"""Migration 0022 adds the approval history and carries over the recommendations and approvals already made, as
each award's first steps; its constraints hold (one award per step, known actions, a return says why); downgrading
drops the history and keeps the awards."""

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

AT = "2026-11-13 09:30:00"
LATER = "2026-11-14 10:00:00"
VALID = {"price_method": "lowest", "abnormally_low_percent": 20}


def test_0022_carries_the_steps_over_and_back():
    path = Path(tempfile.mkdtemp(prefix="portal-migrate-")) / "m.sqlite3"
    scratch = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with scratch.app_context():
        upgrade(revision="0021")
        with db.engine.begin() as conn:
            recommended = {"recommended_at": AT, "recommended_by_id": 3, "recommended_bid_id": 7}
            _insert(conn, "competition", id=1, reference="C-1", **VALID, **recommended, recommendation_note="Best")
            approved = {**recommended, "approved_at": LATER, "approved_by_id": 4}
            _insert(conn, "competition", id=2, reference="C-2", **VALID, **approved, recommendation_note="")
            _insert(conn, "competition", id=3, reference="C-3", **VALID)
            award = {"recommended_at": AT, "recommended_by_id": 3, "recommended_supplier_id": 9}
            _insert(conn, "direct_award", id=5, reference="DA-5", **award, justification="Cheapest")
            _insert(conn, "direct_award", id=6, reference="DA-6")
        upgrade(revision="0022")
        with db.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT competition_id, direct_award_id, action, actor_id, substr(at, 1, 19), comment, bid_id,"
                    " supplier_id FROM approval_step ORDER BY coalesce(competition_id, 0), direct_award_id, at"
                )
            ).all()
        assert [tuple(r) for r in rows] == [
            (None, 5, "recommend", 3, AT, "Cheapest", None, 9),
            (1, None, "recommend", 3, AT, "Best", 7, None),
            (2, None, "recommend", 3, AT, "", 7, None),
            (2, None, "approve", 4, LATER, "", 7, None),
        ]
        for bad in (
            {"action": "recommend"},  # neither award
            {"action": "recommend", "competition_id": 1, "direct_award_id": 5},  # both
            {"action": "reject", "competition_id": 1},  # not a step
            {"action": "return", "competition_id": 1, "comment": ""},  # a return that says nothing
        ):
            with pytest.raises(IntegrityError), db.engine.begin() as conn:
                _insert(conn, "approval_step", actor_id=3, at=AT, **{"comment": "c", **bad})
        downgrade(revision="0021")
        assert "approval_step" not in inspect(db.engine).get_table_names()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM competition")).scalar_one() == 3
            assert conn.execute(text("SELECT recommended_by_id FROM direct_award WHERE id = 5")).scalar_one() == 3
        db.engine.dispose()
