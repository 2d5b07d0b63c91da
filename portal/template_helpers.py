"""Filters and globals the templates share."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from portal.domain.law import LAW, law_for
from portal.domain.money import format_pence
from portal.domain.timefmt import format_date, format_datetime, today_london


def url_with(**changes) -> str:
    """The current URL with some query arguments changed (None removes one); keeps filter state."""
    args: dict[str, Any] = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    if request.endpoint is None:  # a page rendered for a URL no route matched (a 404) has no URL to vary
        raise RuntimeError("url_with needs a request that matched a route")
    return url_for(request.endpoint, **(request.view_args or {}), **args)


# (endpoint, text, URL path prefixes that mark the item as the current section)
NavItem = tuple[str, str, tuple[str, ...]]
_NAV_ALL: list[NavItem] = [
    ("main.dashboard", "Home", ("/dashboard",)),
    ("catalogue.index", "Catalogue", ("/catalogue",)),
]
_NAV_STAFF: list[NavItem] = [
    ("admin_frameworks.index", "Frameworks", ("/admin/frameworks",)),
    ("admin_suppliers.index", "Suppliers", ("/admin/suppliers",)),
    ("admin_people.organisations", "Buyers", ("/admin/organisations",)),
    ("admin_people.users", "Users", ("/admin/users",)),
    ("admin_people.audit_log", "Audit log", ("/admin/audit", "/admin/supplier-changes", "/admin/outbox")),
]
_NAV_BUYER: list[NavItem] = [
    ("competitions.index", "Competitions", ("/competitions",)),
    ("direct_awards.index", "Direct awards", ("/direct-awards",)),
]
_NAV_EVALUATOR: list[NavItem] = [("evaluation.index", "Evaluation", ("/evaluation",))]
# The contract register, for every role that has one (portal/services/contracts/register.py).
_NAV_CONTRACTS: list[NavItem] = [("contracts.register_index", "Contracts", ("/contracts",))]
_NAV_SUPPLIER: list[NavItem] = [
    ("bids.index", "Competitions", ("/bids",)),
    ("direct_awards.supplier_awards", "Direct awards", ("/direct-awards/supplier",)),
    ("supplier.profile", "Your profile", ("/supplier",)),
]


def navigation_items() -> list[dict]:
    """Service navigation for the signed-in user's role, with the current section marked."""
    if not current_user.is_authenticated:
        return []
    items = list(_NAV_ALL)
    if current_user.is_staff:
        items += _NAV_STAFF
    if current_user.is_procurement_officer:
        items += _NAV_BUYER + _NAV_EVALUATOR
    if current_user.role == "evaluator":
        items += _NAV_EVALUATOR
    if current_user.is_supplier:
        items += _NAV_SUPPLIER
    if current_user.is_staff or current_user.is_procurement_officer or current_user.is_supplier:
        items += _NAV_CONTRACTS
    out = []
    for endpoint, text, prefixes in items:
        if endpoint not in current_app.view_functions:
            continue
        active = any(request.path == p or request.path.startswith(p + "/") for p in prefixes)
        out.append({"href": url_for(endpoint), "text": text, "active": active})
    return out


HASH_GROUP = 8  # a SHA-256 prints as 8 groups of 8 hex digits: a line breaks between groups, never inside one


def hash_groups(value: str | None) -> Markup:
    """A hash in monospace, in fixed groups that never break mid-group (documents' `.sha` style in _base.html)."""
    text = str(value or "")
    groups = [text[i : i + HASH_GROUP] for i in range(0, len(text), HASH_GROUP)]
    inner = Markup(" ").join(Markup('<span class="sha-group">{}</span>').format(escape(g)) for g in groups)
    return Markup('<span class="sha">{}</span>').format(inner)


def register(app: Flask) -> None:
    app.jinja_env.filters["hash_groups"] = hash_groups
    app.jinja_env.filters["money"] = format_pence
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["navigation_items"] = navigation_items
    app.jinja_env.globals["today_london"] = today_london
    # The law of a regime (portal.domain.law): pages take citations and wording from it, never an if on the regime.
    app.jinja_env.globals["law_for"] = law_for
    app.jinja_env.globals["laws"] = tuple(LAW.values())

    @app.context_processor
    def inject():
        return {
            "service_name": app.config["SERVICE_NAME"],
            "cspNonce": getattr(g, "csp_nonce", ""),
        }
