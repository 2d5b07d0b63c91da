"""Forms for frameworks, lots, capabilities and price items. They check the shape of answers;
the term rules (PA 2023 s.47 and friends) and uniqueness live in the services."""

from __future__ import annotations

from typing import TypeVar

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    Field,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from portal.domain import framework_term as term
from portal.domain.roles import BankHolidayRegion, OrganisationType
from portal.forms_common import ChoiceRadioField, GovDateField, RequiredDate, WholeNumberField, strip_filter
from portal.services.frameworks.editing import FrameworkDetails

REGIME_CHOICES = [SelectChoice(r.value, r.label) for r in term.Regime]
REGION_CHOICES = [SelectChoice(r.value, r.label) for r in BankHolidayRegion]
BUYER_TYPE_CHOICES = [SelectChoice(t.value, t.label) for t in OrganisationType]
BASIS_CHOICES = [SelectChoice("per_month", "Per month"), SelectChoice("one_off", "One-off")]

_Value = TypeVar("_Value")


def _validated(value: _Value | None) -> _Value:
    """A required field's value: read after validation, which refuses a blank one."""
    if value is None:
        raise ValueError("a required field was read before the form was validated")
    return value


class ChoiceCheckboxesField(SelectMultipleField):
    """Checkboxes with the GOV.UK 'Select ...' message for a missing or unknown answer."""

    widget = GovCheckboxesInput()

    def __init__(self, label: str, required_message: str, **kwargs):
        super().__init__(label, validators=[InputRequired(required_message)], **kwargs)
        self.required_message = required_message

    def pre_validate(self, form):
        if self.data and not set(self.data) <= {c.value for c in self.choices}:
            raise ValidationError(self.required_message)


class MonthsListField(Field):
    """Extension option lengths as '12, 12'; blank means no options."""

    widget = GovTextInput()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return ", ".join(str(m) for m in self.data or [])

    def process_formdata(self, valuelist):
        self.data = []
        text = (valuelist[0] if valuelist else "").replace(" and ", ",")
        pieces = [p.strip() for p in text.split(",") if p.strip()]
        try:
            self.data = [int(p) for p in pieces]
        except ValueError as error:
            raise ValueError(
                "Extension options must be whole numbers of months separated by commas, like 12, 12"
            ) from error


class FrameworkForm(FlaskForm):
    reference = StringField(
        "Reference",
        widget=GovTextInput(),
        description="A short unique code, like PDS-SMM-2021",
        filters=[strip_filter],
        validators=[
            InputRequired("Enter a reference"),
            Length(max=40, message="Reference must be 40 characters or fewer"),
        ],
    )
    name = StringField(
        "Name",
        widget=GovTextInput(),
        filters=[strip_filter],
        validators=[InputRequired("Enter a name"), Length(max=200, message="Name must be 200 characters or fewer")],
    )
    description = TextAreaField("Description (optional)", widget=GovTextArea(), filters=[strip_filter])
    regime = ChoiceRadioField(
        "Legal regime",
        "Select the legal regime",
        choices=REGIME_CHOICES,
        description="Frameworks let from 24 February 2025 are under the Procurement Act 2023",
    )
    start_on = GovDateField(
        "Start date",
        "Start date",
        description="For example, 1 4 2021",
        validators=[RequiredDate("Enter the start date")],
    )
    initial_end_on = GovDateField(
        "Initial end date",
        "Initial end date",
        description="The last day of the term before any extension, for example, 31 3 2023",
        validators=[RequiredDate("Enter the initial end date")],
    )
    extension_months = MonthsListField(
        "Extension options (optional)",
        description=(
            "The length of each optional extension in months, in the order they would be exercised. "
            "For a 2 + 1 + 1 year framework enter 12, 12. Leave blank if there are none."
        ),
    )
    max_call_off_months = WholeNumberField(
        "Maximum call-off term in months",
        "Maximum call-off term must be a whole number of months, like 36",
        description="The longest contract a buyer may award under this framework, including its extensions",
        validators=[
            InputRequired("Enter the maximum call-off term"),
            NumberRange(min=1, message="Maximum call-off term must be at least 1 month"),
        ],
    )
    min_bid_period_days = WholeNumberField(
        "Minimum bid period in days",
        "Minimum bid period must be a whole number of days, like 10",
        description="The shortest time suppliers may be given to bid in a mini-competition",
        validators=[
            InputRequired("Enter the minimum bid period"),
            NumberRange(min=0, message="Minimum bid period must be 0 days or more"),
        ],
    )
    bank_holiday_region = ChoiceRadioField(
        "Bank holidays",
        "Select the bank holiday region",
        choices=REGION_CHOICES,
        default=BankHolidayRegion.ENGLAND_AND_WALES.value,
        description="Working days (for standstill and deadlines) exclude this region's bank holidays",
    )
    buyer_types = ChoiceCheckboxesField(
        "Who may use this framework",
        "Select which types of buyer organisation may use the framework",
        choices=BUYER_TYPE_CHOICES,
        description="Select all that apply",
    )
    submit = SubmitField("Save framework", widget=GovSubmitInput())

    def details(self) -> FrameworkDetails:
        return FrameworkDetails(
            reference=self.reference.data,
            name=self.name.data,
            description=self.description.data or "",
            regime=self.regime.data,
            start_on=_validated(self.start_on.data),
            initial_end_on=_validated(self.initial_end_on.data),
            extension_months=list(self.extension_months.data or []),
            max_call_off_months=_validated(self.max_call_off_months.data),
            min_bid_period_days=_validated(self.min_bid_period_days.data),
            bank_holiday_region=self.bank_holiday_region.data,
            buyer_types=list(self.buyer_types.data or []),
        )

    @classmethod
    def for_framework(cls, framework) -> FrameworkForm:
        form = cls(obj=framework)
        if not form.is_submitted():
            form.extension_months.data = [o.months for o in framework.extension_options]
            form.buyer_types.data = framework.buyer_type_values
        return form


