"""Framework staff's use cases for a framework's structure: lots, their capabilities and price items.

Names are unique within a lot (case-insensitively, since buyers read them), lot numbers within a
framework. Capabilities that suppliers have claimed and price items they have priced are not removed:
their claims and prices are evidence for past awards, so staff edit the wording instead.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.domain.cpv import cpv_problem, normalise_cpv
from portal.extensions import db
from portal.models import Capability, CapabilityClaim, Framework, Lot, PriceItem, SupplierPrice, User
from portal.services import audit
from portal.services.errors import ConflictError, NotFoundError, ValidationError
from portal.services.permissions import require_staff

LOT_FIELDS = ("number", "title", "description", "cpv_code")
CAPABILITY_FIELDS = ("name", "description", "position")
PRICE_ITEM_FIELDS = ("name", "unit", "basis")
PRICE_BASES = ("per_month", "one_off")


def _get(model, object_id: int, what: str):
    obj = db.session.get(model, object_id)
    if obj is None:
        raise NotFoundError(f"There is no such {what}.")
    return obj


def get_lot(lot_id: int) -> Lot:
    return _get(Lot, lot_id, "lot")


def get_capability(capability_id: int) -> Capability:
    return _get(Capability, capability_id, "capability")


def get_price_item(price_item_id: int) -> PriceItem:
    return _get(PriceItem, price_item_id, "price item")


def _text(value: str | None, message: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message, field=field)
    return value


def _flush(message: str, field: str) -> None:
    """Unique constraints are the last word if two people save the same name at once."""
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise ConflictError(message, field=field) from error


def _record_change(actor: User, event: str, kind: str, obj: Any, before: dict, fields, summary: str) -> None:
    old, new = audit.changed(before, audit.snapshot(obj, fields))
    if new:
        audit.record(actor, event, kind, obj.id, summary=summary, before=old, after=new)


# Lots


def _check_lot(framework: Framework, number: int | None, title: str | None, lot: Lot | None = None) -> tuple[int, str]:
    if number is None or number <= 0:
        raise ValidationError("Lot number must be 1 or more", field="number")
    clash = select(Lot.id).where(Lot.framework_id == framework.id, Lot.number == number)
    if lot is not None:
        clash = clash.where(Lot.id != lot.id)
    if db.session.scalar(clash.limit(1)) is not None:
        raise ConflictError(f"Lot {number} already exists on this framework", field="number")
    return number, _text(title, "Enter a lot title", "title")


def _check_cpv(cpv_code: str | None) -> str | None:
    code = normalise_cpv(cpv_code)
    if problem := cpv_problem(code):
        raise ValidationError(problem, field="cpv_code")
    return code or None


def add_lot(
    actor: User, framework: Framework, *, number: int | None, title: str, description: str = "", cpv_code: str = ""
) -> Lot:
    require_staff(actor, "change frameworks")
    number, title = _check_lot(framework, number, title)
    lot = Lot(
        framework=framework,
        number=number,
        title=title,
        description=(description or "").strip(),
        cpv_code=_check_cpv(cpv_code),
    )
    db.session.add(lot)
    _flush(f"Lot {number} already exists on this framework", "number")
    audit.record(
        actor,
        "lot.created",
        "lot",
        lot.id,
        summary=f"{lot.label} added to {framework.reference}",
        after=audit.snapshot(lot, ("framework_id", *LOT_FIELDS)),
    )
    db.session.commit()
    return lot


def update_lot(
    actor: User, lot: Lot, *, number: int | None, title: str, description: str = "", cpv_code: str = ""
) -> Lot:
    require_staff(actor, "change frameworks")
    number, title = _check_lot(lot.framework, number, title, lot)
    code = _check_cpv(cpv_code)
    before = audit.snapshot(lot, LOT_FIELDS)
    lot.number, lot.title, lot.description, lot.cpv_code = number, title, (description or "").strip(), code
    _flush(f"Lot {number} already exists on this framework", "number")
    _record_change(actor, "lot.updated", "lot", lot, before, LOT_FIELDS, f"{lot.label} changed")
    db.session.commit()
    return lot


# Capabilities


def _check_name_free(model, lot: Lot, name: str, obj: Any | None, what: str) -> None:
    clash = select(model.id).where(model.lot_id == lot.id, func.lower(model.name) == name.lower())
    if obj is not None:
        clash = clash.where(model.id != obj.id)
    if db.session.scalar(clash.limit(1)) is not None:
        raise ConflictError(f"Lot {lot.number} already has a {what} called {name}", field="name")


def _next_position(model, lot: Lot) -> int:
    return (db.session.scalar(select(func.max(model.position)).where(model.lot_id == lot.id)) or 0) + 1


def add_capability(
    actor: User, lot: Lot, *, name: str, description: str = "", position: int | None = None
) -> Capability:
    require_staff(actor, "change frameworks")
    name = _text(name, "Enter the capability's name", "name")
    _check_name_free(Capability, lot, name, None, "capability")
    capability = Capability(
        lot=lot,
        name=name,
        description=(description or "").strip(),
        position=position if position is not None else _next_position(Capability, lot),
    )
    db.session.add(capability)
    _flush(f"Lot {lot.number} already has a capability called {name}", "name")
    audit.record(
        actor,
        "capability.created",
        "capability",
        capability.id,
        summary=f"Capability '{name}' added to {lot.label}",
        after=audit.snapshot(capability, ("lot_id", *CAPABILITY_FIELDS)),
    )
    db.session.commit()
    return capability


def update_capability(
    actor: User, capability: Capability, *, name: str, description: str = "", position: int | None = None
) -> Capability:
    require_staff(actor, "change frameworks")
    name = _text(name, "Enter the capability's name", "name")
    _check_name_free(Capability, capability.lot, name, capability, "capability")
    before = audit.snapshot(capability, CAPABILITY_FIELDS)
    capability.name, capability.description = name, (description or "").strip()
    if position is not None:
        capability.position = position
    _flush(f"Lot {capability.lot.number} already has a capability called {name}", "name")
    _record_change(
        actor, "capability.updated", "capability", capability, before, CAPABILITY_FIELDS, f"Capability '{name}' changed"
    )
    db.session.commit()
    return capability


def claim_count(capability: Capability) -> int:
    return db.session.execute(
        select(func.count(CapabilityClaim.id)).where(CapabilityClaim.capability_id == capability.id)
    ).scalar_one()


def capability_removal_problem(capability: Capability) -> str | None:
    claims = claim_count(capability)
    if claims:
        who = "1 supplier has" if claims == 1 else f"{claims} suppliers have"
        return f"{who} claimed this capability, so it cannot be removed. Change its name or description instead."
    return None


def remove_capability(actor: User, capability: Capability) -> None:
    require_staff(actor, "change frameworks")
    problem = capability_removal_problem(capability)
    if problem:
        raise ConflictError(problem)
    before = audit.snapshot(capability, ("lot_id", *CAPABILITY_FIELDS))
    capability_id, label = capability.id, capability.lot.label
    capability.lot.capabilities.remove(capability)
    _flush("This capability is in use and cannot be removed.", "name")
    audit.record(
        actor,
        "capability.removed",
        "capability",
        capability_id,
        summary=f"Capability '{before['name']}' removed from {label}",
        before=before,
    )
    db.session.commit()


# Price items


def _check_price_item(lot: Lot, name: str, unit: str, basis: str, item: PriceItem | None) -> tuple[str, str]:
    name = _text(name, "Enter the price item's name", "name")
    unit = _text(unit, "Enter the unit, like per user licence", "unit")
    if basis not in PRICE_BASES:
        raise ValidationError("Select how the price is charged", field="basis")
    _check_name_free(PriceItem, lot, name, item, "price item")
    return name, unit


def add_price_item(actor: User, lot: Lot, *, name: str, unit: str, basis: str) -> PriceItem:
    require_staff(actor, "change frameworks")
    name, unit = _check_price_item(lot, name, unit, basis, None)
    item = PriceItem(lot=lot, name=name, unit=unit, basis=basis, position=_next_position(PriceItem, lot))
    db.session.add(item)
    _flush(f"Lot {lot.number} already has a price item called {name}", "name")
    audit.record(
        actor,
        "price_item.created",
        "price_item",
        item.id,
        summary=f"Price item '{name}' added to {lot.label}",
        after=audit.snapshot(item, ("lot_id", *PRICE_ITEM_FIELDS)),
    )
    db.session.commit()
    return item


def update_price_item(actor: User, item: PriceItem, *, name: str, unit: str, basis: str) -> PriceItem:
    require_staff(actor, "change frameworks")
    name, unit = _check_price_item(item.lot, name, unit, basis, item)
    before = audit.snapshot(item, PRICE_ITEM_FIELDS)
    item.name, item.unit, item.basis = name, unit, basis
    _flush(f"Lot {item.lot.number} already has a price item called {name}", "name")
    _record_change(
        actor, "price_item.updated", "price_item", item, before, PRICE_ITEM_FIELDS, f"Price item '{name}' changed"
    )
    db.session.commit()
    return item


def priced_count(item: PriceItem) -> int:
    """How many suppliers have priced this item (any version)."""
    return db.session.execute(
        select(func.count(func.distinct(SupplierPrice.supplier_id))).where(SupplierPrice.price_item_id == item.id)
    ).scalar_one()


def price_item_removal_problem(item: PriceItem) -> str | None:
    priced = priced_count(item)
    if priced:
        who = "1 supplier has" if priced == 1 else f"{priced} suppliers have"
        return f"{who} priced this item, so it cannot be removed. Change its name or unit instead."
    return None


def remove_price_item(actor: User, item: PriceItem) -> None:
    require_staff(actor, "change frameworks")
    problem = price_item_removal_problem(item)
    if problem:
        raise ConflictError(problem)
    before = audit.snapshot(item, ("lot_id", *PRICE_ITEM_FIELDS))
    item_id, label = item.id, item.lot.label
    item.lot.price_items.remove(item)
    _flush("This price item is in use and cannot be removed.", "name")
    audit.record(
        actor,
        "price_item.removed",
        "price_item",
        item_id,
        summary=f"Price item '{before['name']}' removed from {label}",
        before=before,
    )
    db.session.commit()
