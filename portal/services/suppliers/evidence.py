"""What a supplier offers as evidence: capability claims with their evidence, and accreditations.

Both framework staff and the supplier's own users may change these. A supplier user may claim only
capabilities of lots its supplier is an active member of: a suspended or removed supplier cannot
strengthen its position on a lot while it is out of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from portal.domain.suppliers import MembershipStatus
from portal.extensions import db
from portal.models import Accreditation, Capability, CapabilityClaim, LotMembership, Supplier, User
from portal.services import audit
from portal.services.catalogue.search_index import reindex_supplier
from portal.services.errors import NotFoundError, PermissionDeniedError, ValidationError
from portal.services.suppliers.profiles import conflict_on_duplicate, require_may_edit

EVIDENCE_MAX_CHARACTERS = 5000
ACCREDITATION_FIELDS = ("supplier_id", "scheme", "certificate_reference", "awarded_on", "expires_on")


@dataclass(frozen=True)
class LotClaims:
    """One lot's capabilities for a supplier, each with its claim (or None), and whether it may be edited."""

    membership: LotMembership
    capabilities: list[tuple[Capability, CapabilityClaim | None]]
    editable: bool


def _may_claim_on(actor: User, membership: LotMembership) -> bool:
    # Staff may record evidence whatever the status; suppliers only while active on the lot.
    return actor.is_staff or membership.status == MembershipStatus.ACTIVE


def claims_by_lot(actor: User, supplier: Supplier) -> list[LotClaims]:
    claims = {c.capability_id: c for c in supplier.claims}
    memberships = memberships_of(supplier)
    return [
        LotClaims(
            membership=m,
            capabilities=[(cap, claims.get(cap.id)) for cap in m.lot.capabilities],
            editable=_may_claim_on(actor, m),
        )
        for m in memberships
    ]


def claimable_capability(
    actor: User, supplier: Supplier, capability_id: int
) -> tuple[Capability, CapabilityClaim | None]:
    """The capability and any existing claim, if this actor may claim it for this supplier."""
    require_may_edit(actor, supplier)
    capability = db.session.get(Capability, capability_id)
    if capability is None:
        raise NotFoundError("Capability not found")
    membership = next((m for m in supplier.memberships if m.lot_id == capability.lot_id), None)
    if membership is None or not _may_claim_on(actor, membership):
        raise PermissionDeniedError("You can only add evidence for lots you are an active member of.")
    claim = db.session.scalar(
        select(CapabilityClaim).where(
            CapabilityClaim.supplier_id == supplier.id, CapabilityClaim.capability_id == capability.id
        )
    )
    return capability, claim


@conflict_on_duplicate("This evidence was saved by someone else at the same moment: check it and try again", "evidence")
def save_claim(actor: User, supplier: Supplier, capability_id: int, evidence: str) -> CapabilityClaim:
    capability, claim = claimable_capability(actor, supplier, capability_id)
    evidence = (evidence or "").strip()
    if not evidence:
        raise ValidationError("Enter evidence that you meet this capability", field="evidence")
    if len(evidence) > EVIDENCE_MAX_CHARACTERS:
        raise ValidationError(f"Evidence must be {EVIDENCE_MAX_CHARACTERS} characters or fewer", field="evidence")
    before = {"evidence": claim.evidence} if claim else {}
    if claim is None:
        claim = CapabilityClaim(supplier=supplier, capability=capability, evidence=evidence)
        db.session.add(claim)
    elif claim.evidence == evidence:
        return claim
    else:
        claim.evidence = evidence
    db.session.flush()
    audit.record(
        actor,
        "capability_claim.updated" if before else "capability_claim.added",
        "capability_claim",
        claim.id,
        summary=f"{supplier.short_name}: evidence for '{capability.name}' ({capability.lot.label})",
        before=before,
        after={"supplier_id": supplier.id, "capability_id": capability.id, "evidence": evidence},
    )
    reindex_supplier(supplier)
    db.session.commit()
    return claim


def get_accreditation(supplier: Supplier, accreditation_id: int) -> Accreditation:
    accreditation = db.session.get(Accreditation, accreditation_id)
    if accreditation is None or accreditation.supplier_id != supplier.id:
        raise NotFoundError("Accreditation not found")
    return accreditation


def _check_accreditation(scheme: str, awarded_on: date | None, expires_on: date | None) -> str:
    scheme = (scheme or "").strip()
    if not scheme:
        raise ValidationError("Enter the name of the accreditation scheme", field="scheme")
    if awarded_on and expires_on and expires_on < awarded_on:
        raise ValidationError("The expiry date must be on or after the date it was awarded", field="expires_on")
    return scheme


def add_accreditation(
    actor: User,
    supplier: Supplier,
    *,
    scheme: str,
    certificate_reference: str = "",
    awarded_on: date | None = None,
    expires_on: date | None = None,
) -> Accreditation:
    require_may_edit(actor, supplier)
    scheme = _check_accreditation(scheme, awarded_on, expires_on)
    accreditation = Accreditation(
        supplier=supplier,
        scheme=scheme,
        certificate_reference=(certificate_reference or "").strip(),
        awarded_on=awarded_on,
        expires_on=expires_on,
    )
    db.session.add(accreditation)
    db.session.flush()
    audit.record(
        actor,
        "accreditation.added",
        "accreditation",
        accreditation.id,
        summary=f"{supplier.short_name}: {scheme} accreditation added",
        after=audit.snapshot(accreditation, ACCREDITATION_FIELDS),
    )
    db.session.commit()
    return accreditation


def update_accreditation(
    actor: User,
    accreditation: Accreditation,
    *,
    scheme: str,
    certificate_reference: str = "",
    awarded_on: date | None = None,
    expires_on: date | None = None,
) -> None:
    require_may_edit(actor, accreditation.supplier)
    scheme = _check_accreditation(scheme, awarded_on, expires_on)
    before = audit.snapshot(accreditation, ACCREDITATION_FIELDS)
    accreditation.scheme = scheme
    accreditation.certificate_reference = (certificate_reference or "").strip()
    accreditation.awarded_on = awarded_on
    accreditation.expires_on = expires_on
    old, new = audit.changed(before, audit.snapshot(accreditation, ACCREDITATION_FIELDS))
    if not new:
        return
    audit.record(
        actor,
        "accreditation.updated",
        "accreditation",
        accreditation.id,
        summary=f"{accreditation.supplier.short_name}: {scheme} accreditation changed",
        before=old,
        after=new,
    )
    db.session.commit()


def remove_accreditation(actor: User, accreditation: Accreditation) -> None:
    supplier = accreditation.supplier
    require_may_edit(actor, supplier)
    before = audit.snapshot(accreditation, ACCREDITATION_FIELDS)
    audit.record(
        actor,
        "accreditation.removed",
        "accreditation",
        accreditation.id,
        summary=f"{supplier.short_name}: {accreditation.scheme} accreditation removed",
        before=before,
    )
    db.session.delete(accreditation)
    db.session.commit()


def memberships_of(supplier: Supplier) -> list[LotMembership]:
    """The supplier's lot memberships in framework and lot order."""
    return sorted(supplier.memberships, key=lambda m: (m.lot.framework_id, m.lot.number))
