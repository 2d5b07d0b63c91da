"""Who is who: the portal's roles and what each may do in general terms."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    STAFF = "staff"  # framework staff (PDS)
    BUYER = "buyer"  # procurement officer of one buyer organisation
    APPROVER = "approver"  # a buyer who may also approve awards
    EVALUATOR = "evaluator"  # buyer-organisation staff who score bids
    SUPPLIER = "supplier"  # belongs to one supplier

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.STAFF: "Framework staff",
    Role.BUYER: "Buyer",
    Role.APPROVER: "Approver",
    Role.EVALUATOR: "Evaluator",
    Role.SUPPLIER: "Supplier user",
}

BUYER_SIDE = frozenset({Role.BUYER, Role.APPROVER, Role.EVALUATOR})
# An approver is a buyer who may also approve: everything a buyer may do, an approver may.
PROCUREMENT_OFFICERS = frozenset({Role.BUYER, Role.APPROVER})


class OrganisationType(StrEnum):
    POLICE = "police"
    FIRE = "fire"
    AMBULANCE = "ambulance"
    LOCAL_AUTHORITY = "local_authority"
    OTHER = "other"

    @property
    def label(self) -> str:
        return ORGANISATION_TYPE_LABELS[self]


ORGANISATION_TYPE_LABELS = {
    OrganisationType.POLICE: "Police force",
    OrganisationType.FIRE: "Fire and rescue service",
    OrganisationType.AMBULANCE: "Ambulance service",
    OrganisationType.LOCAL_AUTHORITY: "Local authority",
    OrganisationType.OTHER: "Other public body",
}


class BankHolidayRegion(StrEnum):
    ENGLAND_AND_WALES = "england-and-wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"

    @property
    def label(self) -> str:
        return {
            "england-and-wales": "England and Wales",
            "scotland": "Scotland",
            "northern-ireland": "Northern Ireland",
        }[self.value]
