"""The second step of signing in: a security code, or setting up an authenticator app the role requires."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.access import public
from portal.auth import pending
from portal.auth.forms import SecurityCodeForm, SetUpCodeForm
from portal.forms_common import attach_error
from portal.services.errors import ConflictError, ValidationError
from portal.services.people import accounts, mfa

from .blueprint import bp


def _restart(message: str):
    pending.clear()
    flash(message, "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/sign-in/security-code", methods=["GET", "POST"])
@public
def verify_code():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    step = pending.current()
    if step is None or step.set_up:
        return _restart("Sign in again to continue")
    form = SecurityCodeForm()
    if form.validate_on_submit():
        try:
            user, method = mfa.verify_sign_in(step.user_id, step.version, form.code.data, pending.client_address())
        except mfa.CodeRefused as refused:
            if refused.ended:
                return _restart("Sign in again to continue")
            form.code.errors.append(refused.message)
        else:
            pending.finish(user, method)
            if method == "recovery":
                left = mfa.recovery_codes_left(user)
                flash(f"You used a recovery code. You have {left} left: make new ones from Your account.", "info")
            return redirect(step.next_url)
    return render_template("auth/security_code.html", form=form)


@bp.route("/sign-in/set-up-authenticator", methods=["GET", "POST"])
@public
def set_up_at_sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    step = pending.current()
    user = accounts.awaiting_second_factor(step.user_id, step.version) if step and step.set_up else None
    if step is None or user is None:
        return _restart("Sign in again to continue")
    form = SetUpCodeForm()
    if form.validate_on_submit():
        try:
            codes = mfa.confirm_setup(user, form.code.data)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error, "code")
        else:
            pending.finish(user, "totp")
            return render_template("auth/recovery_codes.html", codes=codes, continue_url=step.next_url)
    return render_template("auth/set_up_authenticator.html", form=form, setup=mfa.start_setup(user), signing_in=True)
