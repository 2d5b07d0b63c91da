"""Answers kept across a session time-out: a supplier who was typing a bid answer when their session timed out
(SESSION_IDLE_MINUTES) gets it back in the form once they have signed in again.

How it stays secure (the seal: nobody but the bidding supplier may learn anything about a bid, not even that it
exists):
- Only a sign-in session that *timed out* (idle or too old, not signed out, revoked or of a deactivated user) and
  that belonged to an active supplier user keeps anything, and it names that user: the answer is tied to them and
  only they can have it back. A browser with no session, or someone else's, keeps nothing.
- The browser gets a random 256-bit token in its own HttpOnly cookie (path /bids/, SameSite Lax). The database
  stores only the token's SHA-256, the user, and the envelope of the competition, question and text sealed with a
  key derived from the token: without the browser's cookie nobody (buyer, staff, an operator with the database)
  can open it, and the row does not even say which competition it is for. Neither the text nor the token is
  logged or audited (an audit entry would name the competition to staff before opening).
- Restoring needs both the cookie and the same signed-in user, and the same competition and question; it consumes
  the row. Another user on the same browser (a shared computer) gets nothing, and a copied cookie is useless to
  anyone but the writer. Rows expire after KEEP_FOR and are purged whenever another answer is kept.
- Nothing is saved to the bid: the restored text goes back into the form, and the supplier saves it through the
  normal, audited save (drafting.save_answer), which checks the deadline and the supplier's standing again.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select

from portal.domain import envelope
from portal.domain.roles import Role
from portal.extensions import db
from portal.models import KeptAnswer, User, UserSession
from portal.models.base import utcnow

COOKIE = "kept_answer"
KEEP_FOR = timedelta(hours=12)
TIMED_OUT = ("idle", "expired")
MAX_CHARS = 100_000  # far above any word limit: a kept answer is never a way to store arbitrary data
_KEY_ID = 1  # one key per token: the envelope's key id says nothing here


@dataclass(frozen=True)
class Restored:
    text: str
    passed: bool | None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _key(token: str) -> bytes:
    return hashlib.sha256(b"portal kept answer key\0" + token.encode()).digest()


def _aad(user_id: int) -> bytes:
    return envelope.associated_data("kept_answer", user_id)


def timed_out_supplier(session_id: object) -> User | None:
    """The active supplier user whose sign-in session `session_id` timed out, or None for anything else."""
    if not isinstance(session_id, str) or not session_id or len(session_id) > 64:
        return None
    row = db.session.get(UserSession, session_id)
    if row is None or row.revoked_reason not in TIMED_OUT:
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.active or user.role != Role.SUPPLIER or user.supplier_id is None:
        return None
    return user


def keep(user: User, competition_id: int, criterion_id: int, text: str, passed: bool | None) -> str | None:
    """Keep what `user` was typing; returns the token for their browser's cookie (None if there is nothing)."""
    text = (text or "").strip()
    if not text and passed is None:
        return None
    now = utcnow()
    db.session.execute(delete(KeptAnswer).where(KeptAnswer.expires_at <= now))
    token = secrets.token_urlsafe(32)
    content = {"competition_id": competition_id, "criterion_id": criterion_id, "text": text[:MAX_CHARS]}
    content["passed"] = passed
    sealed = envelope.seal(_key(token), _KEY_ID, json.dumps(content).encode(), _aad(user.id))
    db.session.add(
        KeptAnswer(
            token_sha256=_digest(token), user_id=user.id, created_at=now, expires_at=now + KEEP_FOR, sealed=sealed
        )
    )
    db.session.commit()
    return token


def take(user: User, token: str | None, competition_id: int, criterion_id: int) -> Restored | None:
    """The answer `user` was typing for this question, if this browser's token holds one of theirs (consumed)."""
    if not token or len(token) > 100:
        return None
    row = db.session.scalar(select(KeptAnswer).where(KeptAnswer.token_sha256 == _digest(token)))
    if row is None or row.user_id != user.id or row.expires_at <= utcnow():
        return None  # another user's (a shared computer) stays where it is, and is unreadable to this one
    try:
        content = json.loads(envelope.open_sealed(_key(token), row.sealed, _aad(user.id)))
    except (envelope.EnvelopeError, ValueError):
        return None
    if (content.get("competition_id"), content.get("criterion_id")) != (competition_id, criterion_id):
        return None  # kept for another question: it waits for that one
    db.session.delete(row)
    db.session.commit()
    return Restored(text=str(content.get("text") or ""), passed=content.get("passed"))
