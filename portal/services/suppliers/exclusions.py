"""Exclusions: debarment list entries (and exclusions staff record) against a supplier.

Only framework staff record or end them. The Procurement Act 2023 caps how long an entry may last
(5 years on a mandatory ground, 3 on a discretionary one); a longer period is refused, and a blank
end date takes the maximum, so no entry runs on indefinitely by accident.
"""

from __future__ import annotations

from datetime import date

from portal.domain.suppliers import ExclusionKind, exclusion_latest_end, exclusion_period_problem
from portal.domain.timefmt import format_date
from portal.extensions import db
from portal.models import Exclusion, Supplier, User
from portal.services import audit, notifications
from portal.services.errors import ConflictError, NotFoundError, ValidationError
from portal.services.notifications import links, recipients
from portal.services.permissions import require_staff

EXCLUSION_FIELDS = ("supplier_id", "ground", "kind", "starts_on", "ends_on")


def get_exclusion(supplier: Supplier, exclusion_id: int) -> Exclusion:
    exclusion = db.session.get(Exclusion, exclusion_id)
    if exclusion is None or exclusion.supplier_id != supplier.id:
        raise NotFoundError("Exclusion not found")
    return exclusion


def add_exclusion(
    actor: User, supplier: Supplier, *, ground: str, kind: str | None, starts_on: date | None, ends_on: date | None
) -> Exclusion:
    require_staff(actor)
    ground = (ground or "").strip()
    if not ground:
        raise ValidationError("Enter the ground for exclusion", field="ground")
    if kind not in {k.value for k in ExclusionKind}:
        raise ValidationError("Select whether the ground is mandatory or discretionary", field="kind")
    if starts_on is None:
        raise ValidationError("Enter the date the exclusion starts", field="starts_on")
    ends_on = ends_on or exclusion_latest_end(kind, starts_on)
    problem = exclusion_period_problem(kind, starts_on, ends_on)
    if problem:
        raise ValidationError(problem, field="ends_on")
    exclusion = Exclusion(
        supplier=supplier, ground=ground, kind=kind, starts_on=starts_on, ends_on=ends_on, recorded_by_id=actor.id
    )
    db.session.add(exclusion)
    db.session.flush()
    audit.record(
        actor,
        "exclusion.added",
        "exclusion",
        exclusion.id,
        summary=f"{supplier.short_name} excluded ({kind}) from {starts_on.isoformat()} to {ends_on.isoformat()}",
        after=audit.snapshot(exclusion, EXCLUSION_FIELDS),
    )
    # The supplier's own users only: they must know at once, since they can no longer bid or be awarded work.
    notifications.notify(
        recipients.supplier_users([supplier.id]),
        "supplier_suspended",
        f"Excluded from procurement: {supplier.legal_name}",
        f"{supplier.legal_name} has been excluded ({kind}) from {format_date(starts_on)} to {format_date(ends_on)}."
        f"\n\nGround: {ground}\n\n"
        "While excluded you cannot bid in competitions or be awarded work. If you think this is wrong, or you have "
        "taken steps that mean the ground no longer applies (self-cleaning), contact the framework team.",
        link=links.path_for("supplier.profile"),
    )
    db.session.commit()
    return exclusion


def end_early(actor: User, exclusion: Exclusion, ends_on: date | None, reason: str) -> None:
    """Bring an exclusion's end forward, e.g. after self-cleaning or a successful challenge."""
    require_staff(actor)
    reason = (reason or "").strip()
    if ends_on is None:
        raise ValidationError("Enter the date the exclusion ends", field="ends_on")
    if not reason:
        raise ValidationError("Enter the reason for ending the exclusion early", field="reason")
    if exclusion.ends_on is not None and ends_on >= exclusion.ends_on:
        raise ConflictError(
            "The new end date must be before the current end date: an exclusion can only be ended early",
            field="ends_on",
        )
    problem = exclusion_period_problem(exclusion.kind, exclusion.starts_on, ends_on)
    if problem:
        raise ValidationError(problem, field="ends_on")
    before = audit.snapshot(exclusion, ("ends_on",))
    exclusion.ends_on = ends_on
    audit.record(
        actor,
        "exclusion.ended_early",
        "exclusion",
        exclusion.id,
        summary=f"Exclusion of {exclusion.supplier.short_name} ends {ends_on.isoformat()}: {reason}",
        before=before,
        after={**audit.snapshot(exclusion, ("ends_on",)), "reason": reason},
    )
    db.session.commit()
