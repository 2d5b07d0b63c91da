"""Direct awards, steps 1-3 of the buyer's journey: framework and lot, requirement, quantities; who sees what.

Visibility: procurement officers (buyer, approver) see only their own organisation's direct awards; anything else
answers 404, so another organisation's award is not revealed. Suppliers see an award only once it is approved and
only if it is awarded to them (portal.services.direct_award_decisions).

Each step persists when saved, so a session that expires mid-journey loses nothing already saved. The requirement
cannot change once an award is recommended: the recommendation rests on a frozen shortlist of that requirement.
Changing it before then is allowed; the frozen shortlist it no longer matches is kept as superseded
(portal.services.direct_award_shortlist).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.domain.direct_award import PriceBasis, PriceItemQuantity, Requirement, requirement_errors
from portal.domain.framework_term import FrameworkStatus
from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import (
    Accreditation,
    Capability,
    DirectAward,
    DirectAwardAccreditation,
    DirectAwardCapability,
    DirectAwardQuantity,
    Framework,
    Lot,
    PriceItem,
    User,
)
from portal.services import audit
from portal.services.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError

# --- Who sees what ------------------------------------------------------------------------------------------------


def _officer(user: User) -> None:
    if not user.is_procurement_officer:
        raise PermissionDeniedError("Only a buying organisation's procurement officers can do this.")


def list_for_officer(user: User) -> list[DirectAward]:
    _officer(user)
    query = (
        select(DirectAward)
        .where(DirectAward.buyer_organisation_id == user.buyer_organisation_id)
        .options(selectinload(DirectAward.lot).selectinload(Lot.framework))
        .order_by(DirectAward.created_at.desc(), DirectAward.id.desc())
    )
    return list(db.session.scalars(query))


def get_for_officer(user: User, direct_award_id: int, *, for_update: bool = False) -> DirectAward:
    """A direct award of the user's own organisation, or 404."""
    _officer(user)
    query = select(DirectAward).where(
        DirectAward.id == direct_award_id, DirectAward.buyer_organisation_id == user.buyer_organisation_id
    )
    if for_update:
        query = query.with_for_update()
    award = db.session.scalar(query)
    if award is None:
        raise NotFoundError("Direct award not found")
    return award


# --- Step 1: framework and lot -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LotChoice:
    lot: Lot
    framework: Framework

    @property
    def allowed(self) -> bool:
        return self.lot.direct_award_allowed


def lot_choices(user: User) -> list[LotChoice]:
    """Every lot of the live frameworks the user's organisation may call off from, allowed or not."""
    _officer(user)
    if user.buyer_organisation is None:  # the belongs_to_one_party check gives every officer one
        raise PermissionDeniedError("This account belongs to no buying organisation.")
    org_type = user.buyer_organisation.organisation_type
    today = today_london()
    frameworks = db.session.scalars(
        select(Framework)
        .options(selectinload(Framework.lots), selectinload(Framework.eligible_buyer_types))
        .options(selectinload(Framework.extension_options))
        .order_by(Framework.start_on.desc(), Framework.reference)
    )
    return [
        LotChoice(lot, f)
        for f in frameworks
        if f.status_on(today) is FrameworkStatus.LIVE and org_type in f.buyer_type_values
        for lot in f.lots
    ]


def _usable_lot(user: User, lot_id: int | None) -> Lot:
    choice = next((c for c in lot_choices(user) if c.lot.id == lot_id), None)
    if choice is None:
        raise ValidationError("Select a framework and lot", field="lot_id")
    if not choice.allowed:
        raise ValidationError(
            f"{choice.framework.reference} {choice.lot.label} does not allow direct award: run a mini-competition",
            field="lot_id",
        )
    return choice.lot


