"""Migration 0018 moves the bid receipts already issued into the sealed store, encrypted under their competition's
data key; the register reads them from there; downgrading puts them back in the plain store."""

from __future__ import annotations

import hashlib

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from portal.extensions import db
from portal.models import Document
from portal.services.documents import register
from tests.test_migration_0004 import _insert
from tests.test_migration_0017 import scratch_app_with_store

RECEIPT = b"%PDF-1.7\n% a receipt listing prices 7c21\n%%EOF\n"
REPORT = b"%PDF-1.7\n% an evaluation report\n%%EOF\n"


def test_0018_seals_existing_receipts_and_back():
    scratch, store = scratch_app_with_store()
    receipt_sha, report_sha = hashlib.sha256(RECEIPT).hexdigest(), hashlib.sha256(REPORT).hexdigest()
    plain = {sha: store / sha[:2] / sha[2:4] / sha for sha in (receipt_sha, report_sha)}
    sealed = store / "sealed" / "3" / receipt_sha[:2] / receipt_sha[2:4] / receipt_sha
    with scratch.app_context():
        upgrade(revision="0016")
        with db.engine.begin() as conn:  # a bid of competition 3, so 0017 gives the competition its data key
            _insert(conn, "competition", id=3, price_method="lowest", abnormally_low_percent=20)
            _insert(conn, "bid", id=5, competition_id=3, supplier_id=1, status="submitted")
            _insert(conn, "bid_submission", id=7, bid_id=5, version=1, content_json='{"attachments": []}',
                    content_sha256="c" * 64, total_price_pence=4321)  # fmt: skip
        upgrade(revision="0017")
        with db.engine.begin() as conn:
            for sha, data in ((receipt_sha, RECEIPT), (report_sha, REPORT)):
                _insert(conn, "stored_file", sha256=sha, size_bytes=len(data), media_type="application/pdf")
            _insert(conn, "document", id=1, file_sha256=receipt_sha, subject_type="bid_submission", subject_id=7,
                    kind="bid_receipt", version=1, series_key="r")  # fmt: skip
            _insert(conn, "document", id=2, file_sha256=report_sha, subject_type="competition", subject_id=3,
                    kind="evaluation_report", version=1, series_key="e")  # fmt: skip
        for sha, data in ((receipt_sha, RECEIPT), (report_sha, REPORT)):
            plain[sha].parent.mkdir(parents=True, exist_ok=True)
            plain[sha].write_bytes(data)

        upgrade(revision="0018")
        assert not plain[receipt_sha].exists()  # the receipt is gone from the plain store
        assert sealed.is_file() and b"%PDF" not in sealed.read_bytes() and b"7c21" not in sealed.read_bytes()
        assert plain[report_sha].read_bytes() == REPORT  # other documents stay where they were
        receipt, report = db.session.get_one(Document, 1), db.session.get_one(Document, 2)
        assert (receipt.sealed_for_competition_id, report.sealed_for_competition_id) == (3, None)
        # The application reads what the migration wrote, and still recognises the receipt as one it issued.
        assert register.pdf_bytes(receipt) == RECEIPT and register.pdf_bytes(report) == REPORT
        assert register.check_file(RECEIPT).document == receipt
        db.session.remove()

        downgrade(revision="0017")
        assert "sealed_for_competition_id" not in {c["name"] for c in inspect(db.engine).get_columns("document")}
        assert plain[receipt_sha].read_bytes() == RECEIPT and not sealed.exists()
        assert plain[report_sha].read_bytes() == REPORT
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM document")).scalar_one() == 2
        db.engine.dispose()
