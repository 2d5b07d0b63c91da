"""Forms for signing in, setting passwords and two-factor sign-in."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length, Optional

from portal.domain.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from portal.forms_common import EmailAddress


class SignInForm(FlaskForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[InputRequired("Enter your email address"), EmailAddress()],
    )
    password = PasswordField("Password", widget=GovPasswordInput(), validators=[InputRequired("Enter your password")])
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[InputRequired("Enter your email address"), EmailAddress()],
    )
    submit = SubmitField("Send reset link", widget=GovSubmitInput())


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        description=(
            f"Use {MIN_PASSWORD_LENGTH} characters or more. "
            "A phrase of several words is easy to remember and hard to guess."
        ),
        validators=[
            InputRequired("Enter a new password"),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=MAX_PASSWORD_LENGTH,
                message=f"Password must be {MIN_PASSWORD_LENGTH} characters or more",
            ),
        ],
    )
    confirm = PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Confirm your new password"), EqualTo("password", "Passwords must match")],
    )
    submit = SubmitField("Set password", widget=GovSubmitInput())


class SecurityCodeForm(FlaskForm):
    """A code from an authenticator app, or a recovery code (signing in and confirming a change)."""

    code = StringField(
        "Security code",
        widget=GovTextInput(),
        description="The 6-digit code your authenticator app shows now, or one of your recovery codes",
        validators=[InputRequired("Enter your security code"), Length(max=40, message="Enter a correct security code")],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class SetUpCodeForm(FlaskForm):
    """The first code from a newly added authenticator app, which proves it was set up right."""

    code = StringField(
        "Code from your authenticator app",
        widget=GovTextInput(),
        description="Enter the 6-digit code the app shows for this service",
        validators=[InputRequired("Enter the 6-digit code from your authenticator app"), Length(max=40)],
    )
    # Only when moving to a new app: proof the user still holds the old one (portal/services/people/mfa.py).
    current_code = StringField(
        "Code from your current authenticator app",
        widget=GovTextInput(),
        description="Or one of your recovery codes",
        validators=[Optional(), Length(max=40)],
    )
    submit = SubmitField("Turn on two-factor sign-in", widget=GovSubmitInput())


class SignOutEverywhereForm(FlaskForm):
    submit = SubmitField("Sign out everywhere", widget=GovSubmitInput())
