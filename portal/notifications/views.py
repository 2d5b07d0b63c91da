"""Thin views over portal/services/notifications/inbox.py."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from portal.access import public, signed_in
from portal.domain.notification_kinds import KINDS, OPTIONAL_KINDS
from portal.extensions import csrf
from portal.forms_common import parse_page
from portal.services.notifications import inbox

from .blueprint import bp


class ButtonForm(FlaskForm):
    """A form that is only its button and CSRF token."""


class SettingsForm(FlaskForm):
    """The settings page's CSRF token; the ticked kinds are read from the posted `kinds` values."""


@bp.app_template_global()
def unread_notifications() -> int:
    """The header's unread count: one indexed count query per page (kept for the request), signed-in people only."""
    if not current_user.is_authenticated:
        return 0
    if "unread_notifications" not in g:
        g.unread_notifications = inbox.header_unread_count(current_user)
    return g.unread_notifications


@bp.route("")
@signed_in
def index():
    page = inbox.page_for(current_user, parse_page(request.args.get("page")))
    return render_template(
        "notifications/index.html",
        page=page,
        unread=unread_notifications(),
        mark_form=ButtonForm(),
        kinds=KINDS,
    )


@bp.route("/<int:notification_id>")
@signed_in
def open_entry(notification_id: int):
    entry = inbox.open_entry(current_user, notification_id)  # 404 for anyone else's
    return redirect(entry.link or url_for(".index"))


@bp.route("/mark-all-read", methods=["POST"])
@signed_in
def mark_all_read():
    # The form is only the button and its CSRF token, which CSRFProtect checks before this runs.
    count = inbox.mark_all_read(current_user)
    flash(f"{count} notification{'' if count == 1 else 's'} marked as read", "success")
    return redirect(url_for(".index"))


@bp.route("/settings", methods=["GET", "POST"])
@signed_in
def settings():
    form = SettingsForm()
    if form.validate_on_submit():
        inbox.save_settings(current_user, set(request.form.getlist("kinds")))
        flash("Your notification settings have been saved", "success")
        return redirect(url_for(".settings"))
    return render_template(
        "notifications/settings.html",
        form=form,
        optional=OPTIONAL_KINDS,
        always=[kind for kind in KINDS.values() if not kind.optional],
        off=inbox.turned_off(current_user),
    )


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@public
@csrf.exempt
def unsubscribe(token: str):
    # CSRF-exempt on purpose: mail clients make the RFC 8058 one-click POST ("List-Unsubscribe=One-Click") on their
    # own, with no session and no form token. The signed token in the address is the authentication: it names one
    # person and one optional reminder kind, cannot be forged without SECRET_KEY, and can only turn that reminder off.
    if request.method == "POST":
        user, key = inbox.unsubscribe(token)  # a bad token is a 404 page (NotFoundError), never a 500
        return render_template("notifications/unsubscribed.html", kind=KINDS[key], email=user.email)
    user, key = inbox.unsubscribe_target(token)
    return render_template("notifications/unsubscribe.html", kind=KINDS[key], email=user.email, token=token)
