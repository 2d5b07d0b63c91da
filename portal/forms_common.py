"""Validators, fields and the service-error helper shared by every blueprint's forms."""

from __future__ import annotations

from datetime import date, datetime

from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from govuk_frontend_wtf.main import wtforms_errors as _wtforms_errors
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import DateField, Form, IntegerField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, StopValidation, ValidationError

from portal.domain import parties
from portal.domain.whole_numbers import MAX_ID, page_number
from portal.services.errors import ServiceError

EMAIL_FORMAT_MESSAGE = "Enter an email address in the correct format, like name@example.com"


class EmailAddress:
    """Checks the shape of an address without DNS; allows reserved domains such as .example."""

    def __init__(self, message: str = EMAIL_FORMAT_MESSAGE):
        self.message = message

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        address = field.data.strip()
        local, _, domain = address.rpartition("@")
        try:
            # Reserved names (.example, .test) are refused by email-validator as undeliverable; the
            # portal's demo and test accounts use them, so only the syntax is checked, on a stand-in
            # domain of the same shape.
            validate_email(f"{local}@{_stand_in(domain)}", check_deliverability=False)
        except EmailNotValidError as exc:
            raise ValidationError(self.message) from exc
        field.data = address.lower()


_RESERVED_TLDS = ("example", "test", "invalid", "localhost")


def _stand_in(domain: str) -> str:
    labels = domain.lower().split(".")
    if labels and labels[-1] in _RESERVED_TLDS:
        labels[-1] = "com"
    if len(labels) >= 2 and labels[-2] == "example":
        labels[-2] = "sample"
    return ".".join(labels)


class FilterForm(FlaskForm):
    """A GET form whose state lives in the URL: no CSRF token, which would clutter shareable links."""

    class Meta:
        csrf = False


def attach_error(form: Form, error: ServiceError, default_field: str = "submit") -> None:
    """Show a service's refusal beside the answer it names, or on `default_field` (the button unless a caller
    says otherwise) when it names none or one this form lacks, so the GOV.UK error summary links to it.

    The errors are a new list: before validation WTForms holds them in a tuple."""
    field = form[error.field] if error.field and error.field in form else form[default_field]
    field.errors = [*field.errors, error.message]


class ChoiceRadioField(RadioField):
    """Radios whose only error, missing or unknown answer alike, is the GOV.UK 'Select ...' message."""

    widget = GovRadioInput()

    def __init__(self, label: str, required_message: str, **kwargs):
        super().__init__(label, validators=[InputRequired(required_message)], **kwargs)
        self.required_message = required_message

    def pre_validate(self, form):
        # validate_choice=False: the service decides (and says why) about an answer the form did not offer.
        if self.validate_choice and self.data is not None and self.data not in {c.value for c in self.choices}:
            raise ValidationError(self.required_message)


class WholeNumberField(IntegerField):
    """An integer typed as text, with a GOV.UK message when it is not a whole number."""

    widget = GovTextInput()

    def __init__(self, label: str, number_message: str, **kwargs):
        super().__init__(label, **kwargs)
        self.number_message = number_message

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip())
        except ValueError as error:
            self.data = None
            raise ValueError(self.number_message) from error
        if abs(self.data) > MAX_ID:  # no column holds it (INTEGER); the message the field gives for nonsense
            self.data = None
            raise ValueError(self.number_message)


def parse_page(value: str | None) -> int:
    """A page number from the URL; anything that is not a positive whole number means page 1."""
    return page_number(value)


def strip_filter(value):
    return value.strip() if isinstance(value, str) else value


class GovDateField(DateField):
    """A GOV.UK date input (day, month, year) with the GOV.UK messages: "Start date must include a month",
    "Start date must be a real date".

    `name_in_errors` is how the messages name the field; by default the label without " (optional)". A blank date
    is None. It is an error if `required_message` is given (raised while reading the form, so no validator such as
    Optional may clear it), or with RequiredDate as a validator. Years outside 1900 to 2200 are typing mistakes
    ("0224"), reported as not a real date."""

    widget = GovDateInput()
    EARLIEST, LATEST = date(1900, 1, 1), date(2200, 12, 31)
    error_part = "day"  # the box the error summary links to: the missing part, else the first
    raw_data: list[str] | None  # set by WTForms from the request

    def __init__(self, label=None, name_in_errors: str | None = None, *, required_message: str | None = None, **kw):
        kw.setdefault("format", "%d %m %Y")
        super().__init__(label, **kw)
        self.name_in_errors = name_in_errors or str(label or "Date").removesuffix(" (optional)")
        self.required_message = required_message

    def process(self, formdata, data=None, extra_filters=None):
        super().process(formdata, data, extra_filters)
        # The widget unpacks exactly three raw values; a hand-made request may send none, fewer or more.
        if self.raw_data is not None and len(self.raw_data) != 3:
            self.raw_data = [*self.raw_data, "", "", ""][:3] if self.raw_data else None

    def process_formdata(self, valuelist):
        if not valuelist and not self.required_message:
            return  # not in the request: keep the field's default, as WTForms does
        if len(valuelist) != 3:
            valuelist = [*valuelist, "", "", ""][:3] if len(valuelist) < 3 else ["", "", ""]
        parts = [str(v).strip() for v in valuelist]
        self.data = None
        self.error_part = "day"
        if not any(parts):
            if self.required_message:
                raise ValueError(self.required_message)
            return  # optional, or RequiredDate decides
        missing = [unit for unit, value in zip(("day", "month", "year"), parts, strict=True) if not value]
        if missing:
            self.error_part = missing[0]
            raise ValueError(f"{self.name_in_errors} must include a {missing[0]}")
        try:
            self.data = datetime.strptime(" ".join(parts), "%d %m %Y").date()
        except ValueError as error:
            raise ValueError(f"{self.name_in_errors} must be a real date") from error
        if not self.EARLIEST <= self.data <= self.LATEST:
            self.data = None
            raise ValueError(f"{self.name_in_errors} must be a real date")


