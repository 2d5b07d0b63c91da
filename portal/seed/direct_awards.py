"""Demo direct awards on PDS-SMME-2024 lot 1 (`seed_direct_awards`, called after the main demo seed).

- Turns direct award on for that lot (lowest whole-life cost; tie-breaks framework ranking, then lower cost) and
  gives its suppliers framework rankings.
- DA-DEMO-0001: a Surrey Police award to Orlo, with its frozen shortlist, recommended by the buyer, approved by the
  approver and accepted by Orlo. The requirement (every corporate channel, national standards, mobile use on force
  devices, Cyber Essentials Plus) leaves Orlo and Softcat capable (CivicPulse is suspended), and Orlo's price card
  is the cheaper of the two, so the mechanism selects Orlo.
- DA-DEMO-0002: a Surrey Police award in progress at the results step: requirement and quantities, not frozen.

Idempotent: awards are found by reference, settings and rankings only set when different, so a second run creates
nothing and records no events. The shortlist is built by the same code as the buyer's freeze, from the demo data as
it stands when seeded; audit events are attributed to the system, like the rest of the demo seed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from portal.domain.canonical import canonical_json
from portal.extensions import db
from portal.models import (
    BuyerOrganisation,
    Capability,
    DirectAward,
    DirectAwardAccreditation,
    DirectAwardCapability,
    DirectAwardQuantity,
    Framework,
    Lot,
    LotMembership,
    PriceItem,
    Shortlist,
    Supplier,
    User,
)
from portal.seed.common import SEED_EVENT, at
from portal.services import audit
from portal.services.direct_awards import shortlist as shortlists
from portal.services.notices import standstill

FRAMEWORK = "PDS-SMME-2024"
LOT_NUMBER = 1
ORGANISATION = "Surrey Police"
BUYER, APPROVER, ORLO_USER = "buyer@surrey.police.example", "approver@surrey.police.example", "bids@orlo.example"
RANKINGS = {"Orlo": 2, "Softcat": 1, "Beacon Engage": 3, "Signalhouse": 4, "Tidewater": 5, "CivicPulse": 6}


@dataclass(frozen=True)
class AwardSpec:
    reference: str
    title: str
    statement: str
    capabilities: tuple[str, ...]
    schemes: tuple[str, ...]
    term_months: int
    starts_on: date
    quantities: dict[str, int]
    created_on: date


AWARDED = AwardSpec(
    "DA-DEMO-0001",
    "Social media management for the corporate communications team",
    "A platform for the corporate communications team and 120 neighbourhood officers to publish to, monitor and "
    "answer every corporate account, including from force mobile devices, to national standards.",
    (
        "All corporate channels managed in one place",
        "Meets national standards for social media management",
        "Mobile use on force devices",
    ),
    ("Cyber Essentials Plus",),
    24,
    date(2026, 10, 1),
    {"User licence": 120, "Onboarding and configuration": 5, "Training session": 2, "Premium analytics module": 0},
    date(2026, 9, 7),
)
IN_PROGRESS = AwardSpec(
    "DA-DEMO-0002",
    "Community listening for neighbourhood policing teams",
    "Listening to and answering community conversations for 40 neighbourhood teams, with scheduled content paused "
    "and managed during critical incidents.",
    (
        "Listening to and responding to communities",
        "Managing scheduled content during a critical incident",
        "Safe, secure and auditable use",
    ),
    ("ISO 27001",),
    12,
    date(2027, 4, 1),
    {"User licence": 40, "Onboarding and configuration": 3, "Training session": 4, "Premium analytics module": 1},
    date(2026, 11, 16),
)


def seed_direct_awards() -> str:
    """Load the demo direct awards; return a one-line report. Needs the main demo seed first."""
    try:
        lot = db.session.scalar(
            select(Lot).join(Framework).where(Framework.reference == FRAMEWORK, Lot.number == LOT_NUMBER)
        )
        if lot is None:
            return "Direct awards not seeded: load the main demo data first."
        changed = ensure_settings(lot)
        created = []
        for spec in (AWARDED, IN_PROGRESS):
            if db.session.scalar(select(DirectAward.id).where(DirectAward.reference == spec.reference)) is None:
                award = create_award(spec, lot)
                if spec is AWARDED:
                    _freeze_and_award(award, spec)
                created.append(spec.reference)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if not created and not changed:
        return "Demo direct awards already loaded: nothing new created."
    return f"Demo direct awards loaded: {', '.join(created) or 'none new'}; lot settings changed: {changed}."


def _user(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()


def ensure_settings(lot: Lot) -> int:
    changed = 0
    wanted = {
        "direct_award_allowed": True,
        "selection_mechanism": "lowest_cost",
        "direct_award_tie_break": "framework_ranking,lower_cost",
    }
    before = audit.snapshot(lot, tuple(wanted))
    if before != wanted:
        for name, value in wanted.items():
            setattr(lot, name, value)
        audit.record(
            None, SEED_EVENT, "lot", lot.id,
            summary=f"Demo data: direct award allowed on {lot.framework.reference} {lot.label}",
            before=before, after=wanted,
        )  # fmt: skip
        changed += 1
    memberships = db.session.execute(
        select(LotMembership, Supplier.trading_name, Supplier.legal_name)
        .join(Supplier)
        .where(LotMembership.lot_id == lot.id)
    ).all()
    for membership, trading, legal in memberships:
        name = trading or legal
        ranking = next((r for prefix, r in RANKINGS.items() if name.startswith(prefix)), None)
        if ranking is not None and membership.framework_ranking is None:
            membership.framework_ranking = ranking
            audit.record(
                None, SEED_EVENT, "lot_membership", membership.id,
                summary=f"Demo data: {name} ranked {ranking} on {lot.label}", after={"framework_ranking": ranking},
            )  # fmt: skip
            changed += 1
    return changed


def create_award(spec: AwardSpec, lot: Lot) -> DirectAward:
    organisation = db.session.scalars(select(BuyerOrganisation).where(BuyerOrganisation.name == ORGANISATION)).one()
    capabilities = {c.name: c.id for c in db.session.scalars(select(Capability).where(Capability.lot_id == lot.id))}
    items = {i.name: i.id for i in db.session.scalars(select(PriceItem).where(PriceItem.lot_id == lot.id))}
    award = DirectAward(
        reference=spec.reference,
        buyer_organisation_id=organisation.id,
        lot_id=lot.id,
        created_by_id=_user(BUYER).id,
        title=spec.title,
        statement_of_requirements=spec.statement,
        term_months=spec.term_months,
        planned_start_on=spec.starts_on,
        created_at=at(spec.created_on, 9),
        capabilities=[DirectAwardCapability(capability_id=capabilities[name]) for name in spec.capabilities],
        accreditations=[DirectAwardAccreditation(scheme=s) for s in spec.schemes],
        quantities=[DirectAwardQuantity(price_item_id=items[n], quantity=q) for n, q in spec.quantities.items()],
    )
    db.session.add(award)
    db.session.flush()
    audit.record(
        None, SEED_EVENT, "direct_award", award.id, summary=f"Demo data: direct award {spec.reference} created",
        after={"reference": spec.reference, "title": spec.title},
    )  # fmt: skip
    return award


def _freeze_and_award(award: DirectAward, spec: AwardSpec) -> None:
    buyer, approver, orlo_user = _user(BUYER), _user(APPROVER), _user(ORLO_USER)
    frozen_at = at(spec.created_on + timedelta(days=7), 11)
    content = shortlists.build_content(award, shortlists.run(award)) | {
        "frozen_at": frozen_at.isoformat(),
        "frozen_by": buyer.email,
    }
    selected = shortlists.supplier_in(content, content["selected_supplier_id"])
    if selected is None or selected["supplier"]["id"] != orlo_user.supplier_id:
        raise RuntimeError(f"The demo data no longer makes Orlo the selected supplier: {content['selection_summary']}")
    text = canonical_json(content)
    frozen = Shortlist(
        direct_award_id=award.id,
        version=1,
        frozen_at=frozen_at,
        frozen_by_id=buyer.id,
        content_json=text,
        content_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        selected_supplier_id=content["selected_supplier_id"],
    )
    db.session.add(frozen)
    db.session.flush()
    approved_at = at(spec.created_on + timedelta(days=9), 14)
    award.justification = (
        "The lot's terms are complete and its mechanism, lowest whole-life cost among capable suppliers, selects "
        "Orlo on the frozen shortlist. A direct award under the framework is the proportionate route."
    )
    award.recommended_shortlist_id = frozen.id
    award.recommended_supplier_id = orlo_user.supplier_id
    award.recommended_at = at(spec.created_on + timedelta(days=8), 10)
    award.recommended_by_id = buyer.id
    award.approved_at = approved_at
    award.approved_by_id = approver.id
    # PCR 2015: the voluntary standstill runs from approval, its end computed by the services' code.
    award.standstill_started_at = approved_at
    award.standstill_ends_at = standstill.ends_if_started(award, approved_at)
    award.accepted_at = award.standstill_ends_at + timedelta(hours=10)
    award.accepted_by_id = orlo_user.id
    audit.record(
        None, SEED_EVENT, "direct_award", award.id,
        summary=f"Demo data: {spec.reference} shortlist frozen, awarded to Orlo, approved and accepted",
        after={"shortlist_sha256": frozen.content_sha256, "supplier_id": orlo_user.supplier_id},
    )  # fmt: skip
