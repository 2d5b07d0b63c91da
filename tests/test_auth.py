"""Sign-in, throttling, sign-out, password reset and invitation links."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, OutboxMessage, User
from portal.services.people import accounts
from tests.conftest import TEST_PASSWORD
from tests.factories import make_user


def test_sign_in_with_correct_password_reaches_dashboard(client, auth):
    user = make_user("staff", email="staff@example.test", name="Pat Staff")
    db.session.commit()
    response = auth.login("Staff@Example.test")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard")
    page = client.get("/dashboard")
    assert "Welcome, Pat Staff" in page.get_data(as_text=True)
    assert db.session.get(User, user.id).last_login_at is not None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "user.signed_in"))


def test_wrong_password_shows_error_summary_and_keeps_email(auth):
    make_user("staff", email="staff@example.test")
    db.session.commit()
    response = auth.login("staff@example.test", "wrong password here")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Enter a correct email address and password" in body
    assert 'value="staff@example.test"' in body
    assert "<title>Error: Sign in" in body


def test_empty_sign_in_form_is_a_clear_error_not_a_crash(client):
    response = client.post("/sign-in", data={})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter your email address" in body
    assert "Enter your password" in body


def test_account_locks_after_repeated_failures_and_says_no_more_than_a_wrong_password(app, auth):
    make_user("staff", email="lock@example.test")
    db.session.commit()
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        auth.login("lock@example.test", "not the password")
    response = auth.login("lock@example.test")
    body = response.get_data(as_text=True)
    assert response.status_code == 200  # the right password is refused while the account is locked
    assert "Enter a correct email address and password" in body
    assert "This account is locked" not in body


def test_inactive_user_cannot_sign_in(auth):
    make_user("staff", email="gone@example.test", active=False)
    db.session.commit()
    body = auth.login("gone@example.test").get_data(as_text=True)
    assert "Enter a correct email address and password" in body


def test_sign_out_needs_post_and_ends_session(client, auth):
    make_user("staff", email="s@example.test")
    db.session.commit()
    auth.login("s@example.test")
    assert client.get("/sign-out").status_code == 405
    assert client.post("/sign-out").status_code == 302
    assert client.get("/dashboard").status_code == 302


def test_open_redirect_after_sign_in_is_refused(client):
    make_user("staff", email="s@example.test")
    db.session.commit()
    response = client.post(
        "/sign-in?next=//evil.example/x", data={"email": "s@example.test", "password": TEST_PASSWORD}
    )
    assert response.headers["Location"].endswith("/dashboard")


def _link_from_outbox(path_part: str) -> str:
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    match = re.search(r"https?://[^\s]+" + path_part + r"[^\s]+", message.body)
    assert match, message.body
    return urlsplit(match.group(0)).path


def test_password_reset_link_sets_new_password_once(client, auth):
    make_user("buyer", email="b@example.test")
    db.session.commit()
    response = client.post("/forgot-password", data={"email": "b@example.test"})
    assert "Check your email" in response.get_data(as_text=True)
    link = _link_from_outbox("/reset-password/")
    new = "a much longer new passphrase"
    response = client.post(link, data={"password": new, "confirm": new})
    assert response.status_code == 302
    assert auth.login("b@example.test", new).status_code == 302
    again = client.post(link, data={"password": new, "confirm": new})
    assert "already been used" in again.get_data(as_text=True)


def test_reset_for_unknown_email_says_the_same_and_sends_nothing(client):
    response = client.post("/forgot-password", data={"email": "nobody@example.test"})
    assert "Check your email" in response.get_data(as_text=True)
    assert db.session.scalar(select(OutboxMessage)) is None


def test_short_password_is_refused_and_link_still_works(client):
    user = make_user("supplier", email="sup@example.test", password_hash=None)
    db.session.commit()
    accounts.send_invitation(user, None)
    db.session.commit()
    link = _link_from_outbox("/invitation/")
    response = client.post(link, data={"password": "short", "confirm": "short"})
    body = response.get_data(as_text=True)
    assert "Password must be 12 characters or more" in body
    assert client.get(link).status_code == 200


def test_tampered_link_is_refused(client):
    response = client.get("/reset-password/not-a-real-token")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


def test_security_headers_present(client):
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_forms_are_refused_without_a_csrf_token(app):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = app.test_client().post("/sign-in", data={"email": "a@example.test", "password": "x" * 12})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    import pytest

    from portal.config import ConfigurationError, load_config

    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError):
        load_config()


def test_production_cookies_are_secure(monkeypatch):
    from portal.config import load_config

    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 64)
    monkeypatch.setenv("AUDIT_KEY", "a" * 64)
    monkeypatch.setenv("SEAL_MASTER_KEY", "5" * 64)  # production needs it too (test_bid_encryption.py)
    monkeypatch.setenv("BASE_URL", "https://portal.example.org")
    config = load_config()
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    assert config["SESSION_COOKIE_HTTPONLY"] and config["SESSION_COOKIE_SAMESITE"] == "Lax"
