"""Keeping a bid answer posted after its writer's session timed out (portal/services/bids/kept_answers.py says why
this is safe): the hook runs before the access check sends the browser to sign in, keeps the text for the user
whose session it was, and gives the browser the cookie that alone can open it; the answer page puts it back."""

from __future__ import annotations

from flask import Response, after_this_request, current_app, flash, request, session
from flask_login import current_user

from portal.services.bids import kept_answers

ANSWER_ENDPOINT = "bids.answer"
KEPT_MESSAGE = "We kept the answer you were typing"


def keep_answer_of_timed_out_session() -> None:
    """Before-request hook (registered ahead of portal.access.enforce_access): never answers the request itself."""
    if request.method != "POST" or request.endpoint != ANSWER_ENDPOINT or current_user.is_authenticated:
        return None
    user = kept_answers.timed_out_supplier(session.get("_user_id"))
    if user is None:
        return None
    args = request.view_args or {}
    passed = {"yes": True, "no": False}.get(request.form.get("passed", ""))
    token = kept_answers.keep(
        user, int(args["competition_id"]), int(args["criterion_id"]), request.form.get("text", ""), passed
    )
    if token is None:
        return None
    flash(f"Your session timed out. {KEPT_MESSAGE}: sign in again to carry on with it.", "info")

    @after_this_request
    def _give_cookie(response: Response) -> Response:
        set_cookie(response, token)
        return response

    return None


def set_cookie(response: Response, token: str) -> None:
    response.set_cookie(
        kept_answers.COOKIE,
        token,
        max_age=int(kept_answers.KEEP_FOR.total_seconds()),
        path="/bids/",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )


def restore(competition_id: int, criterion_id: int) -> kept_answers.Restored | None:
    """The signed-in supplier's kept answer to this question, if this browser holds it; the cookie then goes."""
    token = request.cookies.get(kept_answers.COOKIE)
    restored = kept_answers.take(current_user, token, competition_id, criterion_id) if token else None
    if restored is not None:
        flash(f"{KEPT_MESSAGE}. Check it, then save it.", "info")

        @after_this_request
        def _drop_cookie(response: Response) -> Response:
            response.delete_cookie(kept_answers.COOKIE, path="/bids/")
            return response

    return restored
