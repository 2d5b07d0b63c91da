"""Catalogue pages that browse: frameworks, a framework, a lot and a supplier's profile.

Read-only, for every signed-in user. Each page's data is loaded in a fixed number of queries
(relations in batches), so a lot with hundreds of suppliers costs the same few round trips.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.domain import suppliers as rules
from portal.domain.framework_term import FrameworkStatus
from portal.domain.roles import OrganisationType
from portal.domain.suppliers import MembershipStatus
from portal.extensions import db
from portal.models import (
    Accreditation,
    Capability,
    CapabilityClaim,
    Exclusion,
    Framework,
    Lot,
    LotMembership,
    PriceItem,
    Supplier,
    SupplierPrice,
)
from portal.services.errors import NotFoundError


@dataclass
class FrameworkSummary:
    framework: Framework
    status: FrameworkStatus


def frameworks(today: date) -> list[FrameworkSummary]:
    """Every framework, newest first, with its lots loaded."""
    found = db.session.scalars(
        select(Framework)
        .options(selectinload(Framework.lots), selectinload(Framework.extension_options))
        .order_by(Framework.start_on.desc(), Framework.name)
    ).all()
    return [FrameworkSummary(f, f.status_on(today)) for f in found]


@dataclass
class LotCounts:
    lot: Lot
    active_suppliers: int
    capabilities: int


@dataclass
class FrameworkPage:
    framework: Framework
    status: FrameworkStatus
    lots: list[LotCounts]
    buyer_types: list[str]


def framework_page(framework_id: int, today: date) -> FrameworkPage:
    framework = db.session.scalar(
        select(Framework)
        .where(Framework.id == framework_id)
        .options(
            selectinload(Framework.lots).selectinload(Lot.capabilities),
            selectinload(Framework.extension_options),
            selectinload(Framework.eligible_buyer_types),
        )
    )
    if framework is None:
        raise NotFoundError("Framework not found")
    active = dict(
        db.session.execute(
            select(LotMembership.lot_id, func.count())
            .join(Lot, Lot.id == LotMembership.lot_id)
            .where(Lot.framework_id == framework.id, LotMembership.status == MembershipStatus.ACTIVE.value)
            .group_by(LotMembership.lot_id)
        ).all()
    )
    lots = [LotCounts(lot, active.get(lot.id, 0), len(lot.capabilities)) for lot in framework.lots]
    buyer_types = [OrganisationType(t).label for t in framework.buyer_type_values]
    return FrameworkPage(framework, framework.status_on(today), lots, buyer_types)


@dataclass
class LotSupplierRow:
    supplier: Supplier
    membership: LotMembership
    excluded: bool
    claimed: set[int]

    @property
    def status(self) -> MembershipStatus:
        return MembershipStatus(self.membership.status)

    @property
    def selectable(self) -> bool:
        return rules.selectable(self.status, self.excluded)


@dataclass
class LotPage:
    lot: Lot
    framework_status: FrameworkStatus
    capabilities: list[Capability]
    rows: list[LotSupplierRow]
    total: int
    active: int
    page: int
    pages: int


def lot_page(lot_id: int, today: date, page: int, page_size: int) -> LotPage:
    lot = db.session.scalar(
        select(Lot)
        .where(Lot.id == lot_id)
        .options(selectinload(Lot.capabilities), selectinload(Lot.framework).selectinload(Framework.extension_options))
    )
    if lot is None:
        raise NotFoundError("Lot not found")
    counts = dict(
        db.session.execute(
            select(LotMembership.status, func.count())
            .where(LotMembership.lot_id == lot.id)
            .group_by(LotMembership.status)
        ).all()
    )
    total = sum(counts.values())
    pages = max(1, math.ceil(total / page_size))
    page = min(max(page, 1), pages)
    memberships = db.session.scalars(
        select(LotMembership)
        .join(Supplier, Supplier.id == LotMembership.supplier_id)
        .where(LotMembership.lot_id == lot.id)
        .options(selectinload(LotMembership.supplier).selectinload(Supplier.exclusions))
        .order_by(func.lower(func.coalesce(func.nullif(Supplier.trading_name, ""), Supplier.legal_name)))
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    claimed = _claims_on_lot([m.supplier_id for m in memberships], lot)
    rows = [
        LotSupplierRow(m.supplier, m, m.supplier.excluded_on(today), claimed.get(m.supplier_id, set()))
        for m in memberships
    ]
    return LotPage(
        lot, lot.framework.status_on(today), list(lot.capabilities), rows, total, counts.get("active", 0), page, pages
    )


def _claims_on_lot(supplier_ids: list[int], lot: Lot) -> dict[int, set[int]]:
    if not supplier_ids:
        return {}
    rows = db.session.execute(
        select(CapabilityClaim.supplier_id, CapabilityClaim.capability_id)
        .join(Capability, Capability.id == CapabilityClaim.capability_id)
        .where(Capability.lot_id == lot.id, CapabilityClaim.supplier_id.in_(supplier_ids))
    )
    claimed: dict[int, set[int]] = defaultdict(set)
    for supplier_id, capability_id in rows:
        claimed[supplier_id].add(capability_id)
    return claimed


@dataclass
class PriceLine:
    item: PriceItem
    price: rules.PriceVersion | None


@dataclass
class SupplierLot:
    membership: LotMembership
    claims: list[tuple[Capability, CapabilityClaim | None]]
    prices: list[PriceLine]

    @property
    def lot(self) -> Lot:
        return self.membership.lot

    @property
    def status(self) -> MembershipStatus:
        return MembershipStatus(self.membership.status)


@dataclass
class SupplierProfile:
    supplier: Supplier
    excluded: bool
    lots: list[SupplierLot]
    accreditations: list[tuple[Accreditation, bool]]
    exclusions: list[tuple[Exclusion, bool]]


def supplier_profile(supplier_id: int, today: date) -> SupplierProfile:
    supplier = db.session.scalar(
        select(Supplier)
        .where(Supplier.id == supplier_id)
        .options(
            selectinload(Supplier.memberships)
            .selectinload(LotMembership.lot)
            .options(selectinload(Lot.framework), selectinload(Lot.capabilities), selectinload(Lot.price_items)),
            selectinload(Supplier.claims),
            selectinload(Supplier.accreditations),
            selectinload(Supplier.exclusions),
        )
    )
    if supplier is None:
        raise NotFoundError("Supplier not found")
    claims = {c.capability_id: c for c in supplier.claims}
    prices = prices_on(today, [supplier.id], [i.id for m in supplier.memberships for i in m.lot.price_items])
    lots = [
        SupplierLot(
            m,
            [(cap, claims.get(cap.id)) for cap in m.lot.capabilities],
            [PriceLine(item, prices.get((supplier.id, item.id))) for item in m.lot.price_items],
        )
        for m in sorted(supplier.memberships, key=lambda m: (m.lot.framework.name, m.lot.number))
    ]
    return SupplierProfile(
        supplier=supplier,
        excluded=supplier.excluded_on(today),
        lots=lots,
        accreditations=[(a, a.valid_on(today)) for a in supplier.accreditations],
        exclusions=[(e, e.active_on(today)) for e in supplier.exclusions],
    )


def prices_on(today: date, supplier_ids: list[int], item_ids: list[int]) -> dict[tuple[int, int], rules.PriceVersion]:
    """The price applying today for each (supplier, price item), from one query over their versions."""
    if not supplier_ids or not item_ids:
        return {}
    rows = db.session.execute(
        select(
            SupplierPrice.supplier_id,
            SupplierPrice.price_item_id,
            SupplierPrice.effective_from,
            SupplierPrice.unit_price_pence,
        ).where(SupplierPrice.supplier_id.in_(supplier_ids), SupplierPrice.price_item_id.in_(item_ids))
    )
    versions: dict[tuple[int, int], list[rules.PriceVersion]] = defaultdict(list)
    for supplier_id, item_id, effective_from, pence in rows:
        versions[(supplier_id, item_id)].append(rules.PriceVersion(effective_from, pence))
    found = {key: rules.price_on(today, vs) for key, vs in versions.items()}
    return {key: version for key, version in found.items() if version is not None}
