"""Two-factor sign-in: an authenticator app (TOTP, RFC 6238) and ten single-use recovery codes.

Setting up shows a QR code of a new secret; it is switched on only when the app's first code is confirmed. Codes are
accepted for the current 30-second step and one either side, and never twice (the last step used is kept). Recovery
codes are shown once and kept only as Argon2 hashes. A wrong code counts against the account like a wrong password
(the lock-out in accounts.py) and slows the address down (throttle.py). Framework staff can reset a user's second
factor when they lose their phone; the reset is audited and ends the user's sessions.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, func, select

from portal.domain.sign_in import is_recovery_shape, is_totp_shape, new_recovery_codes, normalise_code
from portal.domain.sign_in import two_factor_required as _required
from portal.extensions import db
from portal.models import RecoveryCode, User
from portal.models.base import utcnow
from portal.services import audit, mail
from portal.services.errors import ConflictError, PermissionDeniedError, ValidationError
from portal.services.people import accounts, sessions, throttle
from portal.services.people.secret_box import SecretUnreadable, open_sealed, seal
from portal.services.permissions import require_staff

WRONG_CODE = "Enter a correct security code"


class CodeRefused(Exception):
    """A wrong code at sign-in; `ended` when the account is now locked and the sign-in must start again."""

    def __init__(self, ended: bool = False):
        super().__init__(WRONG_CODE)
        self.message = WRONG_CODE
        self.ended = ended


def required_for(user: User) -> bool:
    return _required(user.role, current_app.config["MFA_REQUIRED_ROLES"])


def may_turn_off(user: User) -> bool:
    return user.mfa_enabled and not required_for(user)


@dataclass(frozen=True)
class Setup:
    """What the set-up page shows: the QR code (inline SVG) and the same secret to type in by hand."""

    qr_svg: str
    key_groups: str


def _issuer() -> str:
    return str(current_app.config["SERVICE_NAME"])


def qr_svg(uri: str) -> str:
    """An inline SVG QR code: no image request and no inline style, so the page's CSP needs nothing extra."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=4, dark="#0b0c0c", light="#ffffff", title="QR code for your authenticator app", svgclass="app-qr-code"
    )
    return svg.replace("<svg ", '<svg role="img" focusable="false" ', 1)


def start_setup(user: User) -> Setup:
    """The secret being set up (a new one unless one is already waiting for its first code)."""
    secret = _pending_secret(user)
    if secret is None:
        secret = pyotp.random_base32()
        user.mfa_pending_secret = seal(secret, user.id)
        db.session.commit()
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=_issuer())
    return Setup(qr_svg=qr_svg(uri), key_groups=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)))


def _pending_secret(user: User) -> str | None:
    if not user.mfa_pending_secret:
        return None
    try:
        return open_sealed(user.mfa_pending_secret, user.id)
    except SecretUnreadable:
        return None


