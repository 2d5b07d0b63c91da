"""Migration 0007 keeps existing organisations working: the legal name starts as the current name, and a free-text
region that names an ITL 1 region becomes its code."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from portal import create_app
from portal.extensions import db
from tests.test_migration_0004 import _insert


def test_0007_carries_names_and_regions_over_and_back():
    path = Path(tempfile.mkdtemp(prefix="portal-migrate-")) / "m.sqlite3"
    scratch = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with scratch.app_context():
        upgrade(revision="0006")
        with db.engine.begin() as conn:
            _insert(
                conn, "buyer_organisation", id=1, name="Surrey Police", organisation_type="police", region="South East"
            )
            _insert(conn, "buyer_organisation", id=2, name="BTP", organisation_type="police", region="Great Britain")
            _insert(conn, "buyer_organisation", id=3, name="Leeds", organisation_type="local_authority",
                    region=" yorkshire and the humber ")  # fmt: skip
            _insert(conn, "supplier", id=1, legal_name="Orlo Ltd", sme=True)
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT id, legal_name, itl_region, ppon FROM buyer_organisation ORDER BY id")
            ).all()
            supplier = conn.execute(text("SELECT legal_name, ppon, itl_region FROM supplier")).one()
        assert [tuple(r) for r in rows] == [
            (1, "Surrey Police", "TLJ", None),
            (2, "BTP", None, None),
            (3, "Leeds", "TLE", None),
        ]
        assert tuple(supplier) == ("Orlo Ltd", None, None)
        downgrade(revision="0006")
        with db.engine.connect() as conn:
            back = conn.execute(text("SELECT name, region FROM buyer_organisation ORDER BY id")).all()
        assert tuple(back[0]) == ("Surrey Police", "South East")
        assert "legal_name" not in {c["name"] for c in inspect(db.engine).get_columns("buyer_organisation")}
        db.engine.dispose()
