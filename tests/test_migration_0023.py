"""Migration 0023 registers every call-off already signed by both parties (a direct award's value from its frozen
shortlist, a competition's from its award notice, else empty), holds its constraints, and downgrades cleanly."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from portal import create_app
from portal.extensions import db
from tests.test_migration_0004 import _insert

AT = "2026-12-01 09:00:00"


def _document(conn, id_, subject_type, subject_id, *, signed: bool, supplier_id=7):
    _insert(conn, "stored_file", sha256=f"{id_:064d}", size_bytes=1, media_type="application/pdf")
    _insert(
        conn, "document", id=id_, kind="call_off_contract", series_key=f"call_off_contract:{subject_type}:{subject_id}",
        version=2 if signed else 1, subject_type=subject_type, subject_id=subject_id, reference="R", title="T",
        buyer_organisation_id=3, supplier_id=supplier_id, file_sha256=f"{id_:064d}", generated_at=AT,
        signed_from_id=id_ - 1 if signed else None, signed_at=AT if signed else None,
    )  # fmt: skip


def test_0023_registers_the_signed_call_offs_and_drops_cleanly():
    path = Path(tempfile.mkdtemp(prefix="portal-migrate-")) / "m.sqlite3"
    scratch = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with scratch.app_context():
        upgrade(revision="0022")
        with db.engine.begin() as conn:
            call_off = {"buyer_organisation_id": 3, "lot_id": 4, "term_months": 24, "planned_start_on": "2027-04-01"}
            competition = call_off | {"price_method": "lowest", "abnormally_low_percent": 20}
            _insert(conn, "competition", id=1, reference="MC-0001", title="Case system", **competition)
            _insert(conn, "competition", id=2, reference="MC-0002", title="Unsigned", **competition)
            _insert(conn, "competition", id=5, reference="MC-0005", title="Noticed", **competition)
            content = {"capable": [{"supplier": {"id": 7}, "total_pence": 1_234_500}]}
            _insert(
                conn, "shortlist", id=9, direct_award_id=1, content_json=json.dumps(content), content_sha256="b" * 64
            )
            _insert(
                conn, "direct_award", id=1, reference="DA-0001", title="Licences", recommended_shortlist_id=9,
                recommended_supplier_id=7, **call_off | {"planned_start_on": None},
            )  # fmt: skip
            release = {"awards": [{"value": {"amount": 50000.5, "currency": "GBP"}}]}
            _insert(conn, "transparency_notice", competition_id=5, direct_award_id=None, notice_type="UK6",
                    status="prepared", release_json=json.dumps(release))  # fmt: skip
            _document(conn, 10, "competition", 1, signed=False)
            _document(conn, 11, "competition", 1, signed=True)
            _document(conn, 20, "competition", 2, signed=False)
            _document(conn, 30, "direct_award", 1, signed=False)
            _document(conn, 31, "direct_award", 1, signed=True)
            _document(conn, 50, "competition", 5, signed=False)
            _document(conn, 51, "competition", 5, signed=True)
        upgrade(revision="0023")
        with db.engine.begin() as conn:
            rows = conn.execute(
                text(
                    "SELECT competition_id, direct_award_id, reference, supplier_id, lot_id, value_pence, vat_pence, "
                    "start_on, end_on, signed_document_id FROM call_off_contract ORDER BY signed_document_id"
                )
            ).all()
            assert [tuple(r) for r in rows] == [
                (1, None, "MC-0001", 7, 4, None, None, "2027-04-01", "2029-03-31", 11),
                (None, 1, "DA-0001", 7, 4, 1_234_500, 246_900, None, None, 31),
                (5, None, "MC-0005", 7, 4, 5_000_050, 1_000_010, "2027-04-01", "2029-03-31", 51),
            ]
        contract = {"reference": "X", "title": "X", "buyer_organisation_id": 3, "supplier_id": 7, "lot_id": 4,
                    "option_months": "[]", "signed_at": AT, "created_at": AT}  # fmt: skip
        with pytest.raises(IntegrityError), db.engine.begin() as conn:  # a second contract for one call-off
            _insert(conn, "call_off_contract", competition_id=1, signed_document_id=20, **contract)
        with pytest.raises(IntegrityError), db.engine.begin() as conn:  # a contract of no call-off
            _insert(conn, "call_off_contract", competition_id=None, signed_document_id=20, **contract)
        with pytest.raises(IntegrityError), db.engine.begin() as conn:  # a negative value
            _insert(conn, "call_off_contract", competition_id=2, signed_document_id=20, value_pence=-1, **contract)
        downgrade(revision="0022")
        assert "call_off_contract" not in set(inspect(db.engine).get_table_names())
        with db.engine.begin() as conn:
            assert conn.execute(text("SELECT count(*) FROM document WHERE signed_at IS NOT NULL")).scalar() == 3
        db.engine.dispose()
