"""Start page, each role's dashboard, accessibility statement and cookies."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import public, signed_in
from portal.services.people import dashboards

from .blueprint import bp


@bp.route("/")
@public
def index():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return render_template("main/index.html", summary=dashboards.public_summary())


QUEUE_SHOWN = 30  # the most urgent items listed on the home page; "Show all" (?all=1) lists every one


@bp.route("/dashboard")
@signed_in
def dashboard():
    data = dashboards.for_user(current_user)
    shown = len(data["queue"]) if request.args.get("all") == "1" else QUEUE_SHOWN
    return render_template("main/dashboard.html", data=data, shown=shown)


@bp.route("/accessibility")
@public
def accessibility():
    return render_template("main/accessibility.html")


@bp.route("/cookies")
@public
def cookies():
    return render_template("main/cookies.html")
