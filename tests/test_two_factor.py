"""Two-factor sign-in: an authenticator app (TOTP, RFC 6238) set up from a QR code drawn as inline SVG, ten
single-use recovery codes shown once and stored hashed, throttled codes, required for the roles in
MFA_REQUIRED_ROLES, optional for suppliers, and reset by framework staff with an audit event."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import time_machine
from sqlalchemy import select

from portal.config import load_config
from portal.extensions import db
from portal.models import AuditEvent, LoginAttempt, OutboxMessage, RecoveryCode, User
from portal.services.people import throttle
from tests.conftest import TEST_PASSWORD
from tests.factories import make_user

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch):
    monkeypatch.setattr(throttle, "pause", lambda seconds: None)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _text(response) -> str:
    return response.get_data(as_text=True)


def _key(page: str) -> str:
    match = re.search(r"<code>([A-Z2-7 ]+)</code>", page)
    assert match, page
    return match.group(1).replace(" ", "")


def _code(secret: str, at: datetime) -> str:
    return pyotp.TOTP(secret).at(at)


def _password(client, email: str):
    return client.post("/sign-in", data={"email": email, "password": TEST_PASSWORD})


def _enrol(client, at: datetime) -> tuple[str, list[str]]:
    """Set up two-factor sign-in from the account page; returns the secret and the recovery codes shown."""
    page = _text(client.get("/account/two-factor/set-up"))
    secret = _key(page)
    response = client.post("/account/two-factor/set-up", data={"code": _code(secret, at)})
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", _text(response))
    return secret, codes


@pytest.fixture
def supplier_with_mfa(app, client, clock):
    user = make_user("supplier", email="s@example.test")
    db.session.commit()
    _password(client, "s@example.test")
    secret, codes = _enrol(client, START)
    client.post("/sign-out")
    clock.move_to(START + timedelta(minutes=2))
    return user, secret, codes


def test_the_set_up_page_draws_the_qr_code_as_inline_svg(app, client):
    make_user("supplier", email="s@example.test")
    db.session.commit()
    _password(client, "s@example.test")
    page = _text(client.get("/account/two-factor/set-up"))
    assert re.search(r'<svg role="img"[^>]*class="app-qr-code"[^>]*><title>QR code', page)
    assert "<img" not in page and "style=" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "unsafe-inline" not in client.get("/account/two-factor/set-up").headers["Content-Security-Policy"]


def test_a_supplier_turns_it_on_and_gets_ten_recovery_codes_stored_only_as_hashes(app, client, clock):
    user = make_user("supplier", email="s@example.test")
    db.session.commit()
    _password(client, "s@example.test")
    secret = _key(_text(client.get("/account/two-factor/set-up")))
    wrong_code = "000000" if _code(secret, START) != "000000" else "111111"
    wrong = client.post("/account/two-factor/set-up", data={"code": wrong_code})
    assert "Enter the 6-digit code your authenticator app shows now" in _text(wrong)
    response = client.post("/account/two-factor/set-up", data={"code": _code(secret, START)})
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", _text(response))
    assert len(codes) == len(set(codes)) == 10
    assert "This is the only time these codes are shown" in _text(response)
    stored = db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10 and all(h.startswith("$argon2id$") for h in stored)
    assert not any(c.replace("-", "") in h for c in codes for h in stored)
    db.session.expire_all()
    assert secret not in (db.session.get(User, user.id).mfa_secret or "")  # encrypted at rest
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "user.mfa_enabled"))
    assert "Two-factor sign-in" in _text(client.get("/account")) and "10 unused recovery codes" in _text(
        client.get("/account")
    )


def test_with_it_on_a_password_alone_does_not_sign_in(app, client, supplier_with_mfa, clock):
    _, secret, _ = supplier_with_mfa
    response = _password(client, "s@example.test")
    assert response.headers["Location"].endswith("/sign-in/security-code")
    assert client.get("/dashboard").status_code == 302  # not signed in yet
    now = START + timedelta(minutes=2)
    response = client.post("/sign-in/security-code", data={"code": _code(secret, now)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard")
    assert client.get("/dashboard").status_code == 200
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.event_type == "user.signed_in")).all()[-1]
    assert "authenticator code" in event.summary


def test_a_code_is_accepted_once(app, supplier_with_mfa, clock):
    _, secret, _ = supplier_with_mfa
    code = _code(secret, START + timedelta(minutes=2))
    first, second = app.test_client(), app.test_client()
    _password(first, "s@example.test")
    assert first.post("/sign-in/security-code", data={"code": code}).status_code == 302
    _password(second, "s@example.test")
    again = second.post("/sign-in/security-code", data={"code": code})
    assert again.status_code == 200 and "Enter a correct security code" in _text(again)


def test_a_recovery_code_signs_in_once(app, supplier_with_mfa):
    _, _, codes = supplier_with_mfa
    first, second = app.test_client(), app.test_client()
    _password(first, "s@example.test")
    response = first.post("/sign-in/security-code", data={"code": codes[3].upper().replace("-", " ")})
    assert response.status_code == 302
    assert "You have 9 left" in _text(first.get("/dashboard"))
    _password(second, "s@example.test")
    assert "Enter a correct security code" in _text(second.post("/sign-in/security-code", data={"code": codes[3]}))
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "user.recovery_code_used"))


def test_wrong_codes_are_throttled_and_lock_the_account(app, client, supplier_with_mfa):
    user, _, _ = supplier_with_mfa
    _password(client, "s@example.test")
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for attempt in range(limit):
        response = client.post("/sign-in/security-code", data={"code": f"{attempt:06d}"})
    assert response.headers["Location"].endswith("/sign-in")  # the half-done sign-in is over
    db.session.expire_all()
    assert db.session.get(User, user.id).locked_until is not None
    kinds = db.session.scalars(select(LoginAttempt.kind).where(LoginAttempt.succeeded.is_(False))).all()
    assert kinds.count("code") == limit  # they slow the address down like wrong passwords
    _password(client, "s@example.test")  # the right password is refused while locked
    assert client.get("/sign-in/security-code").headers["Location"].endswith("/sign-in")


def test_a_half_done_sign_in_expires(app, client, supplier_with_mfa, clock):
    _, secret, _ = supplier_with_mfa
    _password(client, "s@example.test")
    later = START + timedelta(minutes=2 + app.config["MFA_PENDING_MINUTES"] + 1)
    clock.move_to(later)
    response = client.post("/sign-in/security-code", data={"code": _code(secret, later)})
    assert response.headers["Location"].endswith("/sign-in")
    assert client.get("/dashboard").status_code == 302


def test_a_required_role_sets_it_up_before_signing_in(app, client, clock, monkeypatch):
    monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", frozenset({"buyer"}))
    make_user("buyer", email="b@example.test")
    db.session.commit()
    response = _password(client, "b@example.test")
    assert response.headers["Location"].endswith("/sign-in/set-up-authenticator")
    assert client.get("/dashboard").status_code == 302
    page = _text(client.get("/sign-in/set-up-authenticator"))
    assert "Your role must sign in with a password and a code" in page
    response = client.post("/sign-in/set-up-authenticator", data={"code": _code(_key(page), START)})
    assert "Save your recovery codes" in _text(response)
    assert client.get("/dashboard").status_code == 200
    account = _text(client.get("/account"))
    assert "cannot be turned off" in account and "Turn off two-factor sign-in" not in account
    assert client.get("/account/two-factor/turn-off").status_code == 302


def test_a_supplier_may_turn_it_off_after_proving_a_code(app, client, supplier_with_mfa, clock):
    user, secret, codes = supplier_with_mfa
    now = START + timedelta(minutes=2)
    _password(client, "s@example.test")
    client.post("/sign-in/security-code", data={"code": _code(secret, now)})
    assert "Enter a correct security code" in _text(client.post("/account/two-factor/turn-off", data={"code": "x"}))
    response = client.post("/account/two-factor/turn-off", data={"code": codes[0]})
    assert response.status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, user.id).mfa_enabled
    assert db.session.scalar(select(RecoveryCode)) is None


def test_moving_to_a_new_app_needs_a_code_from_the_old_one(app, client, supplier_with_mfa, clock):
    _, old_secret, _ = supplier_with_mfa
    now = START + timedelta(minutes=2)
    _password(client, "s@example.test")
    client.post("/sign-in/security-code", data={"code": _code(old_secret, now)})
    clock.move_to(now + timedelta(minutes=1))
    now = now + timedelta(minutes=1)
    new_secret = _key(_text(client.get("/account/two-factor/set-up")))
    refused = client.post("/account/two-factor/set-up", data={"code": _code(new_secret, now)})
    assert "Enter a correct security code" in _text(refused)
    moved = client.post(
        "/account/two-factor/set-up", data={"code": _code(new_secret, now), "current_code": _code(old_secret, now)}
    )
    assert "Save your recovery codes" in _text(moved)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "user.mfa_replaced"))


def test_new_recovery_codes_replace_the_old_ones(app, client, supplier_with_mfa, clock):
    _, secret, codes = supplier_with_mfa
    now = START + timedelta(minutes=2)
    _password(client, "s@example.test")
    client.post("/sign-in/security-code", data={"code": _code(secret, now)})
    response = client.post("/account/two-factor/recovery-codes", data={"code": codes[0]})
    fresh = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", _text(response))
    assert len(fresh) == 10 and not set(fresh) & set(codes)
    other = app.test_client()
    _password(other, "s@example.test")
    assert "Enter a correct security code" in _text(other.post("/sign-in/security-code", data={"code": codes[1]}))


def test_staff_reset_a_users_second_factor_with_an_audit_event(app, supplier_with_mfa, clock):
    user, secret, _ = supplier_with_mfa
    make_user("staff", email="staff@example.test", name="Sam Staff")
    db.session.commit()
    users_browser = app.test_client()
    _password(users_browser, "s@example.test")
    users_browser.post("/sign-in/security-code", data={"code": _code(secret, START + timedelta(minutes=2))})
    staff = app.test_client()
    _password(staff, "staff@example.test")
    assert "Reset" in _text(staff.get(f"/admin/users/{user.id}"))
    page = _text(staff.get(f"/admin/users/{user.id}/reset-two-factor"))
    assert "Reset " in page and "two-factor sign-in?" in page
    assert staff.post(f"/admin/users/{user.id}/reset-two-factor").status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, user.id).mfa_enabled
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "user.mfa_reset"))
    assert event.object_id == str(user.id) and event.summary.endswith("s@example.test")
    assert event.actor_id != user.id
    assert users_browser.get("/dashboard").status_code == 302  # their sessions ended
    notice = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == "s@example.test")).all()[-1]
    assert "Sam Staff" in notice.body and "reset your two-factor sign-in" in notice.body
    assert _password(app.test_client(), "s@example.test").headers["Location"].endswith("/dashboard")


def test_only_staff_reset_and_never_their_own(app, client):
    staff = make_user("staff", email="staff@example.test")
    supplier = make_user("supplier", email="s@example.test")
    db.session.commit()
    _password(client, "s@example.test")
    assert client.get(f"/admin/users/{staff.id}/reset-two-factor").status_code == 403
    client.post("/sign-out")
    _password(client, "staff@example.test")
    assert "Reset" not in _text(client.get(f"/admin/users/{staff.id}")).split("Two-factor sign-in", 1)[1][:300]
    response = client.post(f"/admin/users/{supplier.id}/reset-two-factor")
    assert response.status_code == 200 and "has not set up two-factor sign-in" in _text(response)


def test_mfa_is_required_of_buyers_and_staff_in_production_and_of_nobody_in_development(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k" * 64)
    monkeypatch.delenv("MFA_REQUIRED_ROLES", raising=False)
    assert load_config()["MFA_REQUIRED_ROLES"] == frozenset()
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("AUDIT_KEY", "a" * 64)
    monkeypatch.setenv("SEAL_MASTER_KEY", "5" * 64)  # production needs it too (test_bid_encryption.py)
    monkeypatch.setenv("BASE_URL", "https://portal.example.org")
    assert load_config()["MFA_REQUIRED_ROLES"] == {"staff", "buyer", "approver", "evaluator"}
    monkeypatch.setenv("MFA_REQUIRED_ROLES", "staff, supplier")
    assert load_config()["MFA_REQUIRED_ROLES"] == {"staff", "supplier"}