class RequiredDate:
    """InputRequired for three-part dates: any part entered counts as an attempt (then format errors show)."""

    def __init__(self, message: str):
        self.message = message
        self.field_flags = {"required": True}

    def __call__(self, form, field):
        if field.raw_data and any(v.strip() for v in field.raw_data):
            return
        field.errors[:] = []
        raise StopValidation(self.message)


def wtforms_errors(form, params=None) -> dict:
    """govuk-frontend-wtf's error summary, with each date error linked to a box the browser can focus: the part
    that is missing ("must include a month" goes to the month), otherwise the day. Its own links name the date's
    wrapper, which takes no focus, so a keyboard user following the link went nowhere."""
    summary = _wtforms_errors(form, params or {})
    boxes = {f"#{f.id}": f"#{f.id}-{f.error_part}" for f in form if isinstance(f, GovDateField) and f.errors}
    for error in summary["errorList"]:
        error["href"] = boxes.get(error.get("href"), error.get("href"))
    return summary


# --- Parties: scheme identifiers and regions (portal/domain/parties.py) -----------------------------------------------


class PartyIdentifier:
    """Checks an identifier or region field's shape against its scheme, so every malformed one is listed in the error
    summary at once (the service checks again: it owns the rule). Leaves what was typed in the field."""

    def __call__(self, form, field) -> None:
        _value, problem = parties.clean_field(field.short_name, field.data or "")
        if problem:
            raise StopValidation(problem)


def itl_region_choices() -> list[SelectChoice]:
    return [
        SelectChoice("", "Not given"),
        *(SelectChoice(r.code, f"{r.name} ({r.code})") for r in parties.ITL1_REGIONS),
    ]


def _identifier(label: str, hint: str) -> StringField:
    field: StringField = StringField(
        label,
        description=hint,
        widget=GovTextInput(),
        filters=[strip_filter],
        validators=[
            Length(max=40, message=f"{label.removesuffix(' (optional)')} must be 40 characters or fewer"),
            PartyIdentifier(),
        ],
    )
    return field


class PartyIdentityFields:
    """The identifier and region fields of a buyer organisation's and a supplier's forms. Contracts, letters and
    notices name the party by them."""

    ppon = _identifier(
        "Public Procurement Organisation Number (PPON) (optional)",
        "From the organisation's Find a Tender registration, for example PXXB-7538-XLDD",
    )
    companies_house_number = _identifier(
        "Companies House number (optional)", "8 characters, for example 05379456 or SC123456"
    )
    charity_number = _identifier("Registered charity number (optional)", "6 or 7 digits, for example 1123456")
    itl_region = SelectField(
        "ITL region (optional)",
        description="The UK region (ITL 1) the organisation is based in, as contract notices give it",
        choices=itl_region_choices(),
        widget=GovSelect(),
        validators=[PartyIdentifier()],
        validate_choice=False,  # PartyIdentifier says "Select the region from the list", as GOV.UK words it
    )

    def identity_values(self) -> dict[str, str]:
        return {
            name: getattr(self, name).data or ""
            for name in ("ppon", "companies_house_number", "charity_number", "itl_region")
        }


STANDSTILL_CHOICES = [
    SelectChoice("yes", "Yes, apply a voluntary standstill period (recommended)"),
    SelectChoice("no", "No standstill period"),
]


def standstill_choice_field() -> RadioField:
    """The buyer's choice of a voluntary standstill at recommendation, where the law leaves it to the buyer (PA 2023
    s.51(3)); the page shows it only then (templates/awards/_standstill_choice.html) and defaults it to yes."""
    return RadioField(
        "Apply a voluntary standstill period?", choices=STANDSTILL_CHOICES, default="yes", widget=GovRadioInput()
    )


class ReturnForm(FlaskForm):
    """An approver sends an award recommendation (a competition's or a direct award's) back to the buyer; the comment
    is required (the service says so if it is empty)."""

    comment = TextAreaField(
        "Comment for the buyer",
        widget=GovTextArea(),
        filters=[strip_filter],
        description="What the buyer should change before recommending the award again",
    )
    submit = SubmitField("Return to the buyer", widget=GovSubmitInput())
