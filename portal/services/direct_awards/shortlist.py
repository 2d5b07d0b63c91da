"""Direct award, steps 4 and 5: the results as evidence content, the CSV export, and freezing the shortlist.

The results page and a frozen shortlist's page render the same content shape (`build_content`): live results are
built from the database now; a frozen shortlist is that content saved as canonical JSON with its SHA-256 and read
back from the JSON only, so later edits to a supplier's profile, evidence or prices cannot change it.

A frozen shortlist is current while the award's requirement (title, statement, capabilities, accreditations, term,
start date, quantities) is the one it was frozen for; after the requirement changes, freezing again adds version
n + 1 and the earlier ones stay on record, listed as superseded.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import defaultdict
from typing import Any

from sqlalchemy import func, select

from portal.domain.canonical import canonical_json
from portal.domain.direct_award import MEASURES, Shortlist, csv_rows, selection_summary
from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import Accreditation, Capability, CapabilityClaim, DirectAward, Supplier, User
from portal.models import Shortlist as FrozenShortlist
from portal.models.base import utcnow
from portal.services import audit
from portal.services.direct_awards import lot_snapshot
from portal.services.direct_awards import requirements as awards
from portal.services.direct_awards.matching import match, tie_breaks_of
from portal.services.errors import ConflictError, NotFoundError
from portal.services.suppliers import eligibility

CONTENT_SCHEMA = 1
MECHANISM_LABELS = {
    "lowest_cost": "Lowest whole-life cost among capable suppliers",
    "highest_ranking": "Highest framework ranking among capable suppliers",
}
TIE_BREAK_LABELS = {"framework_ranking": "Better framework ranking", "lower_cost": "Lower whole-life cost"}


def _ready(award: DirectAward) -> None:
    if not awards.ready_for_results(award):
        raise ConflictError("Complete the requirement and the quantities before looking at the results.")


def run(award: DirectAward) -> Shortlist:
    """The mechanism's result on today's data: only suppliers eligible today can be capable."""
    _ready(award)
    requirement, quantities = awards.domain_requirement(award)
    lot = award.lot
    return match(
        lot.id, lot.selection_mechanism, tie_breaks_of(lot.direct_award_tie_break), requirement, quantities,
        today_london(), eligibility.framework_term(lot.framework),
    )  # fmt: skip


def fingerprint(award: DirectAward) -> dict[str, Any]:
    """What the buyer asked for, by id: a frozen shortlist is current while this is unchanged."""
    return {
        "title": award.title,
        "statement": award.statement_of_requirements,
        "term_months": award.term_months,
        "planned_start_on": award.planned_start_on.isoformat() if award.planned_start_on else None,
        "capability_ids": sorted(c.capability_id for c in award.capabilities),
        "schemes": sorted(a.scheme for a in award.accreditations),
        "quantities": sorted([q.price_item_id, q.quantity] for q in award.quantities),
    }


def live_content(award: DirectAward) -> dict[str, Any]:
    return build_content(award, run(award))


def build_content(award: DirectAward, result: Shortlist) -> dict[str, Any]:
    """The whole evidence of a shortlist as plain JSON-ready data. On a lot of thousands of suppliers that is a
    hundred thousand small dicts and lists, none in a cycle; the cyclic collector's passes over them would find
    nothing and cost a third of the time."""
    with lot_snapshot.collector_paused():
        return _content(award, result)


def _content(award: DirectAward, result: Shortlist) -> dict[str, Any]:
    lot, framework = award.lot, award.lot.framework
    _, quantities = awards.domain_requirement(award)
    items = {i.id: i for i in lot.price_items}
    ids = [s.supplier_id for s in result.capable] + [n.supplier_id for n in result.not_capable]
    details = _supplier_details(ids, award)
    rankings = {s.supplier_id: s.framework_ranking for s in result.capable}
    return {
        "schema": CONTENT_SCHEMA,
        "direct_award": {"id": award.id, "reference": award.reference},
        "framework": {
            "id": framework.id,
            "reference": framework.reference,
            "name": framework.name,
            "regime": framework.regime,
            "max_call_off_months": framework.max_call_off_months,
        },
        "lot": {"id": lot.id, "number": lot.number, "title": lot.title},
        "requirement": {
            "title": award.title,
            "statement": award.statement_of_requirements,
            "term_months": award.term_months,
            "planned_start_on": award.planned_start_on.isoformat() if award.planned_start_on else None,
            "essential_capabilities": [
                {"id": c.capability_id, "name": c.capability.name} for c in _sorted_capabilities(award)
            ],
            "required_accreditations": sorted(a.scheme for a in award.accreditations),
            "quantities": [
                {
                    "price_item_id": q.price_item_id,
                    "name": q.name,
                    "unit": items[q.price_item_id].unit,
                    "basis": str(q.basis),
                    "quantity": q.quantity,
                }
                for q in quantities
            ],
        },
        "fingerprint": fingerprint(award),
        "mechanism": {"code": result.mechanism, "label": MECHANISM_LABELS[result.mechanism]},
        "tie_breaks": [{"code": t, "label": TIE_BREAK_LABELS[t]} for t in result.tie_breaks],
        "selection_summary": selection_summary(result),
        "decided_by": MEASURES.get(result.decided_by or "", None),
        "selected_supplier_id": result.selected.supplier_id if result.selected else None,
        "unresolved_tie": list(result.unresolved_tie),
        "capable": [
            {
                "rank": s.rank,
                "supplier": details[s.supplier_id]["supplier"] | {"framework_ranking": rankings[s.supplier_id]},
                "total_pence": s.total_pence,
                "lines": [
                    {
                        "price_item_id": line.price_item_id,
                        "item": line.item_name,
                        "basis": str(line.basis),
                        "quantity": line.quantity,
                        "unit_price_pence": line.unit_price_pence,
                        "price_effective_from": line.price_effective_from.isoformat(),
                        "months": line.months,
                        "total_pence": line.total_pence,
                    }
                    for line in s.lines
                ],
                "claims": details[s.supplier_id]["claims"],
                "accreditations": details[s.supplier_id]["accreditations"],
            }
            for s in result.capable
        ],
        "not_capable": [
            {
                "supplier": details[n.supplier_id]["supplier"],
                "reasons": [{"code": str(r.code), "message": r.message} for r in n.reasons],
                "claims": details[n.supplier_id]["claims"],
                "accreditations": details[n.supplier_id]["accreditations"],
            }
            for n in result.not_capable
        ],
        "csv": csv_rows(result),
    }


def _sorted_capabilities(award: DirectAward):
    return sorted(award.capabilities, key=lambda c: (c.capability.position, c.capability_id))


def _supplier_details(supplier_ids: list[int], award: DirectAward) -> dict[int, dict[str, Any]]:
    """Who each supplier is, its claims of the essential capabilities (with evidence) and its required schemes."""
    if not supplier_ids:
        return {}
    essential = [c.capability_id for c in award.capabilities]
    schemes = [a.scheme for a in award.accreditations]
    claims: dict[int, list[dict]] = defaultdict(list)
    for supplier_id, capability_id, name, evidence in db.session.execute(
        select(CapabilityClaim.supplier_id, Capability.id, Capability.name, CapabilityClaim.evidence)
        .join(Capability, Capability.id == CapabilityClaim.capability_id)
        .where(CapabilityClaim.supplier_id.in_(supplier_ids), Capability.id.in_(essential))
        .order_by(Capability.position, Capability.id)
    ):
        claims[supplier_id].append({"capability_id": capability_id, "capability": name, "evidence": evidence})
    held: dict[int, list[dict]] = defaultdict(list)
    for supplier_id, scheme, reference, expires_on in db.session.execute(
        select(Accreditation.supplier_id, Accreditation.scheme, Accreditation.certificate_reference)
        .add_columns(Accreditation.expires_on)
        .where(Accreditation.supplier_id.in_(supplier_ids), Accreditation.scheme.in_(schemes))
        .order_by(Accreditation.scheme)
    ):
        held[supplier_id].append(
            {
                "scheme": scheme,
                "certificate_reference": reference,
                "expires_on": expires_on.isoformat() if expires_on else None,
            }
        )
    details = {}
    for s in db.session.execute(
        select(
            Supplier.id,
            Supplier.legal_name,
            Supplier.trading_name,
            Supplier.companies_house_number,
            Supplier.registered_address,
            Supplier.contact_email,
            Supplier.sme,
        ).where(Supplier.id.in_(supplier_ids))
    ):
        details[s.id] = {
            "supplier": {
                "id": s.id,
                "name": s.trading_name or s.legal_name,
                "legal_name": s.legal_name,
                "companies_house_number": s.companies_house_number,
                "registered_address": s.registered_address,
                "contact_email": s.contact_email,
                "sme": s.sme,
            },
            "claims": claims.get(s.id, []),
            "accreditations": held.get(s.id, []),
        }
    return details


def export_csv(user: User, award: DirectAward, content: dict[str, Any]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(content["csv"])
    audit.record(
        user, "direct_award.results_exported", "direct_award", award.id,
        summary=f"{award.reference}: results exported as CSV",
    )  # fmt: skip
    db.session.commit()
    return out.getvalue()


# --- Freezing -----------------------------------------------------------------------------------------------------


def freeze(user: User, award: DirectAward) -> FrozenShortlist:
    """Save today's result as evidence: version n + 1, canonical JSON and its SHA-256."""
    award = awards.get_for_officer(user, award.id, for_update=True)
    if award.cancelled_at is not None or award.recommended_at is not None:
        raise ConflictError("The award has been recommended or cancelled, so no new shortlist can be frozen.")
    current = current_shortlist(award)
    if current is not None:
        raise ConflictError(
            f"Shortlist version {current.version} is already frozen for this requirement. "
            "Change the requirement to start a new shortlist."
        )
    frozen_at = utcnow()
    content = build_content(award, run(award)) | {"frozen_at": frozen_at.isoformat(), "frozen_by": user.email}
    text = canonical_json(content)
    version = (db.session.scalar(select(func.max(FrozenShortlist.version)).where(
        FrozenShortlist.direct_award_id == award.id)) or 0) + 1  # fmt: skip
    frozen = FrozenShortlist(
        direct_award_id=award.id,
        version=version,
        frozen_at=frozen_at,
        frozen_by_id=user.id,
        content_json=text,
        content_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        selected_supplier_id=content["selected_supplier_id"],
    )
    db.session.add(frozen)
    db.session.flush()
    audit.record(
        user,
        "direct_award.shortlist_frozen",
        "direct_award",
        award.id,
        summary=f"{award.reference}: shortlist version {version} frozen ({content['selection_summary']})",
        after={"shortlist_id": frozen.id, "version": version, "sha256": frozen.content_sha256},
    )
    db.session.commit()
    return frozen


def content_of(frozen: FrozenShortlist) -> dict[str, Any]:
    return json.loads(frozen.content_json)


def current_shortlist(award: DirectAward) -> FrozenShortlist | None:
    """The latest frozen shortlist, if it was frozen for the requirement as it stands now."""
    if not award.shortlists:
        return None
    latest = award.shortlists[-1]
    return latest if content_of(latest)["fingerprint"] == fingerprint(award) else None


def superseded(award: DirectAward) -> list[FrozenShortlist]:
    current = current_shortlist(award)
    return [s for s in reversed(award.shortlists) if s is not current]


def get_shortlist(user: User, shortlist_id: int) -> tuple[DirectAward, FrozenShortlist]:
    frozen = db.session.get(FrozenShortlist, shortlist_id)
    if frozen is None:
        raise NotFoundError("Shortlist not found")
    award = awards.get_for_officer(user, frozen.direct_award_id)  # 404 for another organisation's
    return award, frozen


def supplier_in(content: dict[str, Any], supplier_id: int | None) -> dict[str, Any] | None:
    return next((s for s in content["capable"] if s["supplier"]["id"] == supplier_id), None)
