"""Migration 0017 encrypts the bid content already there: answers, prices, submitted versions and the attachment
files in the store; the app reads them afterwards; downgrading decrypts them all back."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from portal import create_app
from portal.extensions import db
from portal.models import Bid, BidAnswer, BidPrice, BidSubmission
from portal.services.bids import crypto
from tests.conftest import TEST_SEAL_MASTER_KEY
from tests.test_migration_0004 import _insert

ANSWER = "Migrated canary answer 4e1b"
FILE = b"%PDF-1.7\n% migrated canary file 9a0c\n%%EOF\n"
DOCUMENT = b"%PDF-1.7\n% an issued document\n%%EOF\n"


def test_0017_encrypts_existing_bid_content_and_files_and_back():
    scratch, store = scratch_app_with_store()
    sha, doc_sha = hashlib.sha256(FILE).hexdigest(), hashlib.sha256(DOCUMENT).hexdigest()
    plain, doc_plain = store / sha[:2] / sha[2:4] / sha, store / doc_sha[:2] / doc_sha[2:4] / doc_sha
    content = json.dumps({"answers": [{"text": ANSWER}], "attachments": [{"sha256": sha}], "total_price_pence": 4321})
    with scratch.app_context():
        upgrade(revision="0016")
        with db.engine.begin() as conn:
            _insert(conn, "competition", id=3, price_method="lowest", abnormally_low_percent=20)
            _insert(conn, "bid", id=5, competition_id=3, supplier_id=1, status="submitted")
            _insert(conn, "bid_answer", id=1, bid_id=5, criterion_id=11, text=ANSWER, passed=None)
            _insert(conn, "bid_price", id=1, bid_id=5, line_id=21, unit_price_pence=4321)
            _insert(conn, "bid_submission", id=1, bid_id=5, version=1, content_json=content,
                    content_sha256="c" * 64, total_price_pence=4321)  # fmt: skip
            for digest, data in ((sha, FILE), (doc_sha, DOCUMENT)):
                _insert(conn, "stored_file", sha256=digest, size_bytes=len(data), media_type="application/pdf")
            _insert(conn, "bid_attachment", id=1, bid_id=5, file_sha256=sha, filename="plan.pdf", criterion_id=None)
            _insert(conn, "bid_attachment", id=2, bid_id=5, file_sha256=doc_sha, filename="d.pdf", criterion_id=None)
            _insert(conn, "document", id=1, file_sha256=doc_sha, subject_type="competition",
                    kind="evaluation_report", version=1)  # fmt: skip
        for path, data in ((plain, FILE), (doc_plain, DOCUMENT)):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

        upgrade(revision="0017")
        columns = {t: {c["name"] for c in inspect(db.engine).get_columns(t)} for t in ("bid_answer", "bid_price")}
        assert "text" not in columns["bid_answer"] and "unit_price_pence" not in columns["bid_price"]
        raw = (store.parent / "m.sqlite3").read_bytes()
        assert ANSWER.encode() not in raw and b"4321" not in raw and b"migrated canary" not in raw
        assert not plain.exists()  # only a bid's: gone from the plain store
        assert doc_plain.read_bytes() == DOCUMENT  # an issued document's copy stays where documents read it
        sealed = store / "sealed" / "3" / sha[:2] / sha[2:4] / sha
        assert sealed.is_file() and b"migrated canary" not in sealed.read_bytes()
        # The application reads what the migration wrote.
        bid = db.session.get_one(Bid, 5)
        assert crypto.answer_text(bid, db.session.get_one(BidAnswer, 1)) == ANSWER
        assert crypto.unit_price(bid, db.session.get_one(BidPrice, 1)) == 4321
        submission = db.session.get_one(BidSubmission, 1)
        assert crypto.submission_content(bid, submission)["answers"][0]["text"] == ANSWER
        assert crypto.submission_total(bid, submission) == 4321
        assert crypto.open_bytes(3, sealed.read_bytes(), crypto.file_aad(3, sha)) == FILE
        db.session.remove()

        downgrade(revision="0016")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT text FROM bid_answer")).scalar_one() == ANSWER
            assert conn.execute(text("SELECT unit_price_pence FROM bid_price")).scalar_one() == 4321
            row = conn.execute(text("SELECT content_json, total_price_pence FROM bid_submission")).one()
            assert (row[0], row[1]) == (content, 4321)
        assert "competition_data_key" not in inspect(db.engine).get_table_names()
        assert plain.read_bytes() == FILE and not sealed.exists()
        db.engine.dispose()


def scratch_app_with_store() -> tuple[Flask, Path]:
    """An app on an empty SQLite file with its own file store, keyed by the tests' seal master key: where a
    migration that rewrites stored files (0017, 0018) is run up and down."""
    root = Path(tempfile.mkdtemp(prefix="portal-migrate-"))
    store = root / "files"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{root / 'm.sqlite3'}",
            "SEAL_MASTER_KEY": TEST_SEAL_MASTER_KEY,
            "FILE_STORE_PATH": str(store),
        }
    )
    return app, store
