"""Migration 0013 keeps existing notices (with no published contract chosen) and its constraints hold: a copy only
on a UK7, an unredacted copy only with its reason; downgrading drops the columns and keeps the notices."""

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

COPY = {"contract_copy_sha256": "a" * 64, "contract_copy_of_id": 1, "contract_copy_by_id": 1,
        "contract_copy_at": "2027-03-01 10:00:00"}  # fmt: skip


def test_0013_adds_the_published_contract_to_notices_and_back():
    path = Path(tempfile.mkdtemp(prefix="portal-migrate-")) / "m.sqlite3"
    scratch = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with scratch.app_context():
        upgrade(revision="0012")
        with db.engine.begin() as conn:
            _insert(conn, "transparency_notice", id=1, competition_id=1, notice_type="UK7", status="prepared")
        upgrade(revision="0013")
        with db.engine.begin() as conn:
            row = conn.execute(text("SELECT contract_copy, contract_copy_reason FROM transparency_notice")).one()
            assert tuple(row) == (None, "")
            _insert(conn, "transparency_notice", id=2, competition_id=2, notice_type="UK7", status="prepared",
                    contract_copy="unredacted", contract_copy_reason="Nothing exempt", **COPY)  # fmt: skip
        for bad in (
            {"notice_type": "UK6", "contract_copy": "redacted"},  # only a UK7 carries the contract
            {"notice_type": "UK7", "contract_copy": "unredacted", "contract_copy_reason": ""},  # in full needs a reason
            {"notice_type": "UK7", "contract_copy": "summary"},  # not a known kind of copy
        ):
            with pytest.raises(IntegrityError), db.engine.begin() as conn:
                _insert(conn, "transparency_notice", id=3, competition_id=3, status="prepared", **bad, **COPY)
        with pytest.raises(IntegrityError), db.engine.begin() as conn:  # a chosen copy names its file and chooser
            _insert(conn, "transparency_notice", id=3, competition_id=3, notice_type="UK7", status="prepared",
                    contract_copy="redacted")  # fmt: skip
        downgrade(revision="0012")
        columns = {c["name"] for c in inspect(db.engine).get_columns("transparency_notice")}
        assert "contract_copy" not in columns
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM transparency_notice")).scalar_one() == 2
        db.engine.dispose()
