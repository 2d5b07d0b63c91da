"""Seeding the demo suppliers: profiles, accreditations, exclusions, lot memberships, capability
claims and price cards, then each supplier's search document."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    Accreditation,
    CapabilityClaim,
    Exclusion,
    LotMembership,
    Supplier,
    SupplierPrice,
    User,
)
from portal.seed import parties
from portal.seed.common import SEED_EVENT, Tally, at
from portal.seed.evidence import EVIDENCE
from portal.seed.frameworks import FRAMEWORKS, SeededFramework
from portal.seed.supplier_data import SUPPLIERS, MembershipSpec, SupplierSpec
from portal.services import audit
from portal.services.catalogue import search_index

PROFILE_FIELDS = (
    "legal_name",
    "trading_name",
    "companies_house_number",
    "ppon",
    "itl_region",
    "sme",
    "contact_email",
    "website",
)
_LOT_ITEMS = {(f.reference, lot.number): [name for name, _, _ in lot.price_items] for f in FRAMEWORKS for lot in f.lots}


def ensure_suppliers(tally: Tally, frameworks: dict[str, SeededFramework], staff: User) -> dict[str, Supplier]:
    """Every demo supplier with everything the framework knows of it, keyed by supplier key."""
    seeded = {}
    for spec in SUPPLIERS:
        supplier = _ensure_profile(spec, tally)
        _ensure_accreditations(supplier, spec, tally)
        _ensure_exclusions(supplier, spec, tally, staff)
        for membership in spec.memberships:
            _ensure_membership(supplier, spec, membership, frameworks[membership.framework], tally)
        # After the claims exist, so the catalogue's full-text search finds the evidence.
        search_index.reindex_supplier(supplier)
        seeded[spec.key] = supplier
    return seeded


def _ensure_profile(spec: SupplierSpec, tally: Tally) -> Supplier:
    supplier = db.session.scalar(select(Supplier).where(Supplier.legal_name == spec.legal_name))
    if supplier is not None:
        return supplier
    supplier = Supplier(
        legal_name=spec.legal_name,
        trading_name=spec.trading_name,
        companies_house_number=spec.companies_house_number,
        # Supplier PPONs are numbered after the organisations' (portal/seed/organisations.py), from 0501.
        ppon=parties.demo_ppon(501 + SUPPLIERS.index(spec), spec.legal_name),
        itl_region=parties.SUPPLIER_ITL.get(spec.key),
        registered_address=spec.registered_address,
        sme=spec.sme,
        contact_email=spec.contact_email,
        website=spec.website,
        description=spec.description,
    )
    db.session.add(supplier)
    db.session.flush()
    tally.add("supplier")
    audit.record(
        None,
        SEED_EVENT,
        "supplier",
        supplier.id,
        summary=f"Demo supplier {supplier.display_name} created",
        after=audit.snapshot(supplier, PROFILE_FIELDS),
    )
    return supplier


def _ensure_accreditations(supplier: Supplier, spec: SupplierSpec, tally: Tally) -> None:
    have = {a.scheme for a in supplier.accreditations}
    for scheme, reference, awarded_on, expires_on in spec.accreditations:
        if scheme in have:
            continue
        supplier.accreditations.append(
            Accreditation(scheme=scheme, certificate_reference=reference, awarded_on=awarded_on, expires_on=expires_on)
        )
        tally.add("accreditation")


def _ensure_exclusions(supplier: Supplier, spec: SupplierSpec, tally: Tally, staff: User) -> None:
    have = {(e.kind, e.starts_on) for e in supplier.exclusions}
    for ex in spec.exclusions:
        if (ex.kind, ex.starts_on) in have:
            continue
        exclusion = Exclusion(
            supplier=supplier,
            ground=ex.ground,
            kind=ex.kind,
            starts_on=ex.starts_on,
            ends_on=ex.ends_on,
            recorded_at=at(ex.starts_on, 14),
            recorded_by_id=staff.id,
        )
        db.session.add(exclusion)
        db.session.flush()
        tally.add("exclusion")
        audit.record(
            None,
            SEED_EVENT,
            "exclusion",
            exclusion.id,
            summary=f"Demo {ex.kind} exclusion recorded against {supplier.short_name}",
            after=audit.snapshot(exclusion, ("supplier_id", "kind", "starts_on", "ends_on")),
        )


def _ensure_membership(
    supplier: Supplier, spec: SupplierSpec, m: MembershipSpec, fw: SeededFramework, tally: Tally
) -> None:
    lot = fw.lots[m.lot]
    membership = db.session.scalar(
        select(LotMembership).where(LotMembership.supplier_id == supplier.id, LotMembership.lot_id == lot.id)
    )
    if membership is None:
        membership = LotMembership(
            supplier=supplier,
            lot=lot,
            joined_on=fw.framework.start_on,
            left_on=m.left_on,
            status=m.status,
            status_reason=m.reason,
            status_changed_at=at(m.status_changed_on, 9, 30) if m.status_changed_on else None,
        )
        db.session.add(membership)
        db.session.flush()
        tally.add("lot_membership")
        if m.status != "active":
            audit.record(
                None,
                SEED_EVENT,
                "lot_membership",
                membership.id,
                summary=f"Demo: {supplier.short_name} {m.status} on {fw.framework.reference} {lot.label}",
                after=audit.snapshot(membership, ("supplier_id", "lot_id", "status", "status_reason")),
            )
    _ensure_claims(supplier, spec, m, fw, tally)
    _ensure_prices(supplier, spec, m, fw, tally)


def _ensure_claims(
    supplier: Supplier, spec: SupplierSpec, m: MembershipSpec, fw: SeededFramework, tally: Tally
) -> None:
    evidence = EVIDENCE[spec.key]
    claimed = set(
        db.session.scalars(select(CapabilityClaim.capability_id).where(CapabilityClaim.supplier_id == supplier.id))
    )
    for (lot_number, key), capability in fw.capabilities.items():
        if lot_number != m.lot or key not in evidence or capability.id in claimed:
            continue
        db.session.add(
            CapabilityClaim(
                supplier_id=supplier.id,
                capability_id=capability.id,
                evidence=evidence[key],
                updated_at=at(fw.framework.start_on, 12),
            )
        )
        tally.add("capability_claim")


def _ensure_prices(
    supplier: Supplier, spec: SupplierSpec, m: MembershipSpec, fw: SeededFramework, tally: Tally
) -> None:
    names = _LOT_ITEMS[(m.framework, m.lot)]
    versions = [(name, fw.framework.start_on, pence) for name, pence in zip(names, m.prices, strict=True)]
    versions += [
        (c.item, c.effective_from, c.pence) for c in spec.price_changes if (c.framework, c.lot) == (m.framework, m.lot)
    ]
    have = {
        (item_id, effective_from)
        for item_id, effective_from in db.session.execute(
            select(SupplierPrice.price_item_id, SupplierPrice.effective_from).where(
                SupplierPrice.supplier_id == supplier.id
            )
        )
    }
    for name, effective_from, pence in versions:
        item = fw.price_items[(m.lot, name)]
        if (item.id, effective_from) in have:
            continue
        db.session.add(
            SupplierPrice(
                supplier_id=supplier.id,
                price_item_id=item.id,
                unit_price_pence=pence,
                effective_from=effective_from,
                # Entered a few weeks before it took effect, as a supplier updating its price card would.
                created_at=at(effective_from - timedelta(days=21), 15),
            )
        )
        tally.add("supplier_price")
