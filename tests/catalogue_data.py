"""A small catalogue for the catalogue tests: one framework, two lots, suppliers in every state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import Capability, Lot, PriceItem, Supplier
from portal.services.catalogue.search_index import reindex_supplier
from tests.factories import (
    make_accreditation,
    make_capability,
    make_claim,
    make_exclusion,
    make_framework,
    make_lot,
    make_membership,
    make_price,
    make_price_item,
    make_supplier,
)


@dataclass
class Catalogue:
    lot1: Lot
    lot2: Lot
    channels: Capability
    incident: Capability
    listening: Capability
    contact: Capability
    licence: PriceItem
    orlo: Supplier
    softcat: Supplier
    civic: Supplier  # suspended on lot 1
    hoot: Supplier  # excluded
    bluelamp: Supplier  # SME, expired accreditation


def build_catalogue() -> Catalogue:
    today = today_london()
    fw = make_framework(
        name="Social Media Management", start_on=today - timedelta(days=365), initial_end_on=today + timedelta(days=365)
    )
    lot1 = make_lot(fw, number=1, title="Social media management platform")
    lot2 = make_lot(fw, number=2, title="24/7 digital contact service")
    channels = make_capability(lot1, "All corporate channels managed in one place")
    incident = make_capability(lot1, "Manage scheduled content during a critical incident")
    listening = make_capability(lot1, "Listen to and respond to communities")
    contact = make_capability(lot2, "A 24/7 digital contact channel")
    licence = make_price_item(lot1, "User licence")

    orlo = make_supplier(legal_name="Orlo Ltd", trading_name="Orlo", sme=True, description="Formerly SocialSignIn.")
    softcat = make_supplier(
        legal_name="Softcat plc", trading_name="Softcat", description="Partner of Salesforce for policing."
    )
    civic = make_supplier(legal_name="Civic Voice Ltd", trading_name="Civic Voice", sme=True)
    hoot = make_supplier(legal_name="Hootsuite Media UK Limited", trading_name="Hootsuite")
    bluelamp = make_supplier(legal_name="Blue Lamp Digital Ltd", trading_name="Blue Lamp Digital", sme=True)

    for s in (orlo, softcat, hoot, bluelamp):
        make_membership(s, lot1)
    make_membership(civic, lot1, status="suspended", reason="Insurance lapsed")
    make_membership(softcat, lot2)
    make_membership(bluelamp, lot2)

    make_claim(orlo, channels, "Every channel in one unified inbox, with Nextdoor and TikTok.")
    make_claim(orlo, incident, "Pause all scheduled posts force-wide during a critical incident.")
    make_claim(orlo, listening, "Social listening with keyword alerts.")
    make_claim(softcat, channels, "Salesforce Social Studio consolidates channels.")
    make_claim(softcat, contact, "Service Cloud digital engagement staffed around the clock.")
    make_claim(civic, listening, "Community sentiment insights for neighbourhood teams.")
    make_claim(hoot, channels, "One dashboard for all networks.")
    make_claim(hoot, incident, "Pause scheduled messages.")
    make_claim(bluelamp, incident, "Critical incident playbooks.")
    make_claim(bluelamp, contact, "Police-vetted operators on a 24/7 desk.")

    make_accreditation(orlo, "ISO 27001", expires_on=today + timedelta(days=200))
    make_accreditation(softcat, "ISO 27001", expires_on=None)
    make_accreditation(bluelamp, "ISO 27001", expires_on=today - timedelta(days=1))
    make_accreditation(bluelamp, "Cyber Essentials", expires_on=today + timedelta(days=30))
    make_exclusion(hoot, starts_on=today - timedelta(days=10), ends_on=today + timedelta(days=300))

    make_price(orlo, licence, 1800, effective_from=today - timedelta(days=300))
    make_price(orlo, licence, 1950, effective_from=today - timedelta(days=5))
    make_price(orlo, licence, 2500, effective_from=today + timedelta(days=30))  # not yet in force
    make_price(softcat, licence, 2400, effective_from=date(2020, 1, 1))

    for s in (orlo, softcat, civic, hoot, bluelamp):
        reindex_supplier(s)
    db.session.commit()
    return Catalogue(lot1, lot2, channels, incident, listening, contact, licence, orlo, softcat, civic, hoot, bluelamp)
