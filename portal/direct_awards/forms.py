"""Forms for the direct award journey. They check the shape of answers; the rules live in the services."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from portal.domain.direct_award import Requirement, requirement_errors
from portal.forms_common import (
    ChoiceRadioField,
    GovDateField,
    RequiredDate,
    WholeNumberField,
    standstill_choice_field,
    strip_filter,
)


class LotForm(FlaskForm):
    lot_id = ChoiceRadioField(
        "Which framework lot do you want to award under?", "Select a framework and lot", coerce=int
    )
    submit = SubmitField("Save and continue", widget=GovSubmitInput())


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes whose unknown values are left for the service to refuse (with a GOV.UK message)."""

    widget = GovCheckboxesInput()

    def pre_validate(self, form):
        pass


class RequirementForm(FlaskForm):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        filters=[strip_filter],
        description="For example, Social media management platform for the corporate communications team",
        validators=[
            InputRequired("Enter a title"),
            Length(max=200, message="Title must be 200 characters or fewer"),
        ],
    )
    statement = TextAreaField(
        "Statement of requirements",
        widget=GovTextArea(),
        filters=[strip_filter],
        description="What you need, who will use it and any constraints",
        validators=[InputRequired("Enter the statement of requirements")],
    )
    capability_ids = MultiCheckboxField(
        "Essential capabilities", coerce=int, description="Only suppliers that claim every one are capable"
    )
    schemes = MultiCheckboxField(
        "Required accreditations (optional)",
        description="Suppliers must hold each one, valid on the planned start date",
    )
    term_months = WholeNumberField(
        "Contract term in months",
        "Contract term must be a whole number of months, like 24",
        validators=[InputRequired("Enter the contract term in months")],
    )
    planned_start_on = GovDateField(
        "Planned start date",
        "Planned start date",
        description="Prices that apply on this date are used. For example, 1 4 2027",
        validators=[RequiredDate("Enter the planned start date")],
    )
    submit = SubmitField("Save and continue", widget=GovSubmitInput())

    # Set by the view: the framework's maximum call-off term, so every error shows at once (the service checks too).
    max_call_off_months: int | None = None

    def validate_capability_ids(self, field):
        if not field.data:
            raise ValidationError("Select at least one essential capability")

    def validate_term_months(self, field):
        if field.data is not None and self.max_call_off_months is not None:
            check = Requirement(frozenset({0}), frozenset(), field.data, date.min)
            if message := requirement_errors(check, [], self.max_call_off_months).get("term_months"):
                raise ValidationError(message)


def quantities_form(items, data=None):
    """One whole-number field per price item of the lot, named quantity_<price item id>."""

    class QuantitiesForm(FlaskForm):
        submit = SubmitField("Save and continue", widget=GovSubmitInput())

    for item in items:
        field = WholeNumberField(
            item.name,
            f"The quantity for {item.name} must be a whole number, 0 or more",
            description=f"{item.unit} ({item.basis_label}). Enter 0 if you do not need it",
            validators=[InputRequired(f"Enter a quantity for {item.name}")],
        )
        setattr(QuantitiesForm, f"quantity_{item.id}", field)
    return QuantitiesForm(data=data)


class RecommendForm(FlaskForm):
    # Only the mechanism's selection is offered; any other posted id reaches the service, which says why it is refused.
    supplier_id = ChoiceRadioField(
        "Which supplier are you awarding the contract to?", "Select a supplier", coerce=int, validate_choice=False
    )
    justification = TextAreaField(
        "Justification",
        widget=GovTextArea(),
        filters=[strip_filter],
        description="Why a direct award is right here and how the supplier was selected. This is kept as evidence",
        validators=[InputRequired("Enter the justification for the award")],
    )
    standstill = standstill_choice_field()
    submit = SubmitField("Recommend the award", widget=GovSubmitInput())


class ApproveForm(FlaskForm):
    submit = SubmitField("Approve the award", widget=GovSubmitInput())


class FreezeForm(FlaskForm):
    submit = SubmitField("Freeze the shortlist", widget=GovSubmitInput())


class CompeteForm(FlaskForm):
    """Start a mini-competition with this award's requirement (only a button: the CSRF token is the form)."""

    submit = SubmitField("Start a mini-competition with this requirement", widget=GovSubmitInput())


class AcceptForm(FlaskForm):
    submit = SubmitField("Accept the award", widget=GovSubmitInput())


class CancelForm(FlaskForm):
    reason = TextAreaField(
        "Why are you cancelling this direct award?",
        widget=GovTextArea(),
        filters=[strip_filter],
        validators=[InputRequired("Enter the reason for cancelling")],
    )
    submit = SubmitField("Cancel the direct award", widget=GovSubmitInput())
