"""Migration 0021 adds the kept_answer table (new, nothing to carry over) and lets a document job generate an
evaluation report: letters jobs are kept, a report job is accepted
after upgrading and refused before; downgrading deletes report jobs (their reports stay in the register) and keeps
the letters jobs."""

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

VALID = {"price_method": "lowest", "abnormally_low_percent": 20}


def _job(conn, id: int, kind: str) -> None:
    _insert(
        conn,
        "document_job",
        id=id,
        kind=kind,
        competition_id=1,
        requested_by_id=1,
        backend="local",
        status="done",
        total=1,
        done_count=1,
        error="",
        created_at="2026-12-07 23:00:00",
    )


def _kinds(conn) -> list[tuple[int, str]]:
    return [tuple(r) for r in conn.execute(text("SELECT id, kind FROM document_job ORDER BY id")).all()]


def test_0021_adds_the_report_job_kind_and_removes_it_on_downgrade():
    path = Path(tempfile.mkdtemp(prefix="portal-migrate-")) / "m.sqlite3"
    scratch = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with scratch.app_context():
        upgrade(revision="0020")
        with db.engine.begin() as conn:
            _insert(conn, "competition", id=1, reference="C-1", **VALID)
            _job(conn, 1, "competition_letters")
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            _job(conn, 2, "evaluation_report")
        upgrade(revision="0021")
        assert "kept_answer" in inspect(db.engine).get_table_names()
        with db.engine.begin() as conn:
            _job(conn, 2, "evaluation_report")
            assert _kinds(conn) == [(1, "competition_letters"), (2, "evaluation_report")]
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            _job(conn, 3, "something_else")
        downgrade(revision="0020")
        assert "kept_answer" not in inspect(db.engine).get_table_names()
        with db.engine.begin() as conn:
            assert _kinds(conn) == [(1, "competition_letters")]
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            _job(conn, 2, "evaluation_report")
        db.engine.dispose()
