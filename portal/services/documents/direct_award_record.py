"""The direct award record as a PDF: the evidence that the framework's objective mechanism chose the supplier.

It is built from the frozen shortlist the award rests on (read back from its canonical JSON, so later edits to a
supplier's profile or prices cannot change it): the requirement as frozen, the mechanism and tie-break, the capable
suppliers ranked with their costs item by item and the price card dates used, the suppliers found not capable and
why, the shortlist's SHA-256; then the earlier (superseded) shortlists, the selected supplier, the justification,
the recommendation and approval, standstill and the supplier's acceptance as far as they have happened.

- The shortlist used is the one recommended on, or before a recommendation the one frozen for the requirement as it
  stands; with none, there is nothing to record yet and the record is refused.
- Only the buying organisation's procurement officers can have it issued (framework staff may download it).
- One series per direct award; a new version whenever the record moves on.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from portal.domain.law import law_for
from portal.extensions import db
from portal.models import DirectAward, Document, Shortlist, User
from portal.services import approvals
from portal.services.direct_awards import decisions
from portal.services.direct_awards import requirements as awards
from portal.services.direct_awards import shortlist as shortlists
from portal.services.documents import register
from portal.services.errors import ConflictError
from portal.services.notices import standstill

TEMPLATE = "direct_award_record.html"
# Item-by-item costs are printed for this many capable suppliers, from the top of the ranking; every supplier's are
# in the data embedded in the PDF and in the frozen shortlist. On a lot of thousands of suppliers, printing them all
# made a record of a thousand pages that took minutes to render.
COST_BREAKDOWNS_PRINTED = 10
NOT_YET = "The direct award record is available once a shortlist has been frozen for the requirement"


def shortlist_used(award: DirectAward) -> Shortlist | None:
    if award.recommended_shortlist_id is not None:
        return db.session.get(Shortlist, award.recommended_shortlist_id)
    return shortlists.current_shortlist(award)


def _supplier(entry: dict[str, Any]) -> dict[str, Any]:
    s = entry["supplier"]
    return {
        "name": s["legal_name"],
        "trading_name": s["name"],
        "companies_house_number": s.get("companies_house_number"),
        "sme": s.get("sme"),
    }


def _capable(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "rank": entry["rank"],
        **_supplier(entry),
        "framework_ranking": entry["supplier"].get("framework_ranking"),
        "total_pence": entry["total_pence"],
        "lines": [
            {
                "item": line["item"],
                "basis": line["basis"],
                "quantity": line["quantity"],
                "months": line["months"],
                "unit_price_pence": line["unit_price_pence"],
                "price_effective_from": line["price_effective_from"],
                "total_pence": line["total_pence"],
            }
            for line in entry["lines"]
        ],
        "price_cards": sorted({line["price_effective_from"] for line in entry["lines"]}),
    }


def _shortlist(frozen: Shortlist, content: dict[str, Any], names: dict[int, str]) -> dict[str, Any]:
    return {
        "version": frozen.version,
        "frozen_at": frozen.frozen_at,
        "frozen_by": names.get(frozen.frozen_by_id, content.get("frozen_by", "")),
        "sha256": frozen.content_sha256,
        "selection_summary": content["selection_summary"],
    }


def record_data(award: DirectAward) -> dict[str, Any]:
    """Everything the record shows, from the frozen shortlist used and the decision on record."""
    frozen = shortlist_used(award)
    if frozen is None:
        raise ConflictError(NOT_YET)
    content = shortlists.content_of(frozen)
    people = decisions.people(award)
    frozen_by = {s.frozen_by_id for s in award.shortlists}
    names = {
        user_id: name for user_id, name in db.session.execute(select(User.id, User.name).where(User.id.in_(frozen_by)))
    }
    selected = next((s for s in content["capable"] if s["supplier"]["id"] == content["selected_supplier_id"]), None)
    recommended = next((s for s in content["capable"] if s["supplier"]["id"] == award.recommended_supplier_id), None)
    return {
        "direct_award": {
            "reference": award.reference,
            "buyer": award.buyer_organisation.name,
            "framework": f"{content['framework']['reference']} {content['framework']['name']}",
            "regime": award.lot.framework.regime_label,
            # The direct award's legal basis and the standstill's, from the framework's regime (portal.domain.law).
            "law": law_for(award.lot.framework.regime).for_documents(),
            "lot": f"Lot {content['lot']['number']}: {content['lot']['title']}",
            "status": decisions.status(award)[0],
        },
        "requirement": content["requirement"],
        "mechanism": content["mechanism"]["label"],
        "tie_breaks": [t["label"] for t in content["tie_breaks"]],
        "shortlist": _shortlist(frozen, content, names),
        "capable": [_capable(entry) for entry in content["capable"]],
        "cost_breakdowns_printed": COST_BREAKDOWNS_PRINTED,
        "not_capable": [
            {**_supplier(entry), "reasons": [r["message"] for r in entry["reasons"]]}
            for entry in content["not_capable"]
        ],
        "selected_supplier": selected["supplier"]["legal_name"] if selected else None,
        "unresolved_tie": bool(content["unresolved_tie"]),
        "superseded": [
            _shortlist(s, shortlists.content_of(s), names) for s in reversed(award.shortlists) if s.id != frozen.id
        ],
        "decision": {
            "recommended_supplier": recommended["supplier"]["legal_name"] if recommended else None,
            "justification": award.justification,
            "steps": approvals.as_rows(approvals.history(direct_award_id=award.id)),
            "recommended_at": award.recommended_at,
            "recommended_by": people["recommended_by"].name if people["recommended_by"] else "",
            "approved_at": award.approved_at,
            "approved_by": people["approved_by"].name if people["approved_by"] else "",
            "standstill_ends_at": award.standstill_ends_at,
            "standstill": standstill.describe(award) if award.approved_at else "",
            "standstill_applies": standstill.applies(award),
            "accepted_at": award.accepted_at,
            "accepted_by": people["accepted_by"].name if people["accepted_by"] else "",
            "cancelled_at": award.cancelled_at,
            "cancelled_by": people["cancelled_by"].name if people["cancelled_by"] else "",
            "cancel_reason": award.cancel_reason,
        },
    }


def record_issue(award: DirectAward) -> register.Issue:
    """What to ask the register for: the record of the award as it stands."""
    return register.Issue(
        kind="direct_award_record",
        series_key=f"direct_award_record:direct_award:{award.id}",
        subject_type="direct_award",
        subject_id=award.id,
        reference=award.reference,
        title=f"Direct award record: {award.reference}",
        subject=f"How the supplier for {award.title} was selected under the framework's mechanism",
        template=TEMPLATE,
        data=record_data(award),
        buyer_organisation_id=award.buyer_organisation_id,
        # 2: hashes in groups that never break mid-string, the standstill as the regime runs it
        template_version="2",
    )


def issue_record(user: User, direct_award_id: int) -> Document:
    """The current record of one of the officer's direct awards (404 for another organisation's)."""
    return register.issue(user, record_issue(awards.get_for_officer(user, direct_award_id)))
