"""Migration 0004 carries existing evaluation data over: competition-wide evaluators become assigned to every quality
criterion, and a per-competition declaration becomes one per bidding supplier with the same answer."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from portal import create_app
from portal.extensions import db

FILLERS = {"INTEGER": 1, "BOOLEAN": 0, "TEXT": "x", "DATETIME": "2026-01-01 00:00:00", "DATE": "2026-01-01"}


def _insert(conn, table: str, **values) -> None:
    """A row with `values`, every other NOT NULL column given a plain filler (foreign keys are not enforced here)."""
    for column in inspect(conn).get_columns(table):
        if column["name"] not in values and not column["nullable"] and column["name"] != "id":
            kind = str(column["type"]).split("(")[0]
            values[column["name"]] = FILLERS.get(kind, 0 if kind in ("NUMERIC", "BIGINT", "SMALLINT") else "x")
    names = ", ".join(values)
    conn.execute(text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + n for n in values)})"), values)


def test_0004_spreads_declarations_over_bidders_and_assignments_over_quality_criteria():
    path = Path(tempfile.mkdtemp(prefix="portal-migrate-")) / "m.sqlite3"
    scratch = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with scratch.app_context():
        upgrade(revision="0003")
        with db.engine.begin() as conn:
            _insert(conn, "competition", id=1, price_method="lowest", abnormally_low_percent=20)
            _insert(conn, "competition_criterion", id=10, competition_id=1, kind="group", parent_id=None)
            _insert(conn, "competition_criterion", id=11, competition_id=1, kind="quality", parent_id=10)
            _insert(conn, "competition_criterion", id=12, competition_id=1, kind="quality", parent_id=10)
            _insert(conn, "competition_criterion", id=13, competition_id=1, kind="price", parent_id=None)
            for bid_id, supplier_id, status in ((1, 7, "submitted"), (2, 8, "submitted"), (3, 9, "draft")):
                _insert(conn, "bid", id=bid_id, competition_id=1, supplier_id=supplier_id, status=status)
            for user_id in (4, 5):
                _insert(conn, "competition_evaluator", competition_id=1, user_id=user_id, assigned_by_id=1)
            _insert(conn, "conflict_declaration", competition_id=1, user_id=4, has_conflict=False, details="")
            _insert(conn, "conflict_declaration", competition_id=1, user_id=5, has_conflict=True, details="Sister")
        upgrade()
        with db.engine.connect() as conn:
            declared = conn.execute(
                text("SELECT user_id, supplier_id, has_conflict, details FROM conflict_declaration ORDER BY 1, 2")
            ).all()
            assigned = conn.execute(text("SELECT user_id, criterion_id FROM evaluator_assignment ORDER BY 1, 2")).all()
        assert [tuple(r) for r in declared] == [(4, 7, 0, ""), (4, 8, 0, ""), (5, 7, 1, "Sister"), (5, 8, 1, "Sister")]
        assert [tuple(r) for r in assigned] == [(4, 11), (4, 12), (5, 11), (5, 12)]  # quality leaves only
        downgrade(revision="0003")
        with db.engine.connect() as conn:
            back = conn.execute(text("SELECT user_id, has_conflict, details FROM conflict_declaration ORDER BY 1"))
            assert [tuple(r) for r in back] == [(4, 0, ""), (5, 1, "Sister; Sister")]
        db.engine.dispose()
