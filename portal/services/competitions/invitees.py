"""Who a competition invites: every member of the lot eligible today, narrowed only by capabilities.

A supplier is invitable when it is eligible today (portal.domain.suppliers.eligibility_on: a member of the lot
that has joined and not left, neither suspended nor removed, not excluded, on a live framework). The buyer may
narrow the list ONLY by requiring capabilities every invited supplier must claim, and must record why
(`narrowing_reason`). Before publication the list is computed; publication freezes it as Invitation rows, which are
then the list. The Suppliers section is done only once the buyer has saved (confirmed) the list: every save is
audited, so the audit trail is the record of that confirmation (no column needed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import (
    AuditEvent,
    Capability,
    Competition,
    CompetitionRequiredCapability,
    LotMembership,
    Supplier,
    User,
)
from portal.services import audit
from portal.services.competitions.builder import commit, require_draft
from portal.services.errors import ValidationError
from portal.services.suppliers import eligibility


@dataclass
class SupplierStanding:
    supplier: Supplier
    invitable: bool
    reasons: list[str] = field(default_factory=list)  # why it is not invited (empty when invited)
    eligible: bool = True  # eligible today (narrowing aside)


def supplier_standings(competition: Competition, today: date | None = None) -> list[SupplierStanding]:
    """Every member of the lot, invitable or not, with the reasons; sorted by supplier name."""
    today = today or today_london()
    required = {r.capability_id: r.capability.name for r in competition.required_capabilities}
    term = eligibility.framework_term(competition.lot.framework)
    memberships = db.session.scalars(
        select(LotMembership)
        .where(LotMembership.lot_id == competition.lot_id)
        .options(
            selectinload(LotMembership.supplier).options(
                selectinload(Supplier.exclusions), selectinload(Supplier.claims)
            )
        )
    ).all()
    standings = []
    for membership in memberships:
        verdict = eligibility.of_member(membership, term, today)
        reasons, eligible = verdict.messages, verdict.eligible
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
    after_invited = [s.short_name for s in invitable_suppliers(competition)]
    if new:
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
    else:
        # Saved unchanged: the buyer confirms the list as it stands, which completes the Suppliers section.
        audit.record(
            actor,
            "competition.suppliers_confirmed",
            "competition",
            competition.id,
            summary=f"Supplier list of {competition.reference} confirmed: {len(after_invited)} invitable",
            after={"invited": after_invited},
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


# Each is written by a save of the Suppliers page (narrow), so any of them means the buyer confirmed the list.
SUPPLIER_LIST_SAVED = (
    "competition.suppliers_confirmed",
    "competition.suppliers_narrowed",
    "competition.suppliers_widened",
)


def suppliers_confirmed(competition: Competition) -> bool:
    """Whether the buyer has saved the Suppliers section at least once (one indexed query on the audit trail)."""
    found = db.session.scalar(
        select(AuditEvent.id)
        .where(
            AuditEvent.object_type == "competition",
            AuditEvent.object_id == str(competition.id),
            AuditEvent.event_type.in_(SUPPLIER_LIST_SAVED),
        )
        .limit(1)
    )
    return found is not None


def suppliers_complete(competition: Competition) -> bool:
    narrowed_with_reason = not competition.required_capabilities or bool(competition.narrowing_reason)
    return suppliers_confirmed(competition) and narrowed_with_reason and bool(invitable_suppliers(competition))
