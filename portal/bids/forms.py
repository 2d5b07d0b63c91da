"""Forms for the supplier's bid. They check shape only; word limits, prices and files are judged by the services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional, StopValidation

from portal.forms_common import strip_filter


class KnownChoice(RadioField):
    """Radios whose only error, a missing or unknown answer alike, is one GOV.UK 'Select ...' message."""

    widget = GovRadioInput()

    def __init__(self, label: str, message: str | None = None, **kwargs):
        validators = [InputRequired(message)] if message else [Optional()]
        super().__init__(label, validators=validators, **kwargs)
        self.message = message or "Select an answer"

    def pre_validate(self, form):
        if self.data not in (None, "") and self.data not in {c.value for c in self.choices}:
            raise StopValidation(self.message)


class DecisionForm(FlaskForm):
    decision = KnownChoice(
        "Will you bid for this competition?",
        "Select whether you will bid",
        choices=[SelectChoice("bidding", "Yes, we will bid"), SelectChoice("declined", "No, we decline")],
    )
    reason = TextAreaField(
        "If you decline, tell the buyer why (optional)",
        filters=[strip_filter],
        widget=GovTextArea(),
    )
    submit = SubmitField("Save decision", widget=GovSubmitInput())


class QualityAnswerForm(FlaskForm):
    text = TextAreaField("Your answer", filters=[strip_filter], widget=GovCharacterCount())
    submit = SubmitField("Save draft", widget=GovSubmitInput())


class PassFailAnswerForm(FlaskForm):
    passed = KnownChoice(
        "Your answer", "Select yes or no", choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")]
    )
    text = TextAreaField("Evidence", filters=[strip_filter], widget=GovTextArea())
    submit = SubmitField("Save draft", widget=GovSubmitInput())

    def passed_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.passed.data or "")


class AttachmentForm(FlaskForm):
    file = FileField("Upload a file", widget=GovFileInput())
    criterion = SelectField("Which part of your bid does it support?", widget=GovSelect())
    submit = SubmitField("Upload file", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    submit = SubmitField("Confirm", widget=GovSubmitInput())


def prices_form(lines, data=None):
    """A form with one unit-price field per price schedule line, named price_<line id>."""

    class PricesForm(FlaskForm):
        submit = SubmitField("Save draft", widget=GovSubmitInput())

    for line in lines:
        field = StringField(
            f"Unit price for {line.price_item.name}",
            description=f"In pounds, {line.price_item.unit}",
            filters=[strip_filter],
            widget=GovTextInput(),
        )
        setattr(PricesForm, f"price_{line.id}", field)
    return PricesForm(data=data)
