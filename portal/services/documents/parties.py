"""How documents name the parties: the legal body, its identifiers (primary first) and its ITL 1 region.

A police force is not a legal person: contracts, letters and notices name the contracting body (the Chief
Constable, the Police and Crime Commissioner, a fire and rescue authority, a council) beside the organisation's
everyday name, and identify it as Find a Tender does (portal/domain/parties.py).
"""

from __future__ import annotations

from typing import Any

from portal.models import BuyerOrganisation, Supplier
from portal.models.organisation import PartyIdentity


def identifiers(party: PartyIdentity) -> list[dict[str, str]]:
    """The party's identifiers, primary first, as JSON-ready values (scheme code, value and what it is)."""
    return [{"scheme": i.scheme.value, "id": i.id, "label": i.label} for i in party.identifiers]


def buyer(organisation: BuyerOrganisation) -> dict[str, Any]:
    """The buyer's legal identity, to merge into a document's buyer block."""
    return {
        "legal_name": organisation.legal_name,
        "identifiers": identifiers(organisation),
        "itl_region": organisation.itl_region_label,
    }


def supplier(party: Supplier) -> dict[str, Any]:
    """The supplier's identifiers and region, to merge into a document's supplier block (which has its legal name)."""
    return {"identifiers": identifiers(party), "itl_region": party.itl_region_label}
