"""The form recording a notice's publication. It checks the shape of answers; the service checks the rules."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovFileInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Regexp

from portal.forms_common import GovDateField, RequiredDate, strip_filter


class PrepareForm(FlaskForm):
    submit = SubmitField("Prepare the notice", widget=GovSubmitInput())


class PublicationForm(FlaskForm):
    platform_notice_id = StringField(
        "Notice identifier",
        widget=GovTextInput(),
        filters=[strip_filter],
        description="As the platform shows it, for example, 2026/S 000-012345",
        validators=[InputRequired("Enter the notice identifier")],
    )
    published_on = GovDateField(
        "Date published",
        description="For example, 10 3 2026",
        validators=[RequiredDate("Enter the date the notice was published")],
    )
    published_time = StringField(
        "Time published (UK time)",
        widget=GovTextInput(),
        filters=[strip_filter],
        description="24-hour clock, for example, 09:30",
        validators=[
            InputRequired("Enter the time the notice was published"),
            Regexp(r"^([01]?[0-9]|2[0-3]):[0-5][0-9]$", message="Enter the time like 09:30"),
        ],
    )
    submit = SubmitField("Record publication", widget=GovSubmitInput())


class RedactedCopyForm(FlaskForm):
    """A redacted copy of the signed contract to publish with the UK7 (the service checks it is a PDF)."""

    redacted_file = FileField("Upload the redacted copy", widget=GovFileInput())
    redaction_note = TextAreaField(
        "What you redacted and why (optional)",
        widget=GovTextArea(),
        filters=[strip_filter],
        description="For example, the supplier's day rates in Schedule 2, which are commercially sensitive",
    )
    upload_copy = SubmitField("Publish the redacted copy", widget=GovSubmitInput())


class UnredactedForm(FlaskForm):
    """The buyer's confirmation that the signed contract is published in full, with the reason."""

    confirm_unredacted = BooleanField(
        "Nothing in the signed contract is exempt from publication, so it is published in full",
        widget=GovCheckboxInput(),
    )
    unredacted_reason = TextAreaField(
        "Why nothing in it is exempt",
        widget=GovTextArea(),
        filters=[strip_filter],
        description="For example, reviewed by the force's legal team on 3 March 2027: no commercially sensitive or "
        "security information",
    )
    publish_in_full = SubmitField("Publish the signed contract in full", widget=GovSubmitInput())
