"""Filters and globals the templates share."""

from __future__ import annotations

from flask import Flask, current_app, g, request, url_for
from flask_login import current_user

from portal.domain.suppliers import format_pence
from portal.timefmt import format_date, format_datetime, today_london


def url_with(**changes) -> str:
    """The current URL with some query arguments changed (None removes one); keeps filter state."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def navigation_items() -> list[dict]:
    """Service navigation for the signed-in user's role."""
    if not current_user.is_authenticated:
        return []
    items = [("main.dashboard", "Home"), ("catalogue.index", "Catalogue")]
    if current_user.is_staff:
        items += [
            ("admin_frameworks.index", "Frameworks"),
            ("admin_suppliers.index", "Suppliers"),
            ("admin_people.users", "Users"),
            ("admin_people.audit_log", "Audit log"),
        ]
    if current_user.is_supplier:
        items += [("supplier.profile", "Your profile")]
    out = []
    for endpoint, text in items:
        if endpoint not in current_app.view_functions:
            continue
        href = url_for(endpoint)
        active = request.endpoint == endpoint or (
            request.endpoint
            and endpoint.split(".")[0] == request.endpoint.split(".")[0]
            and endpoint != "main.dashboard"
        )
        out.append({"href": href, "text": text, "active": bool(active)})
    return out


def register(app: Flask) -> None:
    app.jinja_env.filters["money"] = format_pence
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["navigation_items"] = navigation_items
    app.jinja_env.globals["today_london"] = today_london

    @app.context_processor
    def inject():
        return {
            "service_name": app.config["SERVICE_NAME"],
            "cspNonce": getattr(g, "csp_nonce", ""),
        }
