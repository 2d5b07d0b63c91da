"""Forms for framework staff's supplier pages: profiles, lots, prices and exclusions."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import EmailField, RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from portal.domain.money import MoneyError, parse_pounds
from portal.domain.suppliers import EXCLUSION_MAX_YEARS, ExclusionKind
from portal.forms_common import (
    EmailAddress,
    FilterForm,
    GovDateField,
    PartyIdentityFields,
    WholeNumberField,
    strip_filter,
)
from portal.supplier.forms import check_website, normalise_website


def _int_or_none(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class SupplierForm(PartyIdentityFields, FlaskForm):
    legal_name = StringField(
        "Legal name",
        widget=GovTextInput(),
        description="As registered at Companies House, for example Orlo Ltd",
        filters=[strip_filter],
        validators=[
            InputRequired("Enter the supplier's legal name"),
            Length(max=200, message="Legal name must be 200 characters or fewer"),
        ],
    )
    trading_name = StringField(
        "Trading name (optional)",
        widget=GovTextInput(),
        filters=[strip_filter],
        validators=[Length(max=200, message="Trading name must be 200 characters or fewer")],
    )
    registered_address = StringField(
        "Registered address (optional)",
        widget=GovTextArea(),
        filters=[strip_filter],
        validators=[Length(max=1000, message="Registered address must be 1000 characters or fewer")],
    )
    sme = RadioField(
        "Is the supplier a small or medium-sized enterprise (SME)?",
        widget=GovRadioInput(),
        choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
        validators=[InputRequired("Select yes if the supplier is an SME")],
    )
    contact_email = EmailField(
        "Contact email address (optional)",
        widget=GovTextInput(),
        filters=[strip_filter],
        validators=[EmailAddress()],
    )
    website = StringField(
        "Website (optional)",
        widget=GovTextInput(),
        filters=[normalise_website],
        validators=[Length(max=300, message="Website must be 300 characters or fewer"), check_website],
    )
    description = StringField(
        "Description (optional)",
        widget=GovCharacterCount(),
        description="What the supplier offers. Buyers read this in the catalogue.",
        filters=[strip_filter],
        validators=[Length(max=2000, message="Description must be 2000 characters or fewer")],
    )
    submit = SubmitField("Save supplier", widget=GovSubmitInput())

    def values(self) -> dict:
        return {
            "legal_name": self.legal_name.data,
            "trading_name": self.trading_name.data or "",
            **self.identity_values(),
            "registered_address": self.registered_address.data or "",
            "sme": self.sme.data == "yes",
            "contact_email": self.contact_email.data or "",
            "website": self.website.data or "",
            "description": self.description.data or "",
        }


class PricesOnForm(FilterForm):
    """Which day's prices to show."""

    on = GovDateField("Show the prices that applied on a date", name_in_errors="The date")


class AddToLotForm(FlaskForm):
    lot_id = SelectField(
        "Lot", widget=GovSelect(), coerce=_int_or_none, validators=[DataRequired("Select a lot")], choices=[]
    )
    joined_on = GovDateField(
        "Date joined",
        required_message="Enter the date the supplier joined the lot",
        description="For example, 1 4 2021",
    )
    submit = SubmitField("Add to lot", widget=GovSubmitInput())


class SuspendForm(FlaskForm):
    reason = StringField(
        "Reason for suspending",
        widget=GovTextArea(),
        description="Buyers cannot invite, shortlist or award to a suspended supplier. The reason is kept on record.",
        filters=[strip_filter],
        validators=[InputRequired("Enter the reason for suspending the supplier")],
    )
    submit = SubmitField("Suspend supplier", widget=GovSubmitInput())


class ReinstateForm(FlaskForm):
    reason = StringField(
        "Note (optional)",
        widget=GovTextArea(),
        description="For example, why the suspension has ended",
        filters=[strip_filter],
    )
    submit = SubmitField("Reinstate supplier", widget=GovSubmitInput())


class RemoveForm(FlaskForm):
    reason = StringField(
        "Reason for removing",
        widget=GovTextArea(),
        filters=[strip_filter],
        validators=[InputRequired("Enter the reason for removing the supplier")],
    )
    left_on = GovDateField(
        "Date the supplier left the lot", required_message="Enter the date the supplier left the lot"
    )
    submit = SubmitField("Remove from lot", widget=GovSubmitInput())


def price_card_form(items) -> FlaskForm:
    """A form with the effective date and one price field per price item of the lot (blank = no change)."""

    class PriceCardForm(FlaskForm):
        effective_from = GovDateField(
            "Date the new prices take effect",
            required_message="Enter the date the prices take effect",
            description="For example, 1 4 2026. Once an item has a price, a new one must take effect today or later.",
        )
        submit = SubmitField("Add prices", widget=GovSubmitInput())

        def prices(self) -> dict[int, int]:
            return {item.id: self[f"item_{item.id}"].pence for item in items if self[f"item_{item.id}"].data}

    for item in items:
        setattr(
            PriceCardForm,
            f"item_{item.id}",
            StringField(
                f"{item.name} ({item.unit}, {item.basis_label})",
                widget=GovTextInput(),
                filters=[strip_filter],
                validators=[_pounds_for(item.name)],
            ),
        )
    return PriceCardForm()


def _pounds_for(item_name: str):
    """A validator parsing an optional amount in pounds to `field.pence`; messages name the item."""

    def validate(form, field) -> None:
        field.pence = None
        if not field.data:
            return
        if field.data.lstrip("£ ").startswith("-"):
            raise ValidationError(f"Enter a price of £0 or more for {item_name}")
        try:
            field.pence = parse_pounds(field.data)
        except MoneyError as exc:
            raise ValidationError(f"Enter the price for {item_name} in pounds, like 12.50") from exc

    return validate


class ExclusionForm(FlaskForm):
    ground = StringField(
        "Ground for exclusion",
        widget=GovTextArea(),
        description="For example, the offence or misconduct and the section of the Procurement Act 2023",
        filters=[strip_filter],
        validators=[InputRequired("Enter the ground for exclusion")],
    )
    kind = RadioField(
        "Type of ground",
        widget=GovRadioInput(),
        choices=[
            SelectChoice(kind.value, f"{kind.value.capitalize()} (at most {EXCLUSION_MAX_YEARS[kind]} years)")
            for kind in ExclusionKind
        ],
        validators=[InputRequired("Select whether the ground is mandatory or discretionary")],
    )
    starts_on = GovDateField("Start date", required_message="Enter the date the exclusion starts")
    ends_on = GovDateField(
        "End date (optional)",
        description="Leave blank to use the longest period the Procurement Act 2023 allows for this type of ground",
    )
    submit = SubmitField("Add exclusion", widget=GovSubmitInput())


class EndExclusionForm(FlaskForm):
    ends_on = GovDateField("New end date", required_message="Enter the date the exclusion ends")
    reason = StringField(
        "Reason for ending early",
        widget=GovTextArea(),
        description="For example, evidence of self-cleaning accepted, or the exclusion was overturned",
        filters=[strip_filter],
        validators=[InputRequired("Enter the reason for ending the exclusion early")],
    )
    submit = SubmitField("End exclusion", widget=GovSubmitInput())


class RankingForm(FlaskForm):
    """The framework's ranking of a supplier on a lot, used by "highest ranking" direct awards and tie-breaks."""

    framework_ranking = WholeNumberField(
        "Framework ranking (optional)",
        "Framework ranking must be a whole number, like 3",
        description="1 is the best. Leave blank if the supplier is not ranked on this lot",
        validators=[Optional()],
    )
    submit = SubmitField("Save ranking", widget=GovSubmitInput())
