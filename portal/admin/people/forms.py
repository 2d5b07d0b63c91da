"""Forms for the people and oversight screens. They check shape; the services check the rules."""

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
from wtforms import (
    EmailField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from portal.domain.roles import ORGANISATION_TYPE_LABELS, ROLE_LABELS
from portal.domain.whole_numbers import whole_number
from portal.forms_common import EmailAddress, FilterForm, GovDateField, PartyIdentityFields, strip_filter


def options(*pairs: tuple[object, str]) -> list[SelectChoice]:
    """WTForms choices from (value, label) pairs; plain tuples are deprecated."""
    return [SelectChoice(value, label) for value, label in pairs]


ORGANISATION_TYPE_CHOICES = [(t.value, label) for t, label in ORGANISATION_TYPE_LABELS.items()]
ROLE_CHOICES = [(r.value, label) for r, label in ROLE_LABELS.items()]


def optional_int(value):
    """Select values arrive as strings; blank means no choice."""
    if value in (None, "", "None"):
        return None
    number = whole_number(str(value).strip())
    return -1 if number is None else number  # -1 matches no choice, so validation says "Select ... from the list"


# --- organisations ----------------------------------------------------------------------------


class OrganisationForm(PartyIdentityFields, FlaskForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        filters=[strip_filter],
        validators=[
            InputRequired("Enter the organisation's name"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
    )
    legal_name = StringField(
        "Legal name (optional)",
        description=(
            "The body that makes its contracts, for example Police and Crime Commissioner for Surrey or "
            "Chief Constable of Kent Police. Contracts, letters and notices name it. Leave blank if it is the name."
        ),
        widget=GovTextInput(),
        filters=[strip_filter],
        validators=[Optional(), Length(max=200, message="Legal name must be 200 characters or fewer")],
    )
    organisation_type = RadioField(
        "Type of organisation",
        choices=options(*ORGANISATION_TYPE_CHOICES),
        widget=GovRadioInput(),
        invalid_choice_message="Select the type of organisation",
    )
    region = StringField(
        "Region (optional)",
        description="For example, South East or Greater Manchester",
        widget=GovTextInput(),
        filters=[strip_filter],
        validators=[Optional(), Length(max=100, message="Region must be 100 characters or fewer")],
    )
    address = TextAreaField(
        "Postal address (optional)",
        description="One line per row. Contracts and letters give it for the buyer.",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=500, message="Address must be 500 characters or fewer")],
    )
    identifier = StringField(
        "Other identifier (optional)",
        description="For example the organisation's ODS code or VAT registration number",
        widget=GovTextInput(),
        filters=[strip_filter],
        validators=[Optional(), Length(max=40, message="Identifier must be 40 characters or fewer")],
    )
    submit = SubmitField("Save organisation", widget=GovSubmitInput())


class OrganisationFilterForm(FilterForm):
    q = StringField("Name contains", widget=GovTextInput(), filters=[strip_filter])
    organisation_type = SelectField(
        "Type",
        default="",
        choices=options(("", "All types"), *ORGANISATION_TYPE_CHOICES),
        widget=GovSelect(),
        invalid_choice_message="Select a type from the list",
    )
    submit = SubmitField("Filter", widget=GovSubmitInput())


# --- users -----------------------------------------------------------------------------------


class PartyFields:
    """The role, organisation and supplier fields shared by the invite and change-role forms."""

    role = RadioField(
        "Role",
        choices=options(*ROLE_CHOICES),
        widget=GovRadioInput(),
        invalid_choice_message="Select the user's role",
    )
    organisation_id = SelectField(
        "Buyer organisation",
        description="For buyers, approvers and evaluators",
        coerce=optional_int,
        widget=GovSelect(),
        invalid_choice_message="Select an organisation from the list",
    )
    supplier_id = SelectField(
        "Supplier",
        description="For supplier users",
        coerce=optional_int,
        widget=GovSelect(),
        invalid_choice_message="Select a supplier from the list",
    )

    def set_party_choices(self, organisations: list[tuple[int, str]], suppliers: list[tuple[int, str]]) -> None:
        self.organisation_id.choices = options(("", "Select an organisation"), *organisations)
        self.supplier_id.choices = options(("", "Select a supplier"), *suppliers)


class InviteUserForm(PartyFields, FlaskForm):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        filters=[strip_filter],
        validators=[
            InputRequired("Enter the user's full name"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
    )
    job_title = StringField(
        "Job title (optional)",
        description="Letters the user signs or is the contact for name it, for example Head of Procurement",
        widget=GovTextInput(),
        filters=[strip_filter],
        validators=[Length(max=200, message="Job title must be 200 characters or fewer")],
    )
    email = EmailField(
        "Email address",
        description="We will email an invitation link to this address",
        widget=GovTextInput(),
        filters=[strip_filter],
        validators=[InputRequired("Enter the user's email address"), EmailAddress(), Length(max=254)],
    )
    submit = SubmitField("Send invitation", widget=GovSubmitInput())


class JobTitleForm(FlaskForm):
    job_title = StringField(
        "Job title",
        description="Letters the user signs or is the contact for name it, for example Head of Procurement. "
        "Leave empty to use the role.",
        widget=GovTextInput(),
        filters=[strip_filter],
        validators=[Length(max=200, message="Job title must be 200 characters or fewer")],
    )
    submit = SubmitField("Save job title", widget=GovSubmitInput())


class ChangeRoleForm(PartyFields, FlaskForm):
    submit = SubmitField("Save role", widget=GovSubmitInput())


class UserFilterForm(FilterForm):
    q = StringField("Name or email contains", widget=GovTextInput(), filters=[strip_filter])
    role = SelectField(
        "Role",
        default="",
        choices=options(("", "All roles"), *ROLE_CHOICES),
        widget=GovSelect(),
        invalid_choice_message="Select a role from the list",
    )
    organisation_id = SelectField(
        "Buyer organisation",
        coerce=optional_int,
        widget=GovSelect(),
        invalid_choice_message="Select an organisation from the list",
    )
    supplier_id = SelectField(
        "Supplier", coerce=optional_int, widget=GovSelect(), invalid_choice_message="Select a supplier from the list"
    )
    active = SelectField(
        "Status",
        default="",
        choices=options(("", "Active and deactivated"), ("yes", "Active"), ("no", "Deactivated")),
        widget=GovSelect(),
        invalid_choice_message="Select a status from the list",
    )
    submit = SubmitField("Filter", widget=GovSubmitInput())

    def set_party_choices(self, organisations: list[tuple[int, str]], suppliers: list[tuple[int, str]]) -> None:
        self.organisation_id.choices = options(("", "All organisations"), *organisations)
        self.supplier_id.choices = options(("", "All suppliers"), *suppliers)


class ConfirmForm(FlaskForm):
    """A bare POST form for actions confirmed on their own page (the CSRF token is its point)."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


# --- audit log and supplier changes ------------------------------------------------------------


class AuditFilterForm(FilterForm):
    actor = StringField("Who (email contains)", widget=GovTextInput(), filters=[strip_filter])
    event_type = SelectField(
        "Event type", default="", widget=GovSelect(), invalid_choice_message="Select an event type from the list"
    )
    object_type = SelectField(
        "Object type", default="", widget=GovSelect(), invalid_choice_message="Select an object type from the list"
    )
    object_id = StringField(
        "Object ID",
        widget=GovTextInput(),
        filters=[strip_filter],
        validators=[Length(max=60, message="Object ID must be 60 characters or fewer")],
    )
    date_from = GovDateField("From", name_in_errors="From date")
    date_to = GovDateField("To", name_in_errors="To date")
    submit = SubmitField("Filter", widget=GovSubmitInput())

    def set_type_choices(self, event_types: list[str], object_types: list[str]) -> None:
        self.event_type.choices = options(("", "All event types"), *[(t, t) for t in event_types])
        self.object_type.choices = options(("", "All object types"), *[(t, t) for t in object_types])


class AcknowledgeForm(FlaskForm):
    event_ids = SelectMultipleField("Changes to acknowledge", coerce=optional_int, validate_choice=False)
    note = StringField(
        "Note (optional)",
        description="For example, what you checked",
        widget=GovCharacterCount(),
        filters=[strip_filter],
        validators=[Length(max=2000, message="Note must be 2000 characters or fewer")],
    )
    submit = SubmitField("Acknowledge", widget=GovSubmitInput())


class OutboxFilterForm(FilterForm):
    recipient = StringField("Recipient contains", widget=GovTextInput(), filters=[strip_filter])
    status = SelectField(
        "Status",
        default="",
        choices=options(
            ("", "All statuses"),
            ("pending", "Waiting to send"),
            ("sent", "Sent"),
            ("outbox", "In outbox"),
            ("failed", "Failed"),
        ),
        widget=GovSelect(),
        invalid_choice_message="Select a status from the list",
    )
    submit = SubmitField("Filter", widget=GovSubmitInput())
