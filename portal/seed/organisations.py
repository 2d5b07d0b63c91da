"""Demo buyer organisations: every territorial police force, and some other blue-light and local buyers."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import BuyerOrganisation
from portal.seed import parties
from portal.seed.common import Tally

# The 43 territorial police forces of England and Wales, by their official names, with their region.
POLICE_FORCES_ENGLAND_AND_WALES = (
    ("Avon and Somerset Constabulary", "South West"),
    ("Bedfordshire Police", "East of England"),
    ("Cambridgeshire Constabulary", "East of England"),
    ("Cheshire Constabulary", "North West"),
    ("City of London Police", "London"),
    ("Cleveland Police", "North East"),
    ("Cumbria Constabulary", "North West"),
    ("Derbyshire Constabulary", "East Midlands"),
    ("Devon and Cornwall Police", "South West"),
    ("Dorset Police", "South West"),
    ("Durham Constabulary", "North East"),
    ("Dyfed-Powys Police", "Wales"),
    ("Essex Police", "East of England"),
    ("Gloucestershire Constabulary", "South West"),
    ("Greater Manchester Police", "North West"),
    ("Gwent Police", "Wales"),
    ("Hampshire and Isle of Wight Constabulary", "South East"),
    ("Hertfordshire Constabulary", "East of England"),
    ("Humberside Police", "Yorkshire and the Humber"),
    ("Kent Police", "South East"),
    ("Lancashire Constabulary", "North West"),
    ("Leicestershire Police", "East Midlands"),
    ("Lincolnshire Police", "East Midlands"),
    ("Merseyside Police", "North West"),
    ("Metropolitan Police Service", "London"),
    ("Norfolk Constabulary", "East of England"),
    ("North Wales Police", "Wales"),
    ("North Yorkshire Police", "Yorkshire and the Humber"),
    ("Northamptonshire Police", "East Midlands"),
    ("Northumbria Police", "North East"),
    ("Nottinghamshire Police", "East Midlands"),
    ("South Wales Police", "Wales"),
    ("South Yorkshire Police", "Yorkshire and the Humber"),
    ("Staffordshire Police", "West Midlands"),
    ("Suffolk Constabulary", "East of England"),
    ("Surrey Police", "South East"),
    ("Sussex Police", "South East"),
    ("Thames Valley Police", "South East"),
    ("Warwickshire Police", "West Midlands"),
    ("West Mercia Police", "West Midlands"),
    ("West Midlands Police", "West Midlands"),
    ("West Yorkshire Police", "Yorkshire and the Humber"),
    ("Wiltshire Police", "South West"),
)

# The other UK-wide and national forces that buy from policing frameworks.
OTHER_POLICE_FORCES = (
    ("Police Scotland", "Scotland"),
    ("Police Service of Northern Ireland", "Northern Ireland"),
    ("British Transport Police", "Great Britain"),
)

FIRE_AND_RESCUE_SERVICES = (
    ("London Fire Brigade", "London"),
    ("Surrey Fire and Rescue Service", "South East"),
    ("West Midlands Fire Service", "West Midlands"),
    ("Greater Manchester Fire and Rescue Service", "North West"),
    ("Devon and Somerset Fire and Rescue Service", "South West"),
    ("South Wales Fire and Rescue Service", "Wales"),
    ("Scottish Fire and Rescue Service", "Scotland"),
)

AMBULANCE_TRUSTS = (
    ("South East Coast Ambulance Service NHS Foundation Trust", "South East"),
    ("London Ambulance Service NHS Trust", "London"),
    ("North West Ambulance Service NHS Trust", "North West"),
    ("Yorkshire Ambulance Service NHS Trust", "Yorkshire and the Humber"),
    ("East of England Ambulance Service NHS Trust", "East of England"),
    ("South Western Ambulance Service NHS Foundation Trust", "South West"),
)

LOCAL_AUTHORITIES = (
    ("Surrey County Council", "South East"),
    ("Kent County Council", "South East"),
    ("Brighton and Hove City Council", "South East"),
    ("Birmingham City Council", "West Midlands"),
    ("Manchester City Council", "North West"),
    ("Leeds City Council", "Yorkshire and the Humber"),
    ("Northumberland County Council", "North East"),
    ("Cardiff Council", "Wales"),
)

ORGANISATIONS_BY_TYPE = {
    "police": POLICE_FORCES_ENGLAND_AND_WALES + OTHER_POLICE_FORCES,
    "fire": FIRE_AND_RESCUE_SERVICES,
    "ambulance": AMBULANCE_TRUSTS,
    "local_authority": LOCAL_AUTHORITIES,
}


# Headquarters addresses of the demo's buying organisations, which their contracts and letters carry.
ADDRESSES = {
    "Surrey Police": "Surrey Police Headquarters\nMount Browne, Sandy Lane\nGuildford\nSurrey\nGU3 1HG",
    "Northumbria Police": "Northumbria Police Headquarters\nMiddle Engine Lane\nWallsend\nTyne and Wear\nNE28 9NT",
}


def ensure_organisations(tally: Tally) -> dict[str, BuyerOrganisation]:
    """Every demo organisation, created if missing (looked up by name), keyed by name."""
    existing = {o.name: o for o in db.session.scalars(select(BuyerOrganisation))}
    serial = 0  # each organisation's place in the lists numbers its demo PPON
    for organisation_type, rows in ORGANISATIONS_BY_TYPE.items():
        for name, region in rows:
            serial += 1
            if name in existing:
                continue
            org = BuyerOrganisation(
                name=name,
                organisation_type=organisation_type,
                region=region,
                address=ADDRESSES.get(name, ""),
                legal_name=parties.legal_name(name, organisation_type),
                ppon=parties.demo_ppon(serial, name),
                itl_region=parties.itl_region(name, region),
            )
            db.session.add(org)
            existing[name] = org
            tally.add("buyer_organisation")
    db.session.flush()
    return existing
