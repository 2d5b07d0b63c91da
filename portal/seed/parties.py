"""Demo parties' legal identities: the body that contracts for each buyer organisation, fictional PPONs and ITL 1
regions, for the demo's contracts, letters and notices.

Legal names follow how each kind of body contracts (a police force through its Police and Crime Commissioner, or
the Mayor's office or authority that holds those functions; a fire service through its fire and rescue authority or
council); they are plausible, not checked against each body's contracts. Every PPON here is fictional and marked as
demo by its first group, PDMO (a real PPON is issued by Find a Tender on registration).
"""

from __future__ import annotations

import re

from portal.domain import parties

DEMO_PPON_PREFIX = "PDMO"

# Police bodies that do not contract through a Police and Crime Commissioner "for <area>".
POLICE_LEGAL_NAMES = {
    "Metropolitan Police Service": "Mayor's Office for Policing and Crime",
    "Greater Manchester Police": "Mayor of Greater Manchester",
    "West Yorkshire Police": "Mayor of West Yorkshire",
    "North Yorkshire Police": "Mayor of York and North Yorkshire",
    "City of London Police": "Common Council of the City of London",
    "Essex Police": "Police, Fire and Crime Commissioner for Essex",
    "Staffordshire Police": "Police, Fire and Crime Commissioner for Staffordshire",
    "Northamptonshire Police": "Police, Fire and Crime Commissioner for Northamptonshire",
    "Police Scotland": "Scottish Police Authority",
    "Police Service of Northern Ireland": "Northern Ireland Policing Board",
    "British Transport Police": "British Transport Police Authority",
}

FIRE_LEGAL_NAMES = {
    "London Fire Brigade": "London Fire Commissioner",
    "Surrey Fire and Rescue Service": "Surrey County Council",
    "West Midlands Fire Service": "West Midlands Fire and Rescue Authority",
    "Greater Manchester Fire and Rescue Service": "Greater Manchester Combined Authority",
    "Devon and Somerset Fire and Rescue Service": "Devon and Somerset Fire and Rescue Authority",
    "South Wales Fire and Rescue Service": "South Wales Fire and Rescue Authority",
    "Scottish Fire and Rescue Service": "Scottish Fire and Rescue Service",
}

# Where the free-text region names no ITL 1 region: the region of the headquarters.
ITL_OVERRIDES = {"British Transport Police": "TLI"}

# Demo suppliers' regions, by the registered address (portal/seed/supplier_data.py).
SUPPLIER_ITL = {
    "orlo": "TLG",
    "softcat": "TLJ",
    "beaconengage": "TLE",
    "signalhouse": "TLC",
    "civicpulse": "TLI",
    "harbourline": "TLL",
    "tidewater": "TLK",
}


def legal_name(name: str, organisation_type: str) -> str:
    """The body that contracts for the organisation called `name`."""
    if organisation_type == "police":
        if name in POLICE_LEGAL_NAMES:
            return POLICE_LEGAL_NAMES[name]
        area = re.sub(r" (Police|Constabulary)$", "", name)
        return f"Police and Crime Commissioner for {area}"
    if organisation_type == "fire":
        return FIRE_LEGAL_NAMES.get(name, name)
    return name  # NHS trusts and councils contract in their own names


def demo_ppon(number: int, name: str) -> str:
    """A fictional, well-formed PPON: PDMO, a serial number, and four letters of the name."""
    letters = "".join(c for c in name.upper() if "A" <= c <= "Z")
    return f"{DEMO_PPON_PREFIX}-{number:04d}-{(letters + 'XXXX')[:4]}"


def itl_region(name: str, region: str) -> str | None:
    return ITL_OVERRIDES.get(name) or parties.region_code_for(region)
