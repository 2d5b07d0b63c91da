"""Nobody can stop other people signing in: failures from one address slow that address down but never refuse a
correct password for an account that is not itself locked; an account locks only on its own failures, and its lock
does not extend itself; the client's address is read through ProxyFix, believing only the configured proxies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from portal import create_app
from portal.domain.sign_in import address_delay_seconds
from portal.extensions import db
from portal.models import LoginAttempt, User
from portal.services.people import throttle
from tests.conftest import TEST_PASSWORD
from tests.factories import make_user


@pytest.fixture
def pauses(monkeypatch) -> list[float]:
    """The delays the throttle asked for, recorded instead of slept."""
    held: list[float] = []
    monkeypatch.setattr(throttle, "pause", held.append)
    return held


def _login(client, email: str, password: str = TEST_PASSWORD, address: str = "203.0.113.9"):
    return client.post("/sign-in", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address})


def test_a_flood_of_failures_from_one_address_never_refuses_a_correct_password(app, client, pauses):
    make_user("buyer", email="victim@example.test")
    db.session.commit()
    for n in range(app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] + 5):
        _login(app.test_client(), f"nobody{n}@example.test", "whatever whatever")
    response = _login(client, "victim@example.test")
    assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard")
    assert pauses and pauses[-1] > 0  # the address was slowed down, not refused


@pytest.mark.parametrize(("failures", "delay"), [(0, 0.0), (19, 0.0), (20, 1.0), (21, 2.0), (24, 5.0), (500, 5.0)])
def test_an_address_is_slowed_a_second_more_per_failure_past_its_limit_up_to_a_cap(failures, delay):
    assert address_delay_seconds(failures, threshold=20, cap_seconds=5) == delay


def test_an_address_below_its_limit_is_not_slowed(app, client, pauses):
    make_user("buyer", email="b@example.test")
    db.session.commit()
    _login(client, "b@example.test", "wrong password here")
    assert _login(client, "b@example.test").status_code == 302
    assert pauses == []


def test_failures_from_another_address_do_not_slow_this_one(app, pauses):
    make_user("buyer", email="b@example.test")
    db.session.commit()
    for n in range(app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] + 3):
        _login(app.test_client(), f"nobody{n}@example.test", "whatever whatever", address="198.51.100.7")
    pauses.clear()
    assert _login(app.test_client(), "b@example.test", address="192.0.2.44").status_code == 302
    assert pauses == []


def test_an_accounts_lock_does_not_extend_itself_while_locked(app, client, pauses):
    user = make_user("buyer", email="b@example.test")
    db.session.commit()
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    limit, minutes = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"], app.config["LOGIN_LOCKOUT_MINUTES"]
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(limit):
            _login(client, "b@example.test", "not the password")
        locked_until = db.session.get(User, user.id).locked_until
        assert locked_until == start + timedelta(minutes=minutes)
        clock.move_to(start + timedelta(minutes=minutes - 1))
        for _ in range(limit * 3):  # an attacker keeps hammering the locked account
            _login(client, "b@example.test", "not the password")
        db.session.expire_all()
        assert db.session.get(User, user.id).locked_until == locked_until
        clock.move_to(locked_until + timedelta(seconds=1))
        assert _login(client, "b@example.test").status_code == 302


def test_a_locked_account_does_not_lock_its_colleagues(app, pauses):
    make_user("buyer", email="target@example.test")
    make_user("buyer", email="colleague@example.test")
    db.session.commit()
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] * 2):
        _login(app.test_client(), "target@example.test", "not the password")
    assert _login(app.test_client(), "colleague@example.test").status_code == 302


def _proxy_app(count: int):
    from tests.conftest import _test_database_url

    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": _test_database_url(),
            "TRUSTED_PROXY_COUNT": count,
        }
    )


@pytest.mark.parametrize(
    ("count", "seen"),
    [
        (0, "10.0.0.2"),  # no trusted proxy: the header is ignored, the TCP peer is the client
        (1, "192.0.2.10"),  # one proxy: the address it appended, never the one the client wrote
        (2, "198.51.100.1"),
    ],
)
def test_the_client_address_comes_through_the_trusted_proxies_only(count, seen):
    proxied = _proxy_app(count)
    captured = {}

    @proxied.get("/__address")
    def address():
        from portal.auth.pending import client_address

        captured["address"] = client_address()
        return ""

    address.access_rule = "public"
    headers = {"X-Forwarded-For": "6.6.6.6, 198.51.100.1, 192.0.2.10"}
    proxied.test_client().get("/__address", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert captured["address"] == seen


def test_sign_in_attempts_are_recorded_with_the_proxied_address(app, client, monkeypatch):
    make_user("buyer", email="b@example.test")
    db.session.commit()
    _login(client, "b@example.test", "wrong password here", address="192.0.2.77")
    attempt = db.session.scalar(select(LoginAttempt))
    assert attempt.address == "192.0.2.77" and attempt.kind == "password" and not attempt.succeeded
