"""Forms for the contract pages. They check the shape of answers; the services check the rules."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from portal.forms_common import strip_filter


class ConfirmForm(FlaskForm):
    """A single CSRF-protected button."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class KpiForm(FlaskForm):
    title = StringField(
        "KPI",
        widget=GovTextInput(),
        filters=[strip_filter],
        description="A short name, for example, Platform availability",
        validators=[
            InputRequired("Enter the KPI's title"),
            Length(max=200, message="Title must be 200 characters or fewer"),
        ],
    )
    measure = TextAreaField(
        "How it is measured",
        widget=GovTextArea(),
        filters=[strip_filter],
        description=(
            "What is measured, how and how often, for example, Percentage of minutes in the month the platform "
            "is available, excluding agreed maintenance"
        ),
        validators=[InputRequired("Enter how the KPI is measured")],
    )
    target = StringField(
        "Target",
        widget=GovTextInput(),
        filters=[strip_filter],
        description="For example, 99.9 % each month",
        validators=[
            InputRequired("Enter the KPI's target"),
            Length(max=200, message="Target must be 200 characters or fewer"),
        ],
    )
    submit = SubmitField("Save KPI", widget=GovSubmitInput())


class SignForm(FlaskForm):
    signer_name = StringField(
        "Your full name",
        widget=GovTextInput(),
        filters=[strip_filter],
        validators=[
            InputRequired("Enter your full name"),
            Length(max=200, message="Full name must be 200 characters or fewer"),
        ],
    )
    signer_role = StringField(
        "Your role",
        widget=GovTextInput(),
        filters=[strip_filter],
        description="Your job title or the capacity in which you sign, for example, Head of Procurement",
        validators=[InputRequired("Enter your role"), Length(max=200, message="Role must be 200 characters or fewer")],
    )
    confirm = BooleanField(
        "I am signing this contract",
        widget=GovCheckboxInput(),
        validators=[InputRequired("Confirm that you are signing the contract")],
    )
    submit = SubmitField("Sign the contract", widget=GovSubmitInput())
