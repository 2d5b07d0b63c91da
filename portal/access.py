"""Explicit access rules on every route.

Each view declares who may reach it with one of the decorators below. A before-request hook
enforces the rule centrally and refuses any route that declares none, so a forgotten rule fails
closed (403) instead of open; tests/test_route_access.py also fails on such a route.
Object-level visibility (own organisation, own supplier) is checked by services and queries.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from portal.domain.roles import Role

log = logging.getLogger(__name__)

PUBLIC = "public"
SIGNED_IN = "signed-in"
RULE_ATTRIBUTE = "access_rule"  # the view function's attribute that holds its rule


def public(view: Callable) -> Callable:
    """Anyone, signed in or not."""
    setattr(view, RULE_ATTRIBUTE, PUBLIC)
    return view


def signed_in(view: Callable) -> Callable:
    """Any signed-in user, whatever their role."""
    setattr(view, RULE_ATTRIBUTE, SIGNED_IN)
    return view


def roles(*allowed: Role | Iterable[Role]) -> Callable[[Callable], Callable]:
    """Signed-in users with one of these roles."""
    flat: set[Role] = set()
    for item in allowed:
        flat.update(item if not isinstance(item, Role) else {item})

    def decorate(view: Callable) -> Callable:
        setattr(view, RULE_ATTRIBUTE, frozenset(flat))
        return view

    return decorate


def rule_for(endpoint: str | None):
    if endpoint is None:
        return None
    if endpoint == "static" or endpoint.endswith(".static"):
        return PUBLIC
    view = current_app.view_functions.get(endpoint)
    return getattr(view, RULE_ATTRIBUTE, None)


def enforce_access():
    if request.endpoint is None:
        return None  # no route: the 404 handler answers
    rule = rule_for(request.endpoint)
    if rule is None:
        log.error("route %s has no access rule; refusing", request.endpoint)
        abort(403)
    if rule == PUBLIC:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    if rule == SIGNED_IN:
        return None
    if current_user.role not in rule:
        abort(403)
    return None
