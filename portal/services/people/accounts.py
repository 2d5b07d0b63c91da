"""Sign-in with a password, account lock-out, sign-out, invitations and password resets."""

from __future__ import annotations

from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from portal.domain.passwords import password_problem
from portal.extensions import db
from portal.models import User
from portal.models.base import utcnow
from portal.services import audit, mail
from portal.services.errors import ValidationError
from portal.services.people import sessions, throttle

_STRONG = PasswordHasher()  # argon2id with the library's recommended (RFC 9106 low-memory) parameters
# Tests only: hashing dominates a suite that signs in hundreds of times. Each hash records its own
# parameters, so verification works whichever hasher made it.
_FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
# Hashes to verify against when there is no real one (an unknown account, an invitation not yet accepted), made
# by the hasher in use so that a refusal costs the same time whether or not the account exists.
_DUMMY_HASHES: dict[int, str] = {}


def _hasher() -> PasswordHasher:
    return _FAST if current_app.config.get("PASSWORD_HASH_FAST") else _STRONG


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_hash(stored_hash: str, password: str) -> bool:
    """Whether the secret matches an Argon2 hash (a password's, or a recovery code's)."""
    try:
        return _hasher().verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _dummy_hash() -> str:
    hasher = _hasher()
    if id(hasher) not in _DUMMY_HASHES:
        _DUMMY_HASHES[id(hasher)] = hasher.hash("no-such-account-placeholder")
    return _DUMMY_HASHES[id(hasher)]


def check_password(user: User | None, password: str) -> bool:
    """Whether the password is the user's; always one Argon2 verification, even for no user or no password."""
    if user is None or not user.password_hash:
        verify_hash(_dummy_hash(), password)
        return False
    return verify_hash(user.password_hash, password)


class SignInRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# One message for an unknown address, a wrong password, a locked or a deactivated account: none reveals which.
GENERIC_FAILURE = "Enter a correct email address and password"


def _is_locked(user: User, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def count_failure(user: User, now: datetime) -> None:
    """One more failure against an account (a password or a security code); the limit locks it for a while.

    A locked account counts nothing more, so its lock does not extend itself while it lasts."""
    if _is_locked(user, now):
        return
    config = current_app.config
    user.failed_login_count += 1
    if user.failed_login_count >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]:
        user.locked_until = now + timedelta(minutes=config["LOGIN_LOCKOUT_MINUTES"])
        user.failed_login_count = 0
        audit.record(None, "user.locked", "user", user.id, summary=f"{user.email} locked after failures")


def authenticate(email: str, password: str, address: str) -> User:
    """The user whose password this is, if the account may sign in; else SignInRefused with the generic message.

    The address only slows down (throttle.slow_down); it never refuses. A correct password does not yet clear the
    account's failures: the sign-in is complete only after any second factor (complete_sign_in)."""
    email = email.strip().lower()
    throttle.slow_down(address)
    now = utcnow()
    user = db.session.scalar(select(User).where(User.email == email))
    ok = check_password(user, password)  # verified even for a locked or deactivated account: the same time taken
    if user is None or not user.active or _is_locked(user, now) or not ok:
        throttle.record("password", email, address)
        if user is not None and user.active and not ok:
            count_failure(user, now)
        db.session.commit()
        raise SignInRefused(GENERIC_FAILURE)
    return user


def awaiting_second_factor(user_id: int, version: int) -> User | None:
    """The user part-way through signing in, unless their password changed, or they were locked or deactivated,
    since they gave it."""
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_version != version or _is_locked(user, utcnow()):
        return None
    return user


def complete_sign_in(user: User, address: str, method: str = "password") -> str:
    """Start the session of a user who has given every factor asked of them; returns the session's id."""
    now = utcnow()
    user.failed_login_count = 0
    user.locked_until = None
    user.last_login_at = now
    throttle.record("password", user.email, address, succeeded=True)
    session_id = sessions.start(user)
    how = {"password": "", "totp": " with an authenticator code", "recovery": " with a recovery code"}[method]
    audit.record(user, "user.signed_in", "user", user.id, summary=f"{user.email} signed in{how}")
    db.session.commit()
    return session_id


def sign_out(user: User) -> None:
    """End this session on the server, so a copy of its cookie is refused from now on."""
    sessions.end(getattr(user, "signed_in_session_id", None))
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
    sessions.end_all(user, "password")  # every session ends, and the link that brought them here is spent
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


def send_existing_account_notice(user: User, inviter: User) -> None:
    """Tell the owner of an address that someone tried to invite it again; the inviter is not told it exists."""
    service = current_app.config["SERVICE_NAME"]
    mail.send(
        user.email,
        f"Someone tried to invite you to the {service}",
        f"Dear {user.name},\n\n{inviter.name} of {inviter.party_name} tried to invite this address to the {service}."
        "\n\nYou already have an account, so nothing has changed and no new account was made. If you need to work"
        " for another organisation in the portal, ask the framework team.\n",
    )


def request_password_reset(email: str, address: str) -> None:
    """Send a reset link if the account exists and neither it nor the address asked too often this hour.

    The requester is told the same either way, so the page reveals neither the account nor the throttle."""
    email = email.strip().lower()
    allowed = throttle.reset_allowed(email, address)
    user = db.session.scalar(select(User).where(User.email == email))
    if not allowed or user is None or not user.active:
        db.session.commit()
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
