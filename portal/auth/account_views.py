"""Your account: sessions ("sign out everywhere") and two-factor sign-in (set up, new recovery codes, turn off)."""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask_login import current_user, logout_user

from portal.access import signed_in
from portal.auth.forms import SecurityCodeForm, SetUpCodeForm, SignOutEverywhereForm
from portal.forms_common import attach_error
from portal.services.errors import ConflictError, ValidationError
from portal.services.people import mfa, sessions

from .blueprint import bp


@bp.route("/account")
@signed_in
def account():
    return render_template(
        "auth/account.html",
        open_sessions=len(sessions.open_sessions(current_user)),
        codes_left=mfa.recovery_codes_left(current_user),
        required=mfa.required_for(current_user),
        form=None,
        sign_out_form=SignOutEverywhereForm(),
    )


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@signed_in
def sign_out_everywhere():
    if not SignOutEverywhereForm().validate_on_submit():
        return redirect(url_for("auth.account"))
    count = sessions.sign_out_everywhere(current_user)
    logout_user()
    session.clear()
    flash(f"You have signed out everywhere ({count} {'session' if count == 1 else 'sessions'} ended)", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/two-factor/set-up", methods=["GET", "POST"])
@signed_in
def set_up_two_factor():
    form = SetUpCodeForm()
    if form.validate_on_submit():
        try:
            codes = mfa.confirm_setup(current_user, form.code.data, form.current_code.data)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error, "code")
        else:
            return render_template("auth/recovery_codes.html", codes=codes, continue_url=url_for("auth.account"))
    setup = mfa.start_setup(current_user)
    return render_template("auth/set_up_authenticator.html", form=form, setup=setup, signing_in=False)


@bp.route("/account/two-factor/recovery-codes", methods=["GET", "POST"])
@signed_in
def new_recovery_codes():
    form = SecurityCodeForm()
    if form.validate_on_submit():
        try:
            codes = mfa.regenerate_recovery_codes(current_user, form.code.data)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error, "code")
        else:
            return render_template("auth/recovery_codes.html", codes=codes, continue_url=url_for("auth.account"))
    return render_template("auth/confirm_code.html", form=form, action="codes")


@bp.route("/account/two-factor/turn-off", methods=["GET", "POST"])
@signed_in
def turn_off_two_factor():
    if not mfa.may_turn_off(current_user):
        return redirect(url_for("auth.account"))
    form = SecurityCodeForm()
    if form.validate_on_submit():
        try:
            mfa.turn_off(current_user, form.code.data)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error, "code")
        else:
            flash("Two-factor sign-in is off", "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/confirm_code.html", form=form, action="off")