def _matching_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The time step this code belongs to (now, or one step either side for clock drift), if not used before."""
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(utcnow())
    for step in (now_step, now_step - 1, now_step + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def confirm_setup(user: User, code: str, current_code: str | None = None) -> list[str]:
    """Switch two-factor sign-in on (or move it to a new app) with the app's first code; returns the new
    recovery codes, which are shown once and never again. Moving to a new app needs a code from the old one (or a
    recovery code) too, so a borrowed session cannot swap the second factor."""
    secret = _pending_secret(user)
    if secret is None:
        raise ConflictError("Start setting up your authenticator app again")
    typed = normalise_code(code)
    step = _matching_step(secret, typed, None) if is_totp_shape(typed) else None
    if step is None:
        raise ValidationError("Enter the 6-digit code your authenticator app shows now", field="code")
    replacing = user.mfa_enabled
    if replacing:
        _check_signed_in_code(user, current_code or "", field="current_code")
    user.mfa_secret, user.mfa_pending_secret = user.mfa_pending_secret, None
    user.mfa_enabled_at, user.mfa_last_step = utcnow(), step
    codes = _replace_recovery_codes(user)
    what = "moved two-factor sign-in to a new app" if replacing else "turned on two-factor sign-in"
    event = "user.mfa_replaced" if replacing else "user.mfa_enabled"
    audit.record(user, event, "user", user.id, summary=f"{user.email} {what}")
    db.session.commit()
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = new_recovery_codes()
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=accounts.hash_password(normalise_code(c))) for c in codes
    )
    return codes


def recovery_codes_left(user: User) -> int:
    return db.session.execute(
        select(func.count(RecoveryCode.id)).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).scalar_one()


def _use_code(user: User, code: str) -> str | None:
    """Accept an authenticator code or an unused recovery code, spending it; 'totp', 'recovery' or None."""
    typed = normalise_code(code)
    if not user.mfa_secret:
        return None
    if is_totp_shape(typed):
        try:
            secret = open_sealed(user.mfa_secret, user.id)
        except SecretUnreadable:
            return None
        step = _matching_step(secret, typed, user.mfa_last_step)
        if step is None:
            return None
        user.mfa_last_step = step
        return "totp"
    if is_recovery_shape(typed):
        unused = db.session.scalars(
            select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        )
        for row in unused:
            if accounts.verify_hash(row.code_hash, typed):
                row.used_at = utcnow()
                audit.record(
                    user, "user.recovery_code_used", "user", user.id, summary=f"{user.email} used a recovery code"
                )
                return "recovery"
    return None


def verify_sign_in(user_id: int, version: int, code: str, address: str) -> tuple[User, str]:
    """The second step of signing in: the user and how they proved it ('totp' or 'recovery'), or CodeRefused."""
    throttle.slow_down(address)
    user = accounts.awaiting_second_factor(user_id, version)
    now = utcnow()
    if user is None or not user.mfa_enabled:
        raise CodeRefused(ended=True)
    method = _use_code(user, code)
    if method is None:
        throttle.record("code", user.email, address)
        accounts.count_failure(user, now)
        db.session.commit()
        raise CodeRefused(ended=bool(user.locked_until and user.locked_until > now))
    db.session.commit()
    return user, method


def _check_signed_in_code(user: User, code: str, field: str = "code") -> None:
    """A signed-in user proves they still hold their second factor before changing it; a wrong code counts
    against the account as at sign-in."""
    if _use_code(user, code) is None:
        accounts.count_failure(user, utcnow())
        db.session.commit()
        raise ValidationError(WRONG_CODE, field=field)


def regenerate_recovery_codes(user: User, code: str) -> list[str]:
    if not user.mfa_enabled:
        raise ConflictError("Turn on two-factor sign-in first")
    _check_signed_in_code(user, code)
    codes = _replace_recovery_codes(user)
    audit.record(user, "user.recovery_codes_replaced", "user", user.id, summary=f"{user.email} made new recovery codes")
    db.session.commit()
    return codes


def _clear(user: User) -> None:
    user.mfa_secret = user.mfa_pending_secret = None
    user.mfa_enabled_at = user.mfa_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def turn_off(user: User, code: str) -> None:
    if not may_turn_off(user):
        raise ConflictError("Your role must sign in with two factors; it cannot be turned off")
    _check_signed_in_code(user, code)
    _clear(user)
    audit.record(user, "user.mfa_disabled", "user", user.id, summary=f"{user.email} turned off two-factor sign-in")
    db.session.commit()


def reset_by_staff(actor: User, user: User) -> None:
    """Framework staff remove a user's authenticator (a lost phone): the user sets one up at their next sign-in
    if their role requires it. Their sessions end; they are told by email."""
    require_staff(actor, "reset two-factor sign-in")
    if user.id == actor.id:
        raise PermissionDeniedError("Another member of framework staff must reset your two-factor sign-in.")
    if not user.mfa_enabled and not user.mfa_pending_secret:
        raise ConflictError(f"{user.email} has not set up two-factor sign-in")
    _clear(user)
    sessions.end_all(user, "mfa-reset")
    audit.record(actor, "user.mfa_reset", "user", user.id, summary=f"Two-factor sign-in reset for {user.email}")
    service = current_app.config["SERVICE_NAME"]
    mail.send(
        user.email,
        f"Your {service} two-factor sign-in was reset",
        f"Dear {user.name},\n\n{actor.name} of the framework team has reset your two-factor sign-in, and signed you"
        " out everywhere. Next time you sign in, set up your authenticator app again if you are asked to.\n\n"
        "If you did not ask for this, contact the framework team straight away.\n",
    )
    db.session.commit()
