"""Sign-in, sign-out, invitations and password resets."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from portal.access import public, signed_in
from portal.auth import pending
from portal.auth.forms import ForgotPasswordForm, SetPasswordForm, SignInForm
from portal.domain import redirects
from portal.services.errors import ValidationError
from portal.services.people import accounts, mfa

from .blueprint import bp


def _safe_next(target: str | None) -> str:
    # Only same-site paths (portal/domain/redirects.py): an open redirect would let a phishing link borrow sign-in.
    return redirects.safe_next_path(target) or url_for("main.dashboard")


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = SignInForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data, pending.client_address())
        except accounts.SignInRefused as refused:
            form.email.errors.append(refused.message)
        else:
            next_url = _safe_next(request.args.get("next"))
            if user.mfa_enabled or mfa.required_for(user):
                pending.begin(user, next_url, set_up=not user.mfa_enabled)
                return redirect(url_for("auth.verify_code" if user.mfa_enabled else "auth.set_up_at_sign_in"))
            pending.finish(user, "password")
            return redirect(next_url)
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
@signed_in
def sign_out():
    accounts.sign_out(current_user)
    logout_user()
    session.clear()
    flash("You have signed out", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@public
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data, pending.client_address())
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/forgot_password.html", form=form)


def _set_password_page(token: str, purpose: str, template_title: str):
    try:
        user = accounts.user_for_token(token, purpose)
    except accounts.LinkProblem as problem:
        return render_template("auth/link_problem.html", message=problem.message), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.set_password(user, form.password.data, purpose)
        except ValidationError as error:
            form.password.errors.append(error.message)
        else:
            flash("Your password has been set. Sign in with your new password.", "success")
            return redirect(url_for("auth.sign_in"))
    return render_template("auth/set_password.html", form=form, user=user, page_title=template_title)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str):
    return _set_password_page(token, "invite", "Set your password")


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    return _set_password_page(token, "reset", "Choose a new password")
