"""Buyer organisations: listing, creating and editing police forces, fire, ambulance and local authorities."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from portal.domain import parties
from portal.domain.roles import OrganisationType
from portal.extensions import db
from portal.models import BuyerOrganisation, User
from portal.services import audit
from portal.services.errors import ConflictError, NotFoundError, ValidationError
from portal.services.permissions import require_staff

ORGANISATION_AUDIT_FIELDS = (
    "name",
    "organisation_type",
    "region",
    "address",
    "identifier",
    "legal_name",
    "ppon",
    "companies_house_number",
    "charity_number",
    "itl_region",
)
# Who the organisation is in law: the contracting body, its identifiers (a field per scheme) and its ITL 1 region.
IDENTITY_FIELDS = ("legal_name", "ppon", "companies_house_number", "charity_number", "itl_region")
NAME_MAX = 200
REGION_MAX = 100
ADDRESS_MAX = 500
IDENTIFIER_MAX = 40


@dataclass(frozen=True)
class OrganisationRow:
    organisation: BuyerOrganisation
    user_count: int


def list_organisations(organisation_type: str = "", search: str = "") -> list[OrganisationRow]:
    """Organisations in name order with how many user accounts each has."""
    count = func.count(User.id)
    stmt = (
        select(BuyerOrganisation, count)
        .outerjoin(User, User.buyer_organisation_id == BuyerOrganisation.id)
        .group_by(BuyerOrganisation.id)
        .order_by(func.lower(BuyerOrganisation.name))
    )
    if organisation_type:
        stmt = stmt.where(BuyerOrganisation.organisation_type == organisation_type)
    if search.strip():
        stmt = stmt.where(BuyerOrganisation.name.icontains(search.strip(), autoescape=True))
    return [OrganisationRow(org, n) for org, n in db.session.execute(stmt).all()]


def get_organisation(organisation_id: int) -> BuyerOrganisation:
    org = db.session.get(BuyerOrganisation, organisation_id)
    if org is None:
        raise NotFoundError("No such organisation.")
    return org


def organisation_users(organisation: BuyerOrganisation) -> Sequence[User]:
    return db.session.scalars(
        select(User).where(User.buyer_organisation_id == organisation.id).order_by(func.lower(User.name))
    ).all()


def organisation_choices() -> list[tuple[int, str]]:
    return [
        (org.id, org.name)
        for org in db.session.scalars(select(BuyerOrganisation).order_by(func.lower(BuyerOrganisation.name)))
    ]


def _clean(name: str, organisation_type: str, region: str, exclude_id: int | None) -> tuple[str, str, str]:
    name = " ".join((name or "").split())
    region = " ".join((region or "").split())
    if not name:
        raise ValidationError("Enter the organisation's name", field="name")
    if len(name) > NAME_MAX:
        raise ValidationError(f"Name must be {NAME_MAX} characters or fewer", field="name")
    if len(region) > REGION_MAX:
        raise ValidationError(f"Region must be {REGION_MAX} characters or fewer", field="region")
    try:
        organisation_type = OrganisationType(organisation_type).value
    except ValueError as exc:
        raise ValidationError("Select the type of organisation", field="organisation_type") from exc
    # Case-insensitive, so "Surrey police" cannot sit beside "Surrey Police".
    clash = select(BuyerOrganisation.id).where(func.lower(BuyerOrganisation.name) == name.lower())
    if exclude_id is not None:
        clash = clash.where(BuyerOrganisation.id != exclude_id)
    if db.session.scalar(clash) is not None:
        raise ConflictError("An organisation with this name already exists", field="name")
    return name, organisation_type, region


def _contact(address: str, identifier: str) -> tuple[str, str]:
    """The address keeps its lines (trimmed, blank lines dropped); the identifier is one trimmed token."""
    address = "\n".join(line.strip() for line in (address or "").splitlines() if line.strip())
    identifier = " ".join((identifier or "").split())
    if len(address) > ADDRESS_MAX:
        raise ValidationError(f"Address must be {ADDRESS_MAX} characters or fewer", field="address")
    if len(identifier) > IDENTIFIER_MAX:
        raise ValidationError(f"Identifier must be {IDENTIFIER_MAX} characters or fewer", field="identifier")
    return address, identifier


def _identity(identity: dict[str, str | None], name: str) -> dict[str, str | None]:
    """The legal name (blank: the organisation's name) and each identifier normalised and checked against its
    scheme (portal/domain/parties.py). Only the fields given are returned; an edit leaves the others alone."""
    unknown = set(identity) - set(IDENTITY_FIELDS)
    if unknown:  # a caller's mistake, not a user's
        raise TypeError(f"not identity fields: {sorted(unknown)}")
    cleaned: dict[str, str | None] = {}
    if "legal_name" in identity:
        legal_name = " ".join((identity["legal_name"] or "").split()) or name
        if len(legal_name) > NAME_MAX:
            raise ValidationError(f"Legal name must be {NAME_MAX} characters or fewer", field="legal_name")
        cleaned["legal_name"] = legal_name
    for field in IDENTITY_FIELDS[1:]:
        if field in identity:
            value, problem = parties.clean_field(field, identity[field])
            if problem:
                raise ValidationError(problem, field=field)
            cleaned[field] = value
    return cleaned


def create_organisation(
    actor: User,
    *,
    name: str,
    organisation_type: str,
    region: str = "",
    address: str = "",
    identifier: str = "",
    **identity: str | None,
) -> BuyerOrganisation:
    """`identity`: legal_name, ppon, companies_house_number, charity_number, itl_region (IDENTITY_FIELDS)."""
    require_staff(actor, "manage buyer organisations")
    name, organisation_type, region = _clean(name, organisation_type, region, exclude_id=None)
    address, identifier = _contact(address, identifier)
    blank_legal_name: dict[str, str | None] = {"legal_name": ""}
    cleaned = _identity(blank_legal_name | identity, name)
    org = BuyerOrganisation(
        name=name, organisation_type=organisation_type, region=region, address=address, identifier=identifier, **cleaned
    )
    db.session.add(org)
    db.session.flush()
    audit.record(
        actor,
        "organisation.created",
        "organisation",
        org.id,
        summary=f"Buyer organisation {name} created",
        after=audit.snapshot(org, ORGANISATION_AUDIT_FIELDS),
    )
    db.session.commit()
    return org


def update_organisation(
    actor: User,
    organisation: BuyerOrganisation,
    *,
    name: str,
    organisation_type: str,
    region: str = "",
    address: str = "",
    identifier: str = "",
    **identity: str | None,
) -> bool:
    """Apply the edit; False when nothing changed (and nothing is recorded). `identity` as for create_organisation:
    the fields not given are left as they are."""
    require_staff(actor, "manage buyer organisations")
    name, organisation_type, region = _clean(name, organisation_type, region, exclude_id=organisation.id)
    address, identifier = _contact(address, identifier)
    cleaned = _identity(identity, name)
    before = audit.snapshot(organisation, ORGANISATION_AUDIT_FIELDS)
    organisation.name, organisation.organisation_type, organisation.region = name, organisation_type, region
    organisation.address, organisation.identifier = address, identifier
    for field, value in cleaned.items():
        setattr(organisation, field, value)
    old, new = audit.changed(before, audit.snapshot(organisation, ORGANISATION_AUDIT_FIELDS))
    if not new:
        return False
    audit.record(
        actor,
        "organisation.updated",
        "organisation",
        organisation.id,
        summary=f"Buyer organisation {name} changed: {', '.join(sorted(new))}",
        before=old,
        after=new,
    )
    db.session.commit()
    return True