class ValuesForm(FlaskForm):
    """A form whose answers go to a service as keyword arguments."""

    value_fields: tuple[str, ...] = ()

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in self.value_fields}


class LotForm(ValuesForm):
    value_fields = ("number", "title", "description", "cpv_code")
    number = WholeNumberField(
        "Lot number",
        "Lot number must be a whole number, like 1",
        validators=[InputRequired("Enter the lot number"), NumberRange(min=1, message="Lot number must be 1 or more")],
    )
    title = StringField(
        "Title",
        widget=GovTextInput(),
        filters=[strip_filter],
        description="For example, Social media management platform",
        validators=[
            InputRequired("Enter a lot title"),
            Length(max=200, message="Title must be 200 characters or fewer"),
        ],
    )
    description = TextAreaField("Description (optional)", widget=GovTextArea(), filters=[strip_filter])
    cpv_code = StringField(
        "CPV code (optional)",
        widget=GovTextInput(),
        filters=[strip_filter],
        description="The Common Procurement Vocabulary code of what the lot buys, as in the framework's own notice, "
        "for example 72000000-5. Transparency notices classify the lot's call-offs by it.",
    )
    submit = SubmitField("Save lot", widget=GovSubmitInput())


class CapabilityForm(ValuesForm):
    value_fields = ("name", "description", "position")
    name = StringField(
        "Capability",
        widget=GovTextInput(),
        filters=[strip_filter],
        description="What the lot's services can do, for example, 24/7 digital contact channel",
        validators=[
            InputRequired("Enter the capability's name"),
            Length(max=200, message="Capability must be 200 characters or fewer"),
        ],
    )
    description = TextAreaField("Description (optional)", widget=GovTextArea(), filters=[strip_filter])
    position = WholeNumberField(
        "Position in the list (optional)",
        "Position must be a whole number, like 3",
        description="Capabilities are listed from the lowest number; leave blank to add it at the end",
        validators=[Optional()],
    )
    submit = SubmitField("Save capability", widget=GovSubmitInput())


class PriceItemForm(ValuesForm):
    value_fields = ("name", "unit", "basis")
    name = StringField(
        "Price item",
        widget=GovTextInput(),
        filters=[strip_filter],
        description="For example, User licence or Onboarding",
        validators=[
            InputRequired("Enter the price item's name"),
            Length(max=200, message="Price item must be 200 characters or fewer"),
        ],
    )
    unit = StringField(
        "Unit",
        widget=GovTextInput(),
        filters=[strip_filter],
        description="What one unit is, for example, per user licence or per day",
        validators=[
            InputRequired("Enter the unit, like per user licence"),
            Length(max=100, message="Unit must be 100 characters or fewer"),
        ],
    )
    basis = ChoiceRadioField("How is it charged?", "Select how the price is charged", choices=BASIS_CHOICES)
    submit = SubmitField("Save price item", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A confirmation page's single button (CSRF-protected POST)."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


MECHANISM_CHOICES = [
    SelectChoice("lowest_cost", "Lowest whole-life cost among capable suppliers"),
    SelectChoice("highest_ranking", "Highest framework ranking among capable suppliers"),
]
TIE_BREAK_CHOICES = [
    SelectChoice("", "None"),
    SelectChoice("framework_ranking", "Better framework ranking"),
    SelectChoice("lower_cost", "Lower whole-life cost"),
]


class DirectAwardSettingsForm(FlaskForm):
    """A lot's direct award settings: allowed or not, the objective mechanism, and the tie-breaks in order."""

    direct_award_allowed = ChoiceRadioField(
        "Can buyers award call-offs on this lot directly?",
        "Select yes if buyers can award directly",
        choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No, only by mini-competition")],
    )
    selection_mechanism = ChoiceRadioField(
        "Selection mechanism",
        "Select the selection mechanism",
        choices=MECHANISM_CHOICES,
        description="The objective rule that picks the supplier; capable suppliers meet every essential capability "
        "and hold every required accreditation",
    )
    tie_break_first = SelectField("First tie-break", choices=TIE_BREAK_CHOICES, widget=GovSelect())
    tie_break_second = SelectField("Second tie-break", choices=TIE_BREAK_CHOICES, widget=GovSelect())
    submit = SubmitField("Save direct award settings", widget=GovSubmitInput())

    def tie_breaks(self) -> list[str]:
        return [t for t in (self.tie_break_first.data, self.tie_break_second.data) if t]
