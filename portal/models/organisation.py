"""Buyer organisations: police forces, fire and rescue, ambulance trusts, local authorities."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.domain.roles import OrganisationType
from portal.models.base import Model


class BuyerOrganisation(Model):
    __tablename__ = "buyer_organisation"
    __table_args__ = (
        # Framework eligibility is decided by type, so the type is one of a known set.
        CheckConstraint(
            "organisation_type IN ('police', 'fire', 'ambulance', 'local_authority', 'other')",
            name="known_organisation_type",
        ),
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

    @property
    def type_label(self) -> str:
        return OrganisationType(self.organisation_type).label