def start(user: User, lot_id: int | None) -> DirectAward:
    lot = _usable_lot(user, lot_id)
    award = DirectAward(
        reference=f"DA-{uuid.uuid4().hex[:12]}",  # replaced by the numbered reference once the id is known
        buyer_organisation_id=user.buyer_organisation_id,
        lot_id=lot.id,
        created_by_id=user.id,
        title="",
        term_months=min(12, lot.framework.max_call_off_months),
    )
    db.session.add(award)
    db.session.flush()
    award.reference = f"DA-{award.id:05d}"
    audit.record(
        user,
        "direct_award.started",
        "direct_award",
        award.id,
        summary=f"Direct award {award.reference} started on {lot.framework.reference} {lot.label}",
        after={"reference": award.reference, "lot_id": lot.id},
    )
    db.session.commit()
    return award


def _editable(award: DirectAward) -> None:
    if award.cancelled_at is not None:
        raise ConflictError("This direct award has been cancelled.")
    if award.recommended_at is not None:
        raise ConflictError("The award has been recommended, so the requirement can no longer change.")


def change_lot(user: User, award: DirectAward, lot_id: int | None) -> None:
    _editable(award)
    if lot_id == award.lot_id:
        return
    lot = _usable_lot(user, lot_id)
    before = {"lot_id": award.lot_id}
    # Capabilities and price items belong to a lot: what was chosen on the old lot means nothing on the new one.
    award.capabilities.clear()
    award.quantities.clear()
    award.lot_id = lot.id
    award.term_months = min(award.term_months, lot.framework.max_call_off_months)
    audit.record(
        user,
        "direct_award.lot_changed",
        "direct_award",
        award.id,
        summary=f"{award.reference}: lot changed to {lot.framework.reference} {lot.label}",
        before=before,
        after={"lot_id": lot.id},
    )
    db.session.commit()


# --- Step 2: requirement ------------------------------------------------------------------------------------------


def accreditation_schemes() -> list[str]:
    """Schemes a buyer may require: those held by any supplier (there is no separate list of schemes)."""
    return list(db.session.scalars(select(Accreditation.scheme).distinct().order_by(Accreditation.scheme)))


@dataclass(frozen=True)
class RequirementInput:
    title: str
    statement: str
    capability_ids: list[int]
    schemes: list[str]
    term_months: int | None
    planned_start_on: date | None


def _requirement_snapshot(award: DirectAward) -> dict:
    data = audit.snapshot(award, ("title", "statement_of_requirements", "term_months", "planned_start_on"))
    data["capability_ids"] = sorted(c.capability_id for c in award.capabilities)
    data["schemes"] = sorted(a.scheme for a in award.accreditations)
    return data


def save_requirement(user: User, award: DirectAward, data: RequirementInput) -> None:
    _editable(award)
    lot = award.lot
    valid_capabilities = {c.id for c in lot.capabilities}
    chosen = set(data.capability_ids)
    if not chosen or not chosen <= valid_capabilities:
        raise ValidationError("Select at least one essential capability", field="capability_ids")
    if not set(data.schemes) <= set(accreditation_schemes()):
        raise ValidationError("Select accreditations from the list", field="schemes")
    if data.term_months is None:
        raise ValidationError("Enter the contract term in months", field="term_months")
    check = Requirement(frozenset(chosen), frozenset(data.schemes), data.term_months, data.planned_start_on or date.min)
    errors = requirement_errors(check, [], lot.framework.max_call_off_months)
    if "term_months" in errors:
        raise ValidationError(errors["term_months"], field="term_months")
    if data.planned_start_on is None:
        raise ValidationError("Enter the planned start date", field="planned_start_on")
    if data.planned_start_on < today_london():
        raise ValidationError("The planned start date must be today or in the future", field="planned_start_on")
    before = _requirement_snapshot(award)
    award.title = data.title
    award.statement_of_requirements = data.statement
    award.term_months = data.term_months
    award.planned_start_on = data.planned_start_on
    award.capabilities[:] = [
        next((c for c in award.capabilities if c.capability_id == cid), None)
        or DirectAwardCapability(capability_id=cid)
        for cid in sorted(chosen)
    ]
    award.accreditations[:] = [
        next((a for a in award.accreditations if a.scheme == s), None) or DirectAwardAccreditation(scheme=s)
        for s in sorted(set(data.schemes))
    ]
    old, new = audit.changed(before, _requirement_snapshot(award))
    audit.record(
        user, "direct_award.requirement_saved", "direct_award", award.id,
        summary=f"{award.reference}: requirement saved", before=old, after=new,
    )  # fmt: skip
    db.session.commit()


