"""Forms for the competition builder. They check the shape of answers (numbers, dates, times); the rules
(term limits, weights, timetable, narrowing) live in the services.

Times are typed in UK time (Europe/London) as a date plus a 24-hour time and converted to UTC here, the
one place where the two meet on the way in. The award criteria's forms are in criteria_forms.py.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import Field, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

from portal.domain.money import MoneyError, parse_pounds, pence_to_pounds_text
from portal.domain.scoring import PRICE_METHODS
from portal.domain.timefmt import LONDON, london
from portal.forms_common import ChoiceRadioField, GovDateField, RequiredDate, WholeNumberField, strip_filter

PRICE_METHOD_CHOICES = [SelectChoice(key, method.label) for key, method in PRICE_METHODS.items()]

_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$", re.IGNORECASE)


class MoneyField(Field):
    """An amount in pounds, parsed to integer pence (never through float)."""

    widget = GovTextInput()

    def __init__(self, label: str, message: str, **kwargs):
        super().__init__(label, **kwargs)
        self.message = message

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return pence_to_pounds_text(self.data) if self.data is not None else ""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not text:
            return
        try:
            self.data = parse_pounds(text)
        except MoneyError as error:
            raise ValueError(self.message) from error


class DecimalTextField(Field):
    """A number such as a weight or a score, typed as text, kept as an exact Decimal."""

    widget = GovTextInput()

    def __init__(self, label: str = "", message: str = "Enter a number", *, places: int = 2, low=0, high=100, **kw):
        super().__init__(label, **kw)
        self.message, self.places, self.low, self.high = message, places, Decimal(low), Decimal(high)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data.normalize():f}"

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip().rstrip("%").strip()
        self.data = None
        if not text:
            return
        try:
            value = Decimal(text)
        except InvalidOperation as error:
            raise ValueError(self.message) from error
        if not value.is_finite() or not self.low <= value <= self.high or value != round(value, self.places):
            raise ValueError(self.message)
        self.data = value


def parse_time(text: str) -> time:
    """'17:00', '9:30', '5pm', '5.30pm' -> a wall-clock time; ValueError otherwise."""
    match = _TIME.match(text.strip())
    if not match:
        raise ValueError(text)
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match.group(2) is None:
        raise ValueError(text)  # a bare '17' is ambiguous: ask for 17:00
    return time(hour, minute)


def london_instant(form, date_field: str, time_field: str, label: str) -> datetime | None:
    """The UTC instant of a London date and time typed in two fields; errors go on the fields. None if blank."""
    day_field, clock_field = getattr(form, date_field), getattr(form, time_field)
    text = (clock_field.data or "").strip()
    if day_field.data is None and not text:
        return None
    if day_field.data is None:
        return None  # the date field's own error (or the service's) says what is missing
    try:
        clock = parse_time(text)
    except ValueError:
        clock_field.errors = [*clock_field.errors, f"Enter the {label} time in 24-hour format, like 17:00"]
        return None
    local = datetime.combine(day_field.data, clock, tzinfo=LONDON)
    instant = local.astimezone(UTC)
    if london(instant).replace(tzinfo=None) != local.replace(tzinfo=None):
        clock_field.errors = [*clock_field.errors, f"{clock:%H:%M} does not exist on that day: the clocks go forward"]
        return None
    return instant


def time_text(instant: datetime | None) -> str:
    return "" if instant is None else f"{london(instant):%H:%M}"


class NewCompetitionForm(FlaskForm):
    lot_id = ChoiceRadioField("Framework and lot", "Select a framework lot", coerce=int, choices=[])
    title = StringField(
        "Competition title",
        widget=GovTextInput(),
        filters=[strip_filter],
        description="For example, Social media management platform for Surrey Police",
        validators=[
            InputRequired("Enter a title for the competition"),
            Length(max=200, message="Title must be 200 characters or fewer"),
        ],
    )
    submit = SubmitField("Start competition", widget=GovSubmitInput())


class DetailsForm(FlaskForm):
    title = StringField(
        "Competition title",
        widget=GovTextInput(),
        filters=[strip_filter],
        validators=[
            InputRequired("Enter a title for the competition"),
            Length(max=200, message="Title must be 200 characters or fewer"),
        ],
    )
    statement_of_requirements = TextAreaField(
        "Statement of requirements",
        widget=GovTextArea(),
        filters=[strip_filter],
        description="What you need, for whom, and any constraints. Suppliers read this before they bid.",
        validators=[InputRequired("Enter the statement of requirements")],
    )
    estimated_value = MoneyField(
        "Estimated value",
        "Enter the estimated value in pounds, like 45000",
        description="The total over the contract term, in pounds, excluding VAT",
        validators=[InputRequired("Enter the estimated value, like 45000")],
    )
    term_months = WholeNumberField(
        "Contract term in months",
        "Contract term must be a whole number of months, like 24",
        validators=[InputRequired("Enter the contract term in months, like 24")],
    )
    planned_start_on = GovDateField(
        "Planned start date",
        "Planned start date",
        description="For example, 1 4 2027",
        validators=[RequiredDate("Enter the planned start date")],
    )
    submit = SubmitField("Save and continue", widget=GovSubmitInput())


class TimetableForm(FlaskForm):
    clarification_date = GovDateField(
        "Date", "Clarification deadline date", validators=[RequiredDate("Enter the clarification deadline date")]
    )
    clarification_time = StringField(
        "Time",
        widget=GovTextInput(),
        filters=[strip_filter],
        validators=[InputRequired("Enter the clarification deadline time, like 17:00")],
    )
    submission_date = GovDateField(
        "Date", "Submission deadline date", validators=[RequiredDate("Enter the submission deadline date")]
    )
    submission_time = StringField(
        "Time",
        widget=GovTextInput(),
        filters=[strip_filter],
        validators=[InputRequired("Enter the submission deadline time, like 12:00")],
    )
    evaluation_on = GovDateField(
        "Planned evaluation date",
        "Planned evaluation date",
        description="When evaluators will start scoring, for example, 15 1 2027",
        validators=[RequiredDate("Enter the planned evaluation date")],
    )
    award_on = GovDateField(
        "Planned award date",
        "Planned award date",
        description="For example, 1 2 2027",
        validators=[RequiredDate("Enter the planned award date")],
    )
    submit = SubmitField("Save and continue", widget=GovSubmitInput())


class OptionalCheckboxesField(SelectMultipleField):
    """Checkboxes where ticking none is a valid answer; an unknown value gets the GOV.UK 'Select ...' message."""

    widget = GovCheckboxesInput()

    def pre_validate(self, form):
        if self.data and not set(self.data) <= {c.value for c in self.choices}:
            raise ValidationError("Select capabilities from the list")


class SuppliersForm(FlaskForm):
    capability_ids = OptionalCheckboxesField(
        "Required capabilities (optional)",
        coerce=int,
        choices=[],
        description="Only suppliers claiming every capability you select are invited. Leave all unticked to "
        "invite every active supplier on the lot.",
    )
    narrowing_reason = TextAreaField(
        "Why are only these suppliers invited?",
        widget=GovTextArea(),
        filters=[strip_filter],
        description="Needed if you select any capability. It is recorded with the competition.",
    )
    submit = SubmitField("Save and continue", widget=GovSubmitInput())


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        "Reason",
        widget=GovCharacterCount(),
        filters=[strip_filter],
        validators=[
            InputRequired("Enter a reason"),
            Length(max=2000, message="Reason must be 2,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Confirm", widget=GovSubmitInput())


class ExtendForm(ReasonForm):
    new_date = GovDateField("Date", "New deadline date", validators=[RequiredDate("Enter the new deadline date")])
    new_time = StringField(
        "Time",
        widget=GovTextInput(),
        filters=[strip_filter],
        validators=[InputRequired("Enter the new deadline time, like 12:00")],
    )


class PublishForm(FlaskForm):
    submit = SubmitField("Publish competition", widget=GovSubmitInput())


def price_form(competition, tie_break_choices) -> FlaskForm:
    """Quantities (`quantity_<price item id>`), price method, budget, tie-break rules and threshold."""

    class PriceForm(FlaskForm):
        price_method = ChoiceRadioField(
            "How is price scored?", "Select how price is scored", choices=PRICE_METHOD_CHOICES
        )
        budget = MoneyField(
            "Budget for the linear method",
            "Enter the budget in pounds, like 60000",
            description="Only for the linear method: a price at or above the budget scores 0",
        )
        tie_break_1 = SelectField("First tie-break rule", widget=GovSelect(), choices=tie_break_choices)
        tie_break_2 = SelectField(
            "Second tie-break rule (optional)",
            widget=GovSelect(),
            choices=[SelectChoice("", "None"), *tie_break_choices],
        )
        abnormally_low_percent = DecimalTextField(
            "Abnormally low price threshold",
            "The threshold must be a number between 1 and 99, like 20",
            description="A price more than this far below the mean of the other bids is flagged, and the supplier "
            "is asked to explain it before any rejection",
            low=1,
            high=99,
            validators=[InputRequired("Enter the abnormally low price threshold, like 20")],
        )
        submit = SubmitField("Save and continue", widget=GovSubmitInput())

    for item in competition.lot.price_items:
        field = WholeNumberField(
            item.name,
            f"Quantity of {item.name} must be a whole number, like 10",
            description=f"Unit: {item.unit}; charged {item.basis_label}",
        )
        setattr(PriceForm, f"quantity_{item.id}", field)
    form = PriceForm()
    if not form.is_submitted():
        quantities = {line.price_item_id: line.quantity for line in competition.schedule_lines}
        for item in competition.lot.price_items:
            getattr(form, f"quantity_{item.id}").data = quantities.get(item.id, 0 if quantities else None)
        rules = [r for r in (competition.tie_break or "").split(",") if r]
        form.price_method.data = competition.price_method
        form.budget.data = competition.price_budget_pence
        form.tie_break_1.data = rules[0] if rules else None
        form.tie_break_2.data = rules[1] if len(rules) > 1 else ""
        form.abnormally_low_percent.data = competition.abnormally_low_percent
    return form
