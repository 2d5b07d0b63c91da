"""Buyer organisations: police forces, fire and rescue, ambulance trusts, local authorities."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column

from portal.domain import parties
from portal.domain.roles import OrganisationType
from portal.models.base import Model

ITL1_CODES_SQL = ", ".join(f"'{r.code}'" for r in parties.ITL1_REGIONS)


class PartyIdentity:
    """The identifiers a party is named by in contracts, letters and notices, primary first (see
    portal/domain/parties.py). Mixed into BuyerOrganisation and Supplier, which carry the columns."""

    ppon: str | None
    companies_house_number: str | None
    charity_number: str | None
    itl_region: str | None

    @property
    def identifiers(self) -> list[parties.Identifier]:
        return parties.identifiers(
            {
                parties.Scheme.GB_PPON: self.ppon,
                parties.Scheme.GB_COH: self.companies_house_number,
                parties.Scheme.GB_CHC: self.charity_number,
            }
        )

    @property
    def itl_region_label(self) -> str:
        return parties.region_label(self.itl_region)


def _name_as_given(context: DefaultExecutionContext) -> str:
    return str(context.get_current_parameters()["name"])


class BuyerOrganisation(PartyIdentity, Model):
    __tablename__ = "buyer_organisation"
    __table_args__ = (
        # Framework eligibility is decided by type, so the type is one of a known set.
        CheckConstraint(
            "organisation_type IN ('police', 'fire', 'ambulance', 'local_authority', 'other')",
            name="known_organisation_type",
        ),
        # A contract is made with a legal person: every buyer names the body that contracts for it.
        CheckConstraint("length(legal_name) > 0", name="legal_name_given"),
        # Identifiers are stored normalised (portal/domain/parties.py checks the pattern on entry); the lengths
        # are the part of each pattern both SQLite and PostgreSQL can check.
        CheckConstraint("ppon IS NULL OR length(ppon) = 14", name="ppon_length"),
        # A Companies House number is 8 characters (05379456, SC123456).
        CheckConstraint(
            "companies_house_number IS NULL OR length(companies_house_number) = 8",
            name="companies_house_number_length",
        ),
        # A registered charity number (England and Wales) is 6 or 7 digits.
        CheckConstraint("charity_number IS NULL OR length(charity_number) IN (6, 7)", name="charity_number_length"),
        # Notices publish the region as an ITL 1 code: anything else is a region Find a Tender does not know.
        CheckConstraint(f"itl_region IS NULL OR itl_region IN ({ITL1_CODES_SQL})", name="known_itl_region"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Users, contracts and letters name the buyer organisation: two of one name could not be told apart.
    name: Mapped[str] = mapped_column(String(200), unique=True)
    organisation_type: Mapped[str] = mapped_column(String(20))
    region: Mapped[str] = mapped_column(String(100), default="")
    # The postal address and an official identifier (e.g. an ODS code or VAT number): contracts and letters name
    # each party by both.
    address: Mapped[str] = mapped_column(Text, default="")
    identifier: Mapped[str] = mapped_column(String(40), default="")
    # The contracting body, which a police force is not: the Chief Constable or the Police and Crime Commissioner
    # (the Mayor's Office for Policing and Crime in London), or a fire and rescue authority, a council, an NHS trust.
    # Not unique: one body may contract for two organisations here (a combined authority for police and fire).
    # Until someone gives it, the legal name is the organisation's name (as migration 0007 set it for existing rows).
    legal_name: Mapped[str] = mapped_column(String(200), default=_name_as_given)
    # One identifier per scheme (a column each): GB-PPON, GB-COH, GB-CHC. Not unique, for the same reason.
    ppon: Mapped[str | None] = mapped_column(String(14))
    companies_house_number: Mapped[str | None] = mapped_column(String(8))
    charity_number: Mapped[str | None] = mapped_column(String(7))
    itl_region: Mapped[str | None] = mapped_column(String(3))

    @property
    def type_label(self) -> str:
        return OrganisationType(self.organisation_type).label
