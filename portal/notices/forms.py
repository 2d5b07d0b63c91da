"""The form recording a notice's publication. It checks the shape of answers; the service checks the rules."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
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
