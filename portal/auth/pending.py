"""A sign-in half done: the password was right and a second factor (or setting one up) is still to come.

Kept in the Flask session, never as a signed-in session: until the second step succeeds the browser is not signed
in. It names the user and their password's version (so a password change voids it), and lasts MFA_PENDING_MINUTES.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app, request, session
from flask_login import login_user

from portal.models import User
from portal.services.people import accounts

KEY = "sign_in_pending"


@dataclass(frozen=True)
class Pending:
    user_id: int
    version: int
    next_url: str
    set_up: bool  # the user's role requires two factors and they have none yet


def begin(user: User, next_url: str, set_up: bool) -> None:
    session[KEY] = {
        "user": user.id,
        "version": user.session_version,
        "at": int(time.time()),
        "next": next_url,
        "set_up": set_up,
    }


def current() -> Pending | None:
    data = session.get(KEY)
    if not isinstance(data, dict):
        return None
    try:
        started, user_id, version = int(data["at"]), int(data["user"]), int(data["version"])
    except (KeyError, TypeError, ValueError):
        return None
    if time.time() - started > current_app.config["MFA_PENDING_MINUTES"] * 60:
        clear()
        return None
    return Pending(user_id, version, str(data.get("next") or "/dashboard"), bool(data.get("set_up")))


def clear() -> None:
    session.pop(KEY, None)


def client_address() -> str:
    """The client's address as ProxyFix reads it (TRUSTED_PROXY_COUNT proxies believed, no more)."""
    return request.remote_addr or "unknown"


def finish(user: User, method: str) -> None:
    """Sign the browser in under a new server-side session, dropping everything the anonymous session held."""
    accounts.complete_sign_in(user, client_address(), method)
    session.clear()  # a fresh session at the change of privilege: nothing planted before sign-in survives it
    login_user(user)
