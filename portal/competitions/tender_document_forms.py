"""Forms for tender documents. They check shape only; files, titles and notes are judged by the service."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovFileInput, GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from portal.forms_common import ChoiceRadioField, strip_filter
from portal.services.competitions.tender_documents import MAX_NOTE, MAX_TITLE, TYPE_LABELS


class _NoteMixin:
    change_note = TextAreaField(
        "What has changed",
        widget=GovCharacterCount(),
        filters=[strip_filter],
        validators=[Length(max=MAX_NOTE, message=f"What has changed must be {MAX_NOTE:,} characters or fewer")],
    )


class AddDocumentForm(FlaskForm, _NoteMixin):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        filters=[strip_filter],
        validators=[
            InputRequired("Enter a title"),
            Length(max=MAX_TITLE, message=f"Title must be {MAX_TITLE} characters or fewer"),
        ],
    )
    document_type = ChoiceRadioField(
        "Type of document",
        "Select the type of document",
        choices=[SelectChoice(key, label) for key, label in TYPE_LABELS.items()],
    )
    file = FileField("Upload a file", widget=GovFileInput())
    submit = SubmitField("Add document", widget=GovSubmitInput())


class ReplaceDocumentForm(FlaskForm, _NoteMixin):
    file = FileField("Upload the new version", widget=GovFileInput())
    submit = SubmitField("Upload new version", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    submit = SubmitField("Remove document", widget=GovSubmitInput())


class ExtendPromptForm(FlaskForm):
    extend = ChoiceRadioField(
        "Do you want to extend the submission deadline?",
        "Select yes if you want to extend the submission deadline",
        choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())
