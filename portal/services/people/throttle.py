"""Throttling sign-in and forgot-password requests without letting anyone lock other people out.

An address with many recent failures is slowed down (its attempts are held a few seconds before they are checked),
never refused, so an attacker sharing an address with real users, or flooding from one, cannot stop them signing in
with a correct password. Accounts lock only on their own failures (portal/services/people/accounts.py).
Forgot-password requests are limited per account and per address; over the limit, nothing is sent and the page says
the same as ever.
"""

from __future__ import annotations

import time
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from portal.domain.sign_in import address_delay_seconds
from portal.extensions import db
from portal.models import LoginAttempt
from portal.models.base import utcnow

SIGN_IN_KINDS = ("password", "code")
RESET_WINDOW = timedelta(hours=1)
_ADDRESS_LENGTH = 64


def clean_address(address: str | None) -> str:
    return (address or "unknown")[:_ADDRESS_LENGTH]


def record(kind: str, email: str, address: str, succeeded: bool = False) -> None:
    """Note an attempt in the caller's transaction."""
    db.session.add(LoginAttempt(kind=kind, email=email[:254], address=clean_address(address), succeeded=succeeded))


def _window() -> timedelta:
    return timedelta(minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"])


def recent_failures_from(address: str) -> int:
    return db.session.execute(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.address == clean_address(address),
            LoginAttempt.kind.in_(SIGN_IN_KINDS),
            LoginAttempt.attempted_at >= utcnow() - _window(),
            LoginAttempt.succeeded.is_(False),
        )
    ).scalar_one()


def pause(seconds: float) -> None:
    """Hold the request (tests replace this to count the delay instead of waiting)."""
    time.sleep(seconds)


def slow_down(address: str) -> float:
    """Hold an attempt from an address with many recent failures; returns the delay applied."""
    config = current_app.config
    delay = address_delay_seconds(
        recent_failures_from(address),
        config["LOGIN_MAX_FAILURES_PER_ADDRESS"],
        config["LOGIN_ADDRESS_DELAY_MAX_SECONDS"],
    )
    # End the read transaction first: a held SQLite read lock would stall every writer for the delay.
    db.session.commit()
    if delay:
        pause(delay)
    return delay


def reset_allowed(email: str, address: str) -> bool:
    """Record a forgot-password request and say whether it is within both hourly limits; the caller commits."""
    config = current_app.config
    since = utcnow() - RESET_WINDOW
    recent = select(func.count(LoginAttempt.id)).where(LoginAttempt.kind == "reset", LoginAttempt.attempted_at >= since)
    by_account = db.session.execute(recent.where(LoginAttempt.email == email)).scalar_one()
    by_address = db.session.execute(recent.where(LoginAttempt.address == clean_address(address))).scalar_one()
    record("reset", email, address)
    return (
        by_account < config["PASSWORD_RESET_MAX_PER_ACCOUNT"] and by_address < config["PASSWORD_RESET_MAX_PER_ADDRESS"]
    )
