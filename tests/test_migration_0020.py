"""Migration 0020 adds the tender document tables beside what is there (no row changes); the constraints hold (a known
type, a title, versions numbered from 1 and once each); downgrading drops the tables and keeps everything else."""

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

SHA = "b" * 64
VALID = {"price_method": "lowest", "abnormally_low_percent": 20}


def test_0020_adds_tender_documents_and_drops_them_on_the_way_down():
    path = Path(tempfile.mkdtemp(prefix="portal-migrate-")) / "m.sqlite3"
    scratch = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with scratch.app_context():
        upgrade(revision="0019")
        with db.engine.begin() as conn:
            _insert(conn, "competition", id=1, reference="C-1", **VALID)
            _insert(conn, "stored_file", sha256=SHA, size_bytes=10, media_type="application/pdf")
        upgrade(revision="0020")
        with db.engine.begin() as conn:
            _insert(conn, "tender_document", id=1, competition_id=1, document_type="specification", title="Spec")
            _insert(conn, "tender_document_version", id=1, document_id=1, version=1, file_sha256=SHA, change_note="")
            _insert(conn, "tender_document_version", id=2, document_id=1, version=2, file_sha256=SHA, change_note="x")
            assert conn.execute(text("SELECT count(*) FROM tender_document_version")).scalar_one() == 2
        for table, bad in (
            ("tender_document", {"id": 2, "competition_id": 1, "document_type": "memo", "title": "Memo"}),
            ("tender_document", {"id": 2, "competition_id": 1, "document_type": "other", "title": ""}),
            ("tender_document_version", {"id": 3, "document_id": 1, "version": 0, "file_sha256": SHA}),
            ("tender_document_version", {"id": 3, "document_id": 1, "version": 2, "file_sha256": SHA}),
        ):
            with pytest.raises(IntegrityError), db.engine.begin() as conn:
                _insert(conn, table, **bad)
        checks = {c["name"] for c in inspect(db.engine).get_check_constraints("tender_document")}
        assert {"ck_tender_document_known_type", "ck_tender_document_has_title"} <= checks
        downgrade(revision="0019")
        tables = set(inspect(db.engine).get_table_names())
        assert not tables & {"tender_document", "tender_document_version"}
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM competition")).scalar_one() == 1
            assert conn.execute(text("SELECT count(*) FROM stored_file")).scalar_one() == 1
        db.engine.dispose()
