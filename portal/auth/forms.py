"""Forms for signing in and setting passwords."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length

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
