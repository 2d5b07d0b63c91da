"""Who a competition invites: every active, non-excluded member of the lot, narrowed only by capabilities.

A supplier is invitable when its membership of the lot is active (not suspended or removed, and not ended)
and it is not excluded today (the debarment list). The buyer may narrow the list ONLY by requiring
capabilities every invited supplier must claim, and must record why (`narrowing_reason`). Before
publication the list is computed; publication freezes it as Invitation rows, which are then the list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from portal.domain.timefmt import format_date, today_london
from portal.extensions import db
from portal.models import Capability, Competition, CompetitionRequiredCapability, LotMembership, Supplier, User
from portal.services import audit
from portal.services.competitions.builder import commit, require_draft
from portal.services.errors import ValidationError


@dataclass
class SupplierStanding:
    supplier: Supplier
    invitable: bool
    reasons: list[str] = field(default_factory=list)  # why it is not invited (empty when invited)
    eligible: bool = True  # an active, non-excluded member (narrowing aside)


def _ineligibility(membership: LotMembership, today: date) -> list[str]:
    reasons = []
    if membership.status == "suspended":
        reasons.append(f"Suspended from this lot: {membership.status_reason}")
    elif membership.status == "removed":
        reasons.append(f"Removed from this lot: {membership.status_reason}")
    if membership.left_on is not None and membership.left_on < today:
        reasons.append(f"Left this lot on {format_date(membership.left_on)}")
    if membership.joined_on > today:
        reasons.append(f"Joins this lot on {format_date(membership.joined_on)}")
    exclusion = next((e for e in membership.supplier.exclusions if e.active_on(today)), None)
    if exclusion is not None:
        reasons.append(f"Excluded: {exclusion.ground}")
    return reasons


def supplier_standings(competition: Competition, today: date | None = None) -> list[SupplierStanding]:
    """Every member of the lot, invitable or not, with the reasons; sorted by supplier name."""
    today = today or today_london()
    required = {r.capability_id: r.capability.name for r in competition.required_capabilities}
    memberships = db.session.scalars(select(LotMembership).where(LotMembership.lot_id == competition.lot_id)).all()
    standings = []
    for membership in memberships:
        reasons = _ineligibility(membership, today)
        eligible = not reasons
        claimed = {claim.capability_id for claim in membership.supplier.claims}
        missing = [name for cap_id, name in required.items() if cap_id not in claimed]
        if missing:
            reasons.append(
                "Does not claim the required "
                + ("capability " if len(missing) == 1 else "capabilities ")
                + ", ".join(missing)
            )
        standings.append(SupplierStanding(membership.supplier, not reasons, reasons, eligible))
    return sorted(standings, key=lambda s: s.supplier.short_name.casefold())


def invitable_suppliers(competition: Competition, today: date | None = None) -> list[Supplier]:
    return [s.supplier for s in supplier_standings(competition, today) if s.invitable]


def set_required_capabilities(actor: User, competition: Competition, capability_ids: list[int], reason: str) -> None:
    narrow(actor, competition, capability_ids, reason)
    commit()


def narrow(actor: User, competition: Competition, capability_ids: list[int], reason: str) -> None:
    """set_required_capabilities without the commit, for callers that add to the same transaction."""
    require_draft(competition)
    lot_capabilities = {c.id: c for c in competition.lot.capabilities}
    unknown = [cap_id for cap_id in capability_ids if cap_id not in lot_capabilities]
    if unknown:
        raise ValidationError("Select capabilities from the list", field="capability_ids")
    reason = (reason or "").strip()
    if capability_ids and not reason:
        raise ValidationError("Enter why only suppliers with these capabilities are invited", field="narrowing_reason")
    before = _snapshot(competition)
    wanted = set(capability_ids)
    for row in list(competition.required_capabilities):
        if row.capability_id not in wanted:
            competition.required_capabilities.remove(row)
    have = {row.capability_id for row in competition.required_capabilities}
    for cap_id in dict.fromkeys(capability_ids):
        if cap_id not in have:
            competition.required_capabilities.append(CompetitionRequiredCapability(capability_id=cap_id))
    competition.narrowing_reason = reason if capability_ids else ""
    db.session.flush()
    db.session.expire(competition, ["required_capabilities"])
    after = _snapshot(competition)
    old, new = audit.changed(before, after)
    if new:
        after_invited = [s.short_name for s in invitable_suppliers(competition)]
        new["invited"] = after_invited
        audit.record(
            actor,
            "competition.suppliers_narrowed" if capability_ids else "competition.suppliers_widened",
            "competition",
            competition.id,
            summary=f"Required capabilities of {competition.reference} changed: {len(after_invited)} invitable",
            before=old,
            after=new,
        )


def _snapshot(competition: Competition) -> dict:
    names = sorted(
        db.session.scalars(
            select(Capability.name)
            .join(CompetitionRequiredCapability, CompetitionRequiredCapability.capability_id == Capability.id)
            .where(CompetitionRequiredCapability.competition_id == competition.id)
        )
    )
    return {"required_capabilities": names, "narrowing_reason": competition.narrowing_reason}


def suppliers_complete(competition: Competition) -> bool:
    narrowed_with_reason = not competition.required_capabilities or bool(competition.narrowing_reason)
    return narrowed_with_reason and bool(invitable_suppliers(competition))
