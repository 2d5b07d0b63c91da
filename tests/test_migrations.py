"""Migrations build exactly the schema the models describe, on the test database's engine."""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from portal import create_app
from portal.extensions import db
from portal.models.search import ENGINE_SPECIFIC_SEARCH_OBJECTS


def _include(obj, name, type_, reflected, compare_to):
    return name not in ENGINE_SPECIFIC_SEARCH_OBJECTS and name != "alembic_version"


def test_upgrade_head_matches_the_models(app):
    # The session's database was built by `upgrade head` on an empty schema (tests/conftest.py).
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _include, "compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_full_text_search_structures_exist(app):
    inspector = inspect(db.engine)
    if db.engine.dialect.name == "postgresql":
        columns = {c["name"] for c in inspector.get_columns("supplier_search_document")}
        assert "search_vector" in columns
        indexes = {i["name"] for i in inspector.get_indexes("supplier_search_document")}
        assert "ix_supplier_search_document_search_vector" in indexes
    else:
        assert "supplier_search_fts" in inspector.get_table_names()


def test_downgrade_to_base_and_up_again():
    path = Path(tempfile.mkdtemp(prefix="portal-migrate-")) / "m.sqlite3"
    scratch = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with scratch.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "supplier" in inspect(db.engine).get_table_names()
        db.engine.dispose()
