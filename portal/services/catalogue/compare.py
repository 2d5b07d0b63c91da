"""Comparing two to four suppliers side by side: capabilities, accreditations and prices today.

Only suppliers that could be chosen may be compared: an active member of the lot (or of some lot
when none is given) that is not excluded. Comparison is how buyers narrow a choice, so a
suspended, removed or excluded supplier is never offered here, even through a hand-made URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.domain import suppliers as rules
from portal.domain.suppliers import MembershipStatus
from portal.extensions import db
from portal.models import Accreditation, Capability, Lot, LotMembership, PriceItem, Supplier
from portal.services.catalogue.browse import prices_on
from portal.services.errors import ValidationError

MIN_COMPARED = 2
MAX_COMPARED = 4


@dataclass
class Candidate:
    supplier: Supplier
    selectable: bool
    reason: str  # why it cannot be chosen; empty when it can


@dataclass
class LotComparison:
    lot: Lot
    standing: list[MembershipStatus | None]  # per supplier; None when not on the lot
    capabilities: list[tuple[Capability, list[bool]]]
    prices: list[tuple[PriceItem, list[rules.PriceVersion | None]]]


@dataclass
class Comparison:
    suppliers: list[Supplier]
    lots: list[LotComparison]
    accreditations: list[tuple[str, list[Accreditation | None]]]
    today: date


def find_lot(lot_id: int | None) -> Lot | None:
    """The lot to compare on; an unknown id (a stale link) means every lot the suppliers are on."""
    return db.session.get(Lot, lot_id) if lot_id is not None else None


def candidates(supplier_ids: list[int], lot: Lot | None, today: date) -> list[Candidate]:
    """The requested suppliers that exist, in the order asked, each with whether it may be compared."""
    unique = list(dict.fromkeys(supplier_ids))
    found = db.session.scalars(
        select(Supplier)
        .where(Supplier.id.in_(unique))
        .options(
            selectinload(Supplier.memberships).selectinload(LotMembership.lot),
            selectinload(Supplier.exclusions),
            selectinload(Supplier.accreditations),
            selectinload(Supplier.claims),
        )
    ).all()
    by_id = {s.id: s for s in found}
    return [_candidate(by_id[i], lot, today) for i in unique if i in by_id]


def _candidate(supplier: Supplier, lot: Lot | None, today: date) -> Candidate:
    if supplier.excluded_on(today):
        return Candidate(supplier, False, "is excluded")
    memberships = [m for m in supplier.memberships if lot is None or m.lot_id == lot.id]
    if any(m.is_active for m in memberships):
        return Candidate(supplier, True, "")
    if not memberships:
        return Candidate(supplier, False, "is not on this lot" if lot else "is not on any lot")
    return Candidate(supplier, False, f"is {memberships[0].status} from {memberships[0].lot.label}")


def compare(supplier_ids: list[int], lot: Lot | None, today: date) -> Comparison:
    chosen = candidates(supplier_ids, lot, today)
    if len(chosen) < len(set(supplier_ids)):
        raise ValidationError("One of the chosen suppliers was not found. Choose suppliers again", "supplier_id")
    refused = [c for c in chosen if not c.selectable]
    if refused:
        names = ", ".join(f"{c.supplier.short_name} {c.reason}" for c in refused)
        raise ValidationError(f"Only active, non-excluded suppliers can be compared: {names}", "supplier_id")
    if len(chosen) > MAX_COMPARED:
        raise ValidationError(f"Select no more than {MAX_COMPARED} suppliers to compare", "supplier_id")
    if len(chosen) < MIN_COMPARED:
        raise ValidationError(f"Select at least {MIN_COMPARED} suppliers to compare", "supplier_id")
    suppliers = [c.supplier for c in chosen]
    return Comparison(suppliers, _lots(suppliers, lot, today), _accreditations(suppliers), today)


def _lots(suppliers: list[Supplier], lot: Lot | None, today: date) -> list[LotComparison]:
    if lot is not None:
        lot_ids = [lot.id]
    else:
        lot_ids = sorted({m.lot_id for s in suppliers for m in s.memberships if m.is_active})
    lots = db.session.scalars(
        select(Lot)
        .where(Lot.id.in_(lot_ids))
        .options(selectinload(Lot.capabilities), selectinload(Lot.price_items), selectinload(Lot.framework))
    ).all()
    lots = sorted(lots, key=lambda x: (x.framework.name, x.number))
    prices = prices_on(today, [s.id for s in suppliers], [i.id for x in lots for i in x.price_items])
    claimed = [{c.capability_id for c in s.claims} for s in suppliers]
    statuses = [{m.lot_id: MembershipStatus(m.status) for m in s.memberships} for s in suppliers]
    return [
        LotComparison(
            lot=x,
            standing=[st.get(x.id) for st in statuses],
            capabilities=[(cap, [cap.id in c for c in claimed]) for cap in x.capabilities],
            prices=[(item, [prices.get((s.id, item.id)) for s in suppliers]) for item in x.price_items],
        )
        for x in lots
    ]


def _accreditations(suppliers: list[Supplier]) -> list[tuple[str, list[Accreditation | None]]]:
    """Each scheme any of them holds, with each supplier's latest-expiring certificate for it."""
    schemes = sorted({a.scheme for s in suppliers for a in s.accreditations})
    rows = []
    for scheme in schemes:
        cells = []
        for s in suppliers:
            held = [a for a in s.accreditations if a.scheme == scheme]
            cells.append(max(held, key=lambda a: a.expires_on or date.max, default=None))
        rows.append((scheme, cells))
    return rows
