"""A supplier's place on a framework's lots: joining, suspension, reinstatement and removal.

Only framework staff change memberships. Every change stamps `status_changed_at` and is audited;
the database itself refuses a suspension or removal without a reason.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.domain.suppliers import MembershipStatus, can_change_membership, joining_date_problem
from portal.domain.timefmt import format_date
from portal.extensions import db
from portal.models import Lot, LotMembership, Supplier, User
from portal.models.base import utcnow
from portal.services import audit, notifications
from portal.services.errors import ConflictError, NotFoundError, ValidationError
from portal.services.notifications import links, recipients
from portal.services.permissions import require_staff
from portal.services.suppliers.profiles import conflict_on_duplicate

MEMBERSHIP_FIELDS = ("supplier_id", "lot_id", "joined_on", "left_on", "status", "status_reason")


def get_membership(supplier: Supplier, membership_id: int) -> LotMembership:
    membership = db.session.get(LotMembership, membership_id)
    if membership is None or membership.supplier_id != supplier.id:
        raise NotFoundError("Lot membership not found")
    return membership


def lots_to_join(supplier: Supplier) -> list[Lot]:
    """Lots the supplier is not on yet (a removed membership stays on record, so that lot is not offered)."""
    joined = {m.lot_id for m in supplier.memberships}
    lots = db.session.scalars(select(Lot).order_by(Lot.framework_id, Lot.number)).all()
    return [lot for lot in lots if lot.id not in joined]


@conflict_on_duplicate("The supplier is already on this lot", "lot_id")
def add_to_lot(actor: User, supplier: Supplier, lot_id: int | None, joined_on: date | None) -> LotMembership:
    require_staff(actor)
    lot = db.session.get(Lot, lot_id) if lot_id else None
    if lot is None:
        raise ValidationError("Select a lot", field="lot_id")
    if joined_on is None:
        raise ValidationError("Enter the date the supplier joined the lot", field="joined_on")
    framework = lot.framework
    problem = joining_date_problem(joined_on, framework.start_on, framework.current_end_on)
    if problem:
        raise ValidationError(problem, field="joined_on")
    if any(m.lot_id == lot.id for m in supplier.memberships):
        raise ConflictError(f"{supplier.short_name} is already on {lot.label}", field="lot_id")
    membership = LotMembership(
        supplier=supplier, lot=lot, joined_on=joined_on, status=MembershipStatus.ACTIVE, status_changed_at=utcnow()
    )
    db.session.add(membership)
    db.session.flush()
    audit.record(
        actor,
        "lot_membership.added",
        "lot_membership",
        membership.id,
        summary=f"{supplier.short_name} added to {lot.framework.reference} {lot.label}",
        after=audit.snapshot(membership, MEMBERSHIP_FIELDS),
    )
    db.session.commit()
    return membership


def _change_status(
    actor: User,
    membership: LotMembership,
    new: MembershipStatus,
    reason: str,
    left_on: date | None = None,
) -> None:
    require_staff(actor)
    current = MembershipStatus(membership.status)
    if not can_change_membership(current, new):
        raise ConflictError(f"A {current.value} membership cannot be changed to {new.value}.")
    reason = (reason or "").strip()
    if new is not MembershipStatus.ACTIVE and not reason:
        verb = "suspending" if new is MembershipStatus.SUSPENDED else "removing"
        raise ValidationError(f"Enter the reason for {verb} the supplier", field="reason")
    if new is MembershipStatus.REMOVED:
        if left_on is None:
            raise ValidationError("Enter the date the supplier left the lot", field="left_on")
        if left_on < membership.joined_on:
            raise ValidationError("The date the supplier left must be on or after the date it joined", field="left_on")
    before = audit.snapshot(membership, MEMBERSHIP_FIELDS)
    membership.status = new.value
    # Reinstating clears the reason so the record never shows a stale one against an active member.
    membership.status_reason = reason if new is not MembershipStatus.ACTIVE else ""
    if new is MembershipStatus.REMOVED:
        membership.left_on = left_on
    membership.status_changed_at = utcnow()
    old, changed = audit.changed(before, audit.snapshot(membership, MEMBERSHIP_FIELDS))
    verb = {"suspended": "suspended from", "active": "reinstated on", "removed": "removed from"}[new.value]
    summary = f"{membership.supplier.short_name} {verb} {membership.lot.label}"
    if reason:
        summary += f": {reason}"
    event = {"suspended": "suspended", "active": "reinstated", "removed": "removed"}[new.value]
    audit.record(
        actor, f"lot_membership.{event}", "lot_membership", membership.id, summary=summary, before=old, after=changed
    )
    if new is not MembershipStatus.ACTIVE:
        _notify_supplier(membership, new, reason)
    db.session.commit()


def _notify_supplier(membership: LotMembership, new: MembershipStatus, reason: str) -> None:
    """The supplier's own users, and nobody else: a suspension or removal is between the supplier and the staff."""
    lot = membership.lot
    on = f"{lot.framework.reference} {lot.label}"
    if new is MembershipStatus.SUSPENDED:
        subject, what = f"Suspended from {on}", "suspended from"
        after = "While suspended you cannot be invited to new competitions or bid on this lot."
    else:
        subject, what = f"Removed from {on}", "removed from"
        after = f"You left the lot on {format_date(membership.left_on)}: you can no longer be awarded work on it."
    notifications.notify(
        recipients.supplier_users([membership.supplier_id]),
        "supplier_suspended",
        subject,
        f"{membership.supplier.legal_name} has been {what} {on} ({lot.framework.name}).\n\n"
        f"Reason: {reason}\n\n{after}\n\n"
        "If you think this is wrong, contact the framework team.",
        link=links.path_for("supplier.profile"),
    )


def suspend(actor: User, membership: LotMembership, reason: str) -> None:
    _change_status(actor, membership, MembershipStatus.SUSPENDED, reason)


def reinstate(actor: User, membership: LotMembership, reason: str = "") -> None:
    _change_status(actor, membership, MembershipStatus.ACTIVE, reason)


def remove(actor: User, membership: LotMembership, reason: str, left_on: date | None) -> None:
    _change_status(actor, membership, MembershipStatus.REMOVED, reason, left_on)