# --- Step 3: quantities -------------------------------------------------------------------------------------------


def save_quantities(user: User, award: DirectAward, quantities: dict[int, int | None]) -> None:
    """Whole quantities of 0 or more for every price item of the lot; at least one above 0."""
    _editable(award)
    items = award.lot.price_items
    wanted = [PriceItemQuantity(i.id, i.name, PriceBasis(i.basis), _entered(i, quantities)) for i in items]
    check = Requirement(frozenset({0}), frozenset(), 1, date.min)
    errors = requirement_errors(check, wanted, award.lot.framework.max_call_off_months)
    for key, message in errors.items():
        raise ValidationError(message, field=key if key.startswith("quantity_") else f"quantity_{items[0].id}")
    before = {str(q.price_item_id): q.quantity for q in award.quantities}
    existing = {q.price_item_id: q for q in award.quantities}
    award.quantities[:] = [_quantity_row(existing.get(q.price_item_id), q.price_item_id, q.quantity) for q in wanted]
    after = {str(q.price_item_id): q.quantity for q in wanted}
    old, new = audit.changed(before, after)
    audit.record(
        user, "direct_award.quantities_saved", "direct_award", award.id, summary=f"{award.reference}: quantities saved",
        before=old, after=new,
    )  # fmt: skip
    db.session.commit()


def _entered(item: PriceItem, quantities: dict[int, int | None]) -> int:
    quantity = quantities.get(item.id)
    if quantity is None:
        raise ValidationError(f"Enter a quantity for {item.name}", field=f"quantity_{item.id}")
    return quantity


def _quantity_row(row: DirectAwardQuantity | None, price_item_id: int, quantity: int) -> DirectAwardQuantity:
    if row is None:
        return DirectAwardQuantity(price_item_id=price_item_id, quantity=quantity)
    row.quantity = quantity
    return row


# --- The task list -------------------------------------------------------------------------------------------------


def requirement_complete(award: DirectAward) -> bool:
    return bool(award.title and award.planned_start_on and award.capabilities)


def quantities_complete(award: DirectAward) -> bool:
    items = {i.id for i in award.lot.price_items}
    given = {q.price_item_id: q.quantity for q in award.quantities}
    return bool(items) and set(given) == items and any(given.values())


def ready_for_results(award: DirectAward) -> bool:
    return requirement_complete(award) and quantities_complete(award)


def domain_requirement(award: DirectAward) -> tuple[Requirement, list[PriceItemQuantity]]:
    """The award's requirement and quantities in the domain's terms (names for the wording of reasons)."""
    rows = db.session.execute(select(Capability.id, Capability.name).where(Capability.lot_id == award.lot_id))
    names = {capability_id: name for capability_id, name in rows}
    requirement = Requirement(
        frozenset(c.capability_id for c in award.capabilities),
        frozenset(a.scheme for a in award.accreditations),
        award.term_months,
        award.planned_start_on,  # type: ignore[arg-type]
        names,
    )
    given = {q.price_item_id: q.quantity for q in award.quantities}
    items = db.session.scalars(
        select(PriceItem).where(PriceItem.lot_id == award.lot_id).order_by(PriceItem.position, PriceItem.id)
    )
    return requirement, [PriceItemQuantity(i.id, i.name, PriceBasis(i.basis), given.get(i.id, 0)) for i in items]
