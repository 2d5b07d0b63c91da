"""Sign-in, throttling, invitations and password resets."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from portal.domain.passwords import password_problem
from portal.extensions import db
from portal.models import LoginAttempt, User
from portal.models.base import utcnow
from portal.services import audit, mail
from portal.services.errors import ValidationError

_STRONG = PasswordHasher()  # argon2id with the library's recommended (RFC 9106 low-memory) parameters
# Tests only: hashing dominates a suite that signs in hundreds of times. Each hash records its own
# parameters, so verification works whichever hasher made it.
_FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
# A fixed hash to verify against when the account does not exist, so timing does not reveal it.
_DUMMY_HASH = _STRONG.hash("no-such-account-placeholder")


def _hasher() -> PasswordHasher:
    return _FAST if current_app.config.get("PASSWORD_HASH_FAST") else _STRONG


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_password(user: User, password: str) -> bool:
    if not user.password_hash:
        return False
    try:
        return _hasher().verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


class SignInRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


GENERIC_FAILURE = "Enter a correct email address and password"


@dataclass
class Throttle:
    per_account: int
    per_address: int
    minutes: int


def _throttle() -> Throttle:
    c = current_app.config
    return Throttle(
        c["LOGIN_MAX_FAILURES_PER_ACCOUNT"], c["LOGIN_MAX_FAILURES_PER_ADDRESS"], c["LOGIN_LOCKOUT_MINUTES"]
    )


def _recent_failures_from(address: str, since: datetime) -> int:
    return db.session.execute(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.address == address,
            LoginAttempt.attempted_at >= since,
            LoginAttempt.succeeded.is_(False),
        )
    ).scalar_one()


def authenticate(email: str, password: str, address: str) -> User:
    """Return the user if the credentials are right and nothing blocks them; else SignInRefused."""
    email = email.strip().lower()
    limits = _throttle()
    now = utcnow()
    window_start = now - timedelta(minutes=limits.minutes)
    if _recent_failures_from(address, window_start) >= limits.per_address:
        db.session.add(LoginAttempt(email=email, address=address, succeeded=False))
        db.session.commit()
        raise SignInRefused(
            f"Too many failed sign-in attempts from your network. Try again in {limits.minutes} minutes."
        )
    user = db.session.scalar(select(User).where(User.email == email))
    if user is not None and user.locked_until is not None and user.locked_until > now:
        db.session.add(LoginAttempt(email=email, address=address, succeeded=False))
        db.session.commit()
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        raise SignInRefused(
            "This account is locked after too many failed sign-in attempts. "
            f"Try again in {minutes} minutes, or reset your password."
        )
    ok = check_password(user, password) if user is not None else _dummy_verify(password)
    if not ok or user is None or not user.active:
        db.session.add(LoginAttempt(email=email, address=address, succeeded=False))
        if user is not None and not ok:
            user.failed_login_count += 1
            if user.failed_login_count >= limits.per_account:
                user.locked_until = now + timedelta(minutes=limits.minutes)
                user.failed_login_count = 0
                audit.record(None, "user.locked", "user", user.id, summary=f"{user.email} locked after failures")
        db.session.commit()
        raise SignInRefused(GENERIC_FAILURE)
    user.failed_login_count = 0
    user.locked_until = None
    user.last_login_at = now
    db.session.add(LoginAttempt(email=email, address=address, succeeded=True))
    audit.record(user, "user.signed_in", "user", user.id, summary=f"{user.email} signed in")
    db.session.commit()
    return user


def _dummy_verify(password: str) -> bool:
    with contextlib.suppress(VerifyMismatchError, VerificationError, InvalidHashError):
        _hasher().verify(_DUMMY_HASH, password)
    return False


def record_sign_out(user: User) -> None:
    audit.record(user, "user.signed_out", "user", user.id, summary=f"{user.email} signed out")
    db.session.commit()


# --- signed links -------------------------------------------------------------------------

_SALTS = {"invite": "portal-invitation", "reset": "portal-password-reset"}


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALTS[purpose])


def make_token(user: User, purpose: str) -> str:
    # The session version makes a link single-use: setting a password bumps it.
    return _serializer(purpose).dumps({"u": user.id, "v": user.session_version})


def _max_age(purpose: str) -> int:
    c = current_app.config
    if purpose == "invite":
        return c["INVITATION_VALID_DAYS"] * 86400
    return c["PASSWORD_RESET_VALID_MINUTES"] * 60


class LinkProblem(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def user_for_token(token: str, purpose: str) -> User:
    try:
        data = _serializer(purpose).loads(token, max_age=_max_age(purpose))
    except SignatureExpired as exc:
        raise LinkProblem("This link has expired. Ask for a new one.") from exc
    except BadSignature as exc:
        raise LinkProblem("This link is not valid. Check you copied the whole link from the email.") from exc
    user = db.session.get(User, data.get("u"))
    if user is None or user.session_version != data.get("v") or not user.active:
        raise LinkProblem("This link has already been used or is no longer valid. Ask for a new one.")
    return user


def set_password(user: User, password: str, purpose: str) -> None:
    problem = password_problem(password, user.email)
    if problem:
        raise ValidationError(problem, field="password")
    had_password = user.has_password
    user.password_hash = hash_password(password)
    user.session_version += 1
    user.failed_login_count = 0
    user.locked_until = None
    event = "user.password_reset" if had_password else "user.password_set"
    audit.record(user, event, "user", user.id, summary=f"{user.email} set a password via {purpose} link")
    db.session.commit()


def send_invitation(user: User, invited_by: User | None) -> None:
    token = make_token(user, "invite")
    days = current_app.config["INVITATION_VALID_DAYS"]
    inviter = invited_by.name if invited_by else "The framework team"
    service = current_app.config["SERVICE_NAME"]
    link = mail.link_for("auth.accept_invitation", token=token)
    mail.send(
        user.email,
        f"You have been invited to the {service}",
        f"Dear {user.name},\n\n{inviter} has invited you to the {service} as {user.role_enum.label.lower()}"
        f" for {user.party_name}.\n\nSet your password to sign in:\n{link}\n\n"
        f"This link works once and expires in {days} days.\n",
    )


def request_password_reset(email: str) -> None:
    """Send a reset link if the account exists; say nothing either way to the requester."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active:
        return
    send_reset_link(user, actor=None)


def send_reset_link(user: User, actor: User | None) -> None:
    token = make_token(user, "reset")
    minutes = current_app.config["PASSWORD_RESET_VALID_MINUTES"]
    link = mail.link_for("auth.reset_password", token=token)
    mail.send(
        user.email,
        f"Reset your {current_app.config['SERVICE_NAME']} password",
        f"Dear {user.name},\n\nUse this link to choose a new password:\n{link}\n\n"
        f"It works once and expires in {minutes} minutes. If you did not ask for this, you can ignore it.\n",
    )
    audit.record(actor, "user.reset_link_sent", "user", user.id, summary=f"Password reset link sent to {user.email}")
    db.session.commit()
