"""Migration 0010 carries existing evaluators' declarations over with role 'evaluator' (and back), and a
declarant's own mitigation, which the service never allowed, is cleared rather than breaking the new rule."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from portal import create_app
from portal.extensions import db
from tests.test_migration_0004 import _insert


def test_0010_gives_existing_declarations_the_evaluator_role_and_back():
    path = Path(tempfile.mkdtemp(prefix="portal-migrate-")) / "m.sqlite3"
    scratch = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with scratch.app_context():
        upgrade(revision="0009")
        with db.engine.begin() as conn:
            _insert(conn, "conflict_declaration", id=1, competition_id=1, user_id=5, supplier_id=7,
                    has_conflict=False, details="")  # fmt: skip
            _insert(conn, "conflict_declaration", id=2, competition_id=1, user_id=5, supplier_id=8,
                    has_conflict=True, details="Shares", mitigation="Left the panel", mitigated_by_id=6,
                    mitigated_at="2026-01-02 00:00:00")  # fmt: skip
            _insert(conn, "conflict_declaration", id=3, competition_id=1, user_id=6, supplier_id=8,
                    has_conflict=True, details="Brother", mitigation="Mine", mitigated_by_id=6,
                    mitigated_at="2026-01-02 00:00:00")  # fmt: skip
        upgrade()
        with db.engine.begin() as conn:
            rows = conn.execute(text("SELECT id, role, mitigated_by_id FROM conflict_declaration ORDER BY id")).all()
            assert [tuple(r) for r in rows] == [(1, "evaluator", None), (2, "evaluator", 6), (3, "evaluator", None)]
            # The same person may now declare against the same supplier as the opener too.
            _insert(conn, "conflict_declaration", id=4, competition_id=1, user_id=5, supplier_id=7, role="opener",
                    has_conflict=False, details="")  # fmt: skip
        downgrade(revision="0009")
        with db.engine.connect() as conn:
            back = conn.execute(text("SELECT id, has_conflict FROM conflict_declaration ORDER BY id")).all()
        assert [r.id for r in back] == [1, 2, 3]
        assert "role" not in {c["name"] for c in inspect(db.engine).get_columns("conflict_declaration")}
        db.engine.dispose()
