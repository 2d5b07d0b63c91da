"""Server-side sign-in sessions and two-factor recovery codes.

The session cookie carries only a `UserSession`'s random id. Signing out, a password change, deactivation, a change
of role or "sign out everywhere" revoke the row, so a copy of the cookie taken before stops working at once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Model, UTCDateTime, utcnow


class UserSession(Model):
    __tablename__ = "user_session"
    __table_args__ = (
        # The idle time-out measures from the last sight of a session, which cannot come before its start.
        CheckConstraint("last_seen_at >= created_at", name="seen_after_start"),
        # A session ends (signed out, revoked, timed out) only after it has started.
        CheckConstraint("revoked_at IS NULL OR revoked_at >= created_at", name="revoked_after_start"),
    )

    # 256 random bits (secrets.token_urlsafe(32)): the only thing the cookie holds, so it must not be guessable.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why it ended: signed-out, everywhere, password, deactivated, role, mfa-reset, idle or expired.
    revoked_reason: Mapped[str] = mapped_column(String(20), default="")


class RecoveryCode(Model):
    """One of a user's ten single-use recovery codes, kept only as an Argon2 hash (like a password)."""

    __tablename__ = "mfa_recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class KeptAnswer(Model):
    """A bid answer that arrived after its writer's session had timed out, kept until they sign in again
    (portal/services/bids/kept_answers.py). Everything about it but its owner and lifetime is sealed under a key
    derived from a random token that only the writer's browser holds (a cookie): the row says nothing about which
    competition, and without the cookie nobody, the server's operators included, can open it."""

    __tablename__ = "kept_answer"
    __table_args__ = (
        # A kept answer lives a bounded time after it was kept, never a negative one.
        CheckConstraint("expires_at > created_at", name="expires_after_creation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the cookie's token (hex): finds the row without storing the token that opens it. Unique, so one
    # token names one kept answer.
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    # Only this user may have it back; the answer goes with its user.
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # The envelope (portal/domain/envelope.py) of {"competition_id", "criterion_id", "text", "passed"} as JSON.
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
