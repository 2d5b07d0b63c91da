"""Shared fixtures: the app on SQLite or PostgreSQL (TEST_DATABASE_URL), a clean database per test,
clients and a sign-in helper that uses the real sign-in route."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from flask import g
from sqlalchemy import event, text

from portal import create_app
from portal.config import _database_url
from portal.extensions import db as _db

TEST_PASSWORD = "correct-horse-battery-staple"
TEST_SEAL_MASTER_KEY = "7e" * 32


def _test_database_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return _database_url(url)
    path = Path(tempfile.mkdtemp(prefix="portal-test-")) / "test.sqlite3"
    return f"sqlite:///{path}"


def _reset_schema(app) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        if _db.engine.dialect.name == "postgresql":
            with _db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()


@pytest.fixture(scope="session")
def app():
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": _test_database_url(),
            "WTF_CSRF_ENABLED": False,
            "MAIL_SERVER": "",
            "PASSWORD_HASH_FAST": True,
            # Uploaded files and issued PDFs go to a throwaway store, never the checkout's instance/.
            "FILE_STORE_PATH": tempfile.mkdtemp(prefix="portal-test-files-"),
            "REDIS_URL": "",
            # A fixed master key for bid content at rest, so every test run wraps data keys alike.
            "SEAL_MASTER_KEY": TEST_SEAL_MASTER_KEY,
        }
    )
    with app.app_context():
        if _db.engine.dialect.name == "sqlite":
            # Durability is irrelevant for a throwaway test database; fsync per commit is not.
            @event.listens_for(_db.engine, "connect")
            def _fast_sqlite(dbapi_connection, _record):
                dbapi_connection.execute("PRAGMA synchronous = OFF")

            _db.engine.dispose()
    _reset_schema(app)

    # Tests keep an app context pushed, so requests reuse it and its `g`; Flask-Login caches the
    # signed-in user there. Clear it per request so each client is judged by its own session.
    def _forget_cached_user():
        g.pop("_login_user", None)

    app.before_request_funcs.setdefault(None, []).insert(0, _forget_cached_user)
    return app


def _table_names() -> list[str]:
    return [t.name for t in reversed(_db.metadata.sorted_tables)]


@pytest.fixture(autouse=True)
def db(app):
    """A clean database for every test: rows are removed afterwards (schema kept)."""
    ctx = app.app_context()
    ctx.push()
    yield _db
    _db.session.rollback()
    _db.session.remove()
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in _table_names()) + " RESTART IDENTITY CASCADE"))
        else:
            for name in _table_names():
                conn.execute(text(f'DELETE FROM "{name}"'))
    ctx.pop()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = TEST_PASSWORD):
        return self._client.post("/sign-in", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/sign-out")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def is_postgres(app) -> bool:
    return _db.engine.dialect.name == "postgresql"
