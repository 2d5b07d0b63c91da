"""Forms for the contract pages. They check the shape of answers; the services check the rules."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
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


def _particular(label: str, hint: str) -> TextAreaField:
    return TextAreaField(label, widget=GovTextArea(), filters=[strip_filter], description=hint)


YES_NO = [SelectChoice("yes", "Yes"), SelectChoice("no", "No")]


class DataProtectionForm(FlaskForm):
    """The data protection schedule (UK GDPR Article 28(3)); the service checks which answers are required."""

    processes_personal_data = RadioField(
        "Will the supplier process personal data for the buyer under this contract?",
        widget=GovRadioInput(),
        choices=[
            SelectChoice("yes", "Yes"),
            SelectChoice("no", "No, no personal data is processed under this contract"),
        ],
        validate_choice=False,
    )
    subject_matter = _particular(
        "Subject matter of the processing", "For example, hosting and moderating the social media accounts of the force"
    )
    duration = _particular(
        "Duration of the processing", "For example, the term of the contract and up to 3 months of exit assistance"
    )
    nature_and_purpose = _particular(
        "Nature and purpose of the processing",
        "What the supplier does with the data and why, for example, storing, publishing and analysing messages to "
        "engage with the public",
    )
    personal_data_types = _particular(
        "Types of personal data", "For example, names, social media handles, message content, images"
    )
    data_subject_categories = _particular(
        "Categories of data subjects", "For example, members of the public who contact the force, officers and staff"
    )
    law_enforcement_processing = RadioField(
        "Is the processing law-enforcement processing under Part 3 of the Data Protection Act 2018?",
        widget=GovRadioInput(),
        choices=YES_NO,
        validate_choice=False,
        description="Processing by a competent authority for the prevention, investigation, detection or prosecution "
        "of criminal offences or the execution of criminal penalties",
    )
    submit = SubmitField("Save the data protection schedule", widget=GovSubmitInput())
