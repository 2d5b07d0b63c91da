"""Forms for supplier profiles, evidence, accreditations and colleagues.

Framework staff's supplier pages reuse the evidence, accreditation and invitation forms, so a
supplier and staff see the same questions. Forms check shape only; the services apply the rules.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

from portal.domain.suppliers import ACCREDITATION_SCHEMES
from portal.forms_common import EmailAddress, GovDateField, strip_filter
from portal.services.suppliers.evidence import EVIDENCE_MAX_CHARACTERS

OTHER_SCHEME = "other"


def normalise_website(value):
    """'orlo.example.com' -> 'https://orlo.example.com'; anything odd is left as typed for the error message."""
    value = strip_filter(value)
    if value and "://" not in value and not any(c.isspace() for c in value):
        return f"https://{value}"
    return value


def check_website(form, field) -> None:
    value = field.data or ""
    if not value:
        return
    scheme, _, rest = value.partition("://")
    host = rest.split("/", 1)[0]
    if scheme not in ("http", "https") or "." not in host or " " in value:
        raise ValidationError("Enter a website address in the correct format, like https://www.example.com")


class SupplierContactForm(FlaskForm):
    """The parts of a profile a supplier keeps up to date itself."""

    trading_name = StringField(
        "Trading name",
        widget=GovTextInput(),
        description="The name buyers know you by, if it differs from your legal name",
        filters=[strip_filter],
        validators=[Length(max=200, message="Trading name must be 200 characters or fewer")],
    )
    contact_email = EmailField(
        "Contact email address",
        widget=GovTextInput(),
        description="Buyers and framework staff use this address about bids and contracts",
        filters=[strip_filter],
        validators=[InputRequired("Enter a contact email address"), EmailAddress()],
    )
    website = StringField(
        "Website (optional)",
        widget=GovTextInput(),
        filters=[normalise_website],
        validators=[Length(max=300, message="Website must be 300 characters or fewer"), check_website],
    )
    description = StringField(
        "Description",
        widget=GovCharacterCount(),
        description="What you offer public-sector buyers. Buyers read this in the catalogue.",
        filters=[strip_filter],
        validators=[
            InputRequired("Enter a description"),
            Length(max=2000, message="Description must be 2000 characters or fewer"),
        ],
    )
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class EvidenceForm(FlaskForm):
    evidence = StringField(
        "Evidence",
        widget=GovCharacterCount(),
        description="Describe how your service meets this capability, with examples from public-sector customers",
        filters=[strip_filter],
        validators=[
            InputRequired("Enter evidence that you meet this capability"),
            Length(
                max=EVIDENCE_MAX_CHARACTERS,
                message=f"Evidence must be {EVIDENCE_MAX_CHARACTERS} characters or fewer",
            ),
        ],
    )
    submit = SubmitField("Save evidence", widget=GovSubmitInput())


def _scheme_choices() -> list[SelectChoice]:
    return [
        SelectChoice("", "Select a scheme"),
        *[SelectChoice(s, s) for s in ACCREDITATION_SCHEMES],
        SelectChoice(OTHER_SCHEME, "Other"),
    ]


class AccreditationForm(FlaskForm):
    scheme = SelectField("Scheme", widget=GovSelect(), choices=_scheme_choices(), validate_choice=False)
    other_scheme = StringField(
        "Name of the scheme, if other",
        widget=GovTextInput(),
        description="Only if the scheme is not in the list",
        filters=[strip_filter],
        validators=[Length(max=120, message="Scheme name must be 120 characters or fewer")],
    )
    certificate_reference = StringField(
        "Certificate reference (optional)",
        widget=GovTextInput(),
        filters=[strip_filter],
        validators=[Length(max=120, message="Certificate reference must be 120 characters or fewer")],
    )
    awarded_on = GovDateField("Date awarded (optional)", description="For example, 27 3 2024")
    expires_on = GovDateField("Expiry date (optional)", description="For example, 26 3 2027")
    submit = SubmitField("Save accreditation", widget=GovSubmitInput())

    def validate_scheme(self, field) -> None:
        if field.data not in {*ACCREDITATION_SCHEMES, OTHER_SCHEME}:
            raise ValidationError("Select a scheme")

    def validate_other_scheme(self, field) -> None:
        if self.scheme.data == OTHER_SCHEME and not field.data:
            raise ValidationError("Enter the name of the scheme")

    def chosen_scheme(self) -> str:
        return self.other_scheme.data if self.scheme.data == OTHER_SCHEME else self.scheme.data

    def show_scheme(self, scheme: str) -> None:
        """Fill the scheme fields from a stored scheme name (listed, or free text under Other)."""
        if scheme in ACCREDITATION_SCHEMES:
            self.scheme.data = scheme
        else:
            self.scheme.data, self.other_scheme.data = OTHER_SCHEME, scheme


class InviteColleagueForm(FlaskForm):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        filters=[strip_filter],
        validators=[
            InputRequired("Enter their full name"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
    )
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        description="We will send an invitation to set a password to this address",
        filters=[strip_filter],
        validators=[InputRequired("Enter their email address"), EmailAddress()],
    )
    submit = SubmitField("Send invitation", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A button alone, for confirmations such as removing an accreditation or resending an invitation."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())
