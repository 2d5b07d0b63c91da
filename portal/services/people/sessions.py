"""Server-side sign-in sessions: started at sign-in, checked on every request, revoked on the server.

The cookie holds only the session's random id. A session ends when its user signs out, signs out everywhere,
changes their password, is deactivated or changes role, when it has been idle for SESSION_IDLE_MINUTES, or when it
is SESSION_ABSOLUTE_HOURS old, whichever comes first; a copy of the cookie is refused from then on.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_, select, update

from portal.extensions import db
from portal.models import User, UserSession
from portal.models.base import utcnow
from portal.services import audit

# Recording "last seen" at most once a minute keeps a page view from being a database write every time.
TOUCH_INTERVAL = timedelta(seconds=60)
# Ended sessions are kept a while for the record, then removed when their user next signs in.
KEEP_ENDED = timedelta(days=30)
_MAX_ID_LENGTH = 64


def _limits() -> tuple[timedelta, timedelta]:
    config = current_app.config
    return timedelta(minutes=config["SESSION_IDLE_MINUTES"]), timedelta(hours=config["SESSION_ABSOLUTE_HOURS"])


def start(user: User) -> str:
    """A new session for a user who has just proved who they are; the caller commits. Returns its id."""
    now = utcnow()
    db.session.execute(
        delete(UserSession).where(
            UserSession.user_id == user.id,
            or_(UserSession.revoked_at < now - KEEP_ENDED, UserSession.last_seen_at < now - KEEP_ENDED),
        )
    )
    session_id = secrets.token_urlsafe(32)
    db.session.add(UserSession(id=session_id, user_id=user.id, created_at=now, last_seen_at=now))
    user.signed_in_session_id = session_id
    return session_id


def _ended_reason(row: UserSession, now: datetime) -> str | None:
    idle, absolute = _limits()
    if now - row.created_at >= absolute:
        return "expired"
    if now - row.last_seen_at >= idle:
        return "idle"
    return None


def user_for_session(session_id: str | None) -> User | None:
    """The signed-in user for a cookie's session id, or None if the session is unknown, revoked or timed out."""
    if not session_id or len(session_id) > _MAX_ID_LENGTH:
        return None
    row = db.session.get(UserSession, session_id)
    if row is None or row.revoked_at is not None:
        return None
    now = utcnow()
    reason = _ended_reason(row, now)
    if reason:
        row.revoked_at, row.revoked_reason = now, reason
        db.session.commit()
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    if now - row.last_seen_at >= TOUCH_INTERVAL:
        row.last_seen_at = now
        db.session.commit()
    user.signed_in_session_id = session_id
    return user


def end(session_id: str | None, reason: str = "signed-out") -> None:
    """Revoke one session (signing out); the caller commits."""
    if session_id:
        db.session.execute(
            update(UserSession)
            .where(UserSession.id == session_id, UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow(), revoked_reason=reason)
        )


def end_all(user: User, reason: str) -> int:
    """Revoke every open session of a user, and make their emailed links stale too; the caller commits."""
    user.session_version += 1
    result = db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def open_sessions(user: User) -> list[UserSession]:
    """The user's sessions that are still live (neither revoked nor timed out), newest first."""
    now = utcnow()
    rows = db.session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .order_by(UserSession.created_at.desc())
    )
    return [row for row in rows if _ended_reason(row, now) is None]


def sign_out_everywhere(user: User) -> int:
    """The user's own "sign out everywhere": every session ends, this one included."""
    count = end_all(user, "everywhere")
    audit.record(user, "user.signed_out_everywhere", "user", user.id, summary=f"{user.email} signed out everywhere")
    db.session.commit()
    return count
