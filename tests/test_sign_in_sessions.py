"""Sessions live on the server: the cookie names a revocable session, never the user, so signing out, a password
change, deactivation, a change of role and "sign out everywhere" end it for every copy of the cookie, and idle and
absolute time-outs apply."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from portal.config import load_config
from portal.extensions import db
from portal.models import AuditEvent, UserSession
from portal.services.people import accounts, users
from tests.conftest import TEST_PASSWORD
from tests.factories import make_user

COOKIE = "session"


def _signed_in_client(app, email: str):
    client = app.test_client()
    assert client.post("/sign-in", data={"email": email, "password": TEST_PASSWORD}).status_code == 302
    return client


def _replay(app, client):
    """A second browser holding a copy of the first one's session cookie."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return thief


def _is_signed_in(client) -> bool:
    return client.get("/dashboard").status_code == 200


def test_a_cookie_copied_before_sign_out_is_refused_after_it(app):
    make_user("buyer", email="b@example.test")
    db.session.commit()
    client = _signed_in_client(app, "b@example.test")
    copy = _replay(app, client)
    assert _is_signed_in(copy)  # the copy works while the session lasts
    assert client.post("/sign-out").status_code == 302
    assert not _is_signed_in(copy)
    response = copy.get("/dashboard")
    assert "/sign-in" in response.headers["Location"]
    row = db.session.scalar(select(UserSession))
    assert row.revoked_at is not None and row.revoked_reason == "signed-out"


def test_the_cookie_holds_a_random_session_id_not_the_user(app):
    user = make_user("buyer", email="b@example.test")
    db.session.commit()
    client = _signed_in_client(app, "b@example.test")
    with client.session_transaction() as flask_session:
        held = flask_session["_user_id"]
    row = db.session.get(UserSession, held)
    assert row is not None and row.user_id == user.id
    assert str(user.id) not in held.split(":") and len(held) >= 40


def test_sign_out_everywhere_ends_every_session_of_the_user(app):
    user = make_user("supplier", email="s@example.test")
    other = make_user("supplier", email="other@example.test")
    db.session.commit()
    laptop = _signed_in_client(app, "s@example.test")
    phone = _signed_in_client(app, "s@example.test")
    colleague = _signed_in_client(app, "other@example.test")
    page = laptop.get("/account").get_data(as_text=True)
    assert "Sign out everywhere" in page and "signed in 2 times" in page
    response = laptop.post("/account/sign-out-everywhere")
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")
    assert not _is_signed_in(laptop) and not _is_signed_in(phone)
    assert _is_signed_in(colleague)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "user.signed_out_everywhere"))
    assert user.id != other.id


def test_a_password_change_ends_every_session(app):
    user = make_user("buyer", email="b@example.test")
    db.session.commit()
    client = _signed_in_client(app, "b@example.test")
    accounts.set_password(user, "a brand new long passphrase", "reset")
    assert not _is_signed_in(client)


def test_deactivation_and_a_change_of_role_end_every_session(app):
    staff = make_user("staff", email="staff@example.test")
    buyer = make_user("buyer", email="b@example.test")
    evaluator = make_user("evaluator", email="e@example.test", organisation=buyer.buyer_organisation)
    db.session.commit()
    buyer_client = _signed_in_client(app, "b@example.test")
    evaluator_client = _signed_in_client(app, "e@example.test")
    users.set_active(staff, buyer, False)
    users.change_role(staff, evaluator, role="buyer", organisation_id=buyer.buyer_organisation_id)
    assert not _is_signed_in(buyer_client)
    assert not _is_signed_in(evaluator_client)


def test_an_idle_session_times_out(app, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 30)
    make_user("buyer", email="b@example.test")
    db.session.commit()
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        client = _signed_in_client(app, "b@example.test")
        clock.move_to(start + timedelta(minutes=29))
        assert _is_signed_in(client)  # activity at 29 minutes keeps it alive ...
        clock.move_to(start + timedelta(minutes=58))
        assert _is_signed_in(client)  # ... for another 30
        clock.move_to(start + timedelta(minutes=89))
        assert not _is_signed_in(client)
    assert db.session.scalar(select(UserSession)).revoked_reason == "idle"


def test_a_busy_session_still_ends_at_the_absolute_time_out(app, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 30)
    monkeypatch.setitem(app.config, "SESSION_ABSOLUTE_HOURS", 8)
    make_user("buyer", email="b@example.test")
    db.session.commit()
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        client = _signed_in_client(app, "b@example.test")
        for minutes in range(20, 8 * 60, 20):
            clock.move_to(start + timedelta(minutes=minutes))
            assert _is_signed_in(client), minutes
        clock.move_to(start + timedelta(hours=8))
        assert not _is_signed_in(client)
    assert db.session.scalar(select(UserSession)).revoked_reason == "expired"


def test_session_time_outs_are_configured_from_the_environment(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "15")
    monkeypatch.setenv("SESSION_ABSOLUTE_HOURS", "4")
    config = load_config()
    assert config["SESSION_IDLE_MINUTES"] == 15 and config["SESSION_ABSOLUTE_HOURS"] == 4
    assert config["PERMANENT_SESSION_LIFETIME"] == 4 * 3600


def test_production_session_cookie_has_the_host_prefix_and_is_secure(monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 64)
    monkeypatch.setenv("AUDIT_KEY", "a" * 64)
    monkeypatch.setenv("SEAL_MASTER_KEY", "5" * 64)  # production needs it too (test_bid_encryption.py)
    monkeypatch.setenv("BASE_URL", "https://portal.example.org")
    config = load_config()
    assert config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert config["SESSION_COOKIE_SECURE"] and config["SESSION_COOKIE_HTTPONLY"]
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_the_production_cookie_is_sent_with_the_attributes_the_prefix_demands(app, monkeypatch):
    make_user("buyer", email="b@example.test")
    db.session.commit()
    monkeypatch.setitem(app.config, "SESSION_COOKIE_NAME", "__Host-session")
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    client = app.test_client()
    response = client.post(
        "/sign-in", data={"email": "b@example.test", "password": TEST_PASSWORD}, base_url="https://localhost"
    )
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("__Host-session="))
    attributes = {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}
    assert {"secure", "httponly", "path", "samesite"} <= attributes
    assert "domain" not in attributes and "Path=/" in header


def test_users_compare_as_accounts_not_by_their_session(app):
    first, second = make_user("buyer"), make_user("buyer")
    db.session.commit()
    assert first != second and first == db.session.get(type(first), first.id)
    assert len({first, second, first}) == 2
