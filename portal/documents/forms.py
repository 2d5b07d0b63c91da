"""The public "check a document" form: a PDF to upload or a SHA-256 to paste."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField

from portal.forms_common import strip_filter


class CheckDocumentForm(FlaskForm):
    file = FileField("Upload the PDF", widget=GovFileInput())
    sha256 = StringField("Or paste its SHA-256", widget=GovTextInput(), filters=[strip_filter])
    submit = SubmitField("Check the document", widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not self.file.data and not self.sha256.data:
            self.file.errors = [*self.file.errors, "Select a PDF to check, or paste its SHA-256"]
            return False
        return True
