"""Price cards: a supplier's unit prices for a lot's price items, kept as dated versions.

A price change adds a `SupplierPrice` version effective from a date; nothing is edited or deleted,
so the price that applied on any date can be shown later as evidence. The rules for when a new
version may be added are in `portal.domain.suppliers.price_version_problem`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from portal.domain.suppliers import PriceVersion, price_on, price_version_problem
from portal.extensions import db
from portal.models import Lot, LotMembership, PriceItem, Supplier, SupplierPrice, User
from portal.services import audit
from portal.services.errors import NotFoundError, ValidationError
from portal.services.permissions import require_staff
from portal.services.suppliers.profiles import conflict_on_duplicate


@dataclass(frozen=True)
class PriceLine:
    item: PriceItem
    current: PriceVersion | None  # the version in force on the date asked about
    upcoming: PriceVersion | None  # the next version after that date, if one is scheduled
    history: list[SupplierPrice]  # every version, newest first


def membership_on_lot(supplier: Supplier, lot_id: int) -> LotMembership:
    membership = db.session.scalar(
        select(LotMembership).where(LotMembership.supplier_id == supplier.id, LotMembership.lot_id == lot_id)
    )
    if membership is None:
        raise NotFoundError("This supplier is not on that lot")
    return membership


def _versions(supplier: Supplier, lot: Lot) -> dict[int, list[SupplierPrice]]:
    rows = db.session.scalars(
        select(SupplierPrice)
        .join(PriceItem, PriceItem.id == SupplierPrice.price_item_id)
        .where(SupplierPrice.supplier_id == supplier.id, PriceItem.lot_id == lot.id)
        .order_by(SupplierPrice.effective_from.desc())
    ).all()
    by_item: dict[int, list[SupplierPrice]] = {}
    for row in rows:
        by_item.setdefault(row.price_item_id, []).append(row)
    return by_item


def price_card(supplier: Supplier, lot: Lot, on: date) -> list[PriceLine]:
    """Each price item of the lot with the supplier's price on `on`, the next scheduled one and the history."""
    by_item = _versions(supplier, lot)
    lines = []
    for item in lot.price_items:
        history = by_item.get(item.id, [])
        versions = [PriceVersion(v.effective_from, v.unit_price_pence) for v in history]
        later = [v for v in versions if v.effective_from > on]
        lines.append(
            PriceLine(
                item=item,
                current=price_on(on, versions),
                upcoming=min(later, key=lambda v: v.effective_from, default=None),
                history=history,
            )
        )
    return lines


@conflict_on_duplicate("A price for this date was added at the same moment: check the price card", "effective_from")
def add_prices(
    actor: User, supplier: Supplier, lot: Lot, effective_from: date | None, prices: dict[int, int], today: date
) -> list[SupplierPrice]:
    """Add a version for each item given (item id -> unit price in pence), all effective from one date."""
    require_staff(actor)
    membership_on_lot(supplier, lot.id)
    if effective_from is None:
        raise ValidationError("Enter the date the prices take effect", field="effective_from")
    if not prices:
        raise ValidationError("Enter at least one price", field="effective_from")
    items = {item.id: item for item in lot.price_items}
    existing = _versions(supplier, lot)
    added = []
    for item_id, pence in prices.items():
        item = items.get(item_id)
        if item is None:
            raise NotFoundError("Price item not found on this lot")
        if pence < 0:
            raise ValidationError(f"Enter a price of £0 or more for {item.name}", field=f"item_{item_id}")
        problem = price_version_problem(effective_from, today, [v.effective_from for v in existing.get(item_id, [])])
        if problem:
            raise ValidationError(problem, field=f"item_{item_id}")
        version = SupplierPrice(
            supplier_id=supplier.id,
            price_item_id=item.id,
            unit_price_pence=pence,
            effective_from=effective_from,
            created_by_id=actor.id,
        )
        db.session.add(version)
        previous = price_on(
            effective_from, [PriceVersion(v.effective_from, v.unit_price_pence) for v in existing.get(item_id, [])]
        )
        added.append((item, version, previous))
    db.session.flush()
    for item, version, previous in added:
        # "Before" is the price that would otherwise have applied from that date.
        before = (
            {"unit_price_pence": previous.unit_price_pence, "effective_from": previous.effective_from}
            if previous
            else {}
        )
        audit.record(
            actor,
            "supplier_price.added",
            "supplier_price",
            version.id,
            summary=f"{supplier.short_name}: {item.name} ({lot.label}) price from {effective_from.isoformat()}",
            before=before,
            after={
                "supplier_id": supplier.id,
                "price_item_id": item.id,
                "unit_price_pence": version.unit_price_pence,
                "effective_from": effective_from,
            },
        )
    db.session.commit()
    return [v for _, v, _ in added]
