"""The call-off contract's data: everything its PDF shows, as JSON-ready values (embedded in the PDF as data.json).

The same data whoever asks for it (the buyer's officer or the winning supplier), so regenerating from unchanged
facts is not a new version. Bid content is read through the seal (portal/services/bids/seal.py) as the person
generating the contract. No evaluation score is in the contract (the winning response is a schedule; its scores are
in the evaluation report and assessment summaries). A direct award's schedule carries only the winner's data from its
frozen shortlist (never today's prices) and the shortlist's reference and SHA-256: the other suppliers' prices,
statuses and accreditations stay in the buyer's direct award record (direct_award_record.py).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from portal.domain import call_off_terms as terms
from portal.domain.framework_term import Regime
from portal.domain.law import law_for
from portal.domain.money import format_pence
from portal.domain.timefmt import format_date
from portal.extensions import db
from portal.models import DirectAward, User
from portal.services.bids import seal
from portal.services.contracts import data_protection, kpis
from portal.services.contracts.call_offs import COMPETITION, CallOff
from portal.services.direct_awards import shortlist as shortlists
from portal.services.documents import parties
from portal.services.errors import ConflictError
from portal.services.notices import standstill

PRICE_BASIS_LABELS = {"per_month": "per month", "one_off": "one-off"}


def build(actor: User, call_off: CallOff) -> dict[str, Any]:
    """The contract data for an approved call-off (the caller has checked the actor may see it)."""
    specific = _competition_part(actor, call_off) if call_off.kind == COMPETITION else _direct_award_part(call_off)
    data = _common(call_off) | specific
    data["terms"] = _terms(call_off, data)
    data["definitions"] = terms.definitions_for(call_off.lot.framework.call_off_terms or "")
    return data


def _common(call_off: CallOff) -> dict[str, Any]:
    subject, lot, framework, buyer, supplier = (
        call_off.subject, call_off.lot, call_off.lot.framework, call_off.buyer, call_off.winner,
    )  # fmt: skip
    start = call_off.start_on
    return {
        "call_off": {
            "kind": call_off.kind,
            "reference": call_off.reference,
            "title": call_off.title,
            "route": call_off.route_label,
            "approved_at": subject.approved_at,
            "standstill_ends_at": subject.standstill_ends_at,
            # Where the standstill stands, in the regime's words (under the Act it starts with the UK6).
            "standstill": standstill.describe(subject),
            "standstill_applies": standstill.applies(subject),
            "awarded_at": getattr(subject, "awarded_at", None),
        },
        "framework": {
            "reference": framework.reference,
            "name": framework.name,
            "regime": Regime(framework.regime).label,
        },
        # The provisions the contract cites (the standstill's basis), from the framework's regime.
        "law": law_for(framework.regime).for_documents(),
        "lot": {"number": lot.number, "title": lot.title},
        "buyer": {
            "name": buyer.name,
            "organisation_type": buyer.type_label,
            "region": buyer.region,
            "address": buyer.address,
            "identifier": buyer.identifier,
            "portal_id": buyer.id,
            "approver": _person(subject.approved_by_id),
        }
        | parties.buyer(buyer),
        "supplier": {
            "legal_name": supplier.legal_name,
            "trading_name": supplier.trading_name,
            "companies_house_number": supplier.companies_house_number,
            "registered_address": supplier.registered_address,
            "contact_email": supplier.contact_email,
            "sme": supplier.sme,
            "portal_id": supplier.id,
        }
        | parties.supplier(supplier),
        "term": {
            "months": call_off.term_months,
            "start_on": start,
            "end_on": terms.contract_end_on(start, call_off.term_months) if start else None,
        },
        "requirements": subject.statement_of_requirements,
        # Law and courts by the framework's nation (portal/domain/call_off_terms.py GOVERNING_LAW).
        "governing_law": asdict(terms.governing_law(framework.bank_holiday_region)),
        "data_protection": data_protection.contract_part(data_protection.schedule_of(call_off)),
        "kpis": [{"title": k.title, "measure": k.measure, "target": k.target} for k in kpis.kpis_of(call_off)],
    }


def _person(user_id: int | None) -> dict[str, str] | None:
    user = db.session.get(User, user_id) if user_id else None
    return {"name": user.name, "email": user.email} if user else None


def _terms(call_off: CallOff, data: dict[str, Any]) -> list[dict[str, str]]:
    framework = call_off.lot.framework
    text = framework.call_off_terms or ""
    if not text.strip():
        return []
    term = data["term"]
    values = {
        # The contract's parties are legal bodies: the buyer is named by the body that contracts for it.
        "buyer_name": data["buyer"]["legal_name"],
        "supplier_name": data["supplier"]["legal_name"],
        "call_off_reference": call_off.reference,
        "call_off_title": call_off.title,
        "framework_reference": framework.reference,
        "framework_name": framework.name,
        "lot_name": call_off.lot.label,
        "start_date": format_date(term["start_on"]) or "the start date the parties agree",
        "end_date": format_date(term["end_on"]) or "the end of the term",
        "term_months": str(term["months"]),
        "contract_value": format_pence(data["value_pence"]),
        "regime": data["framework"]["regime"],
        "governing_law": data["governing_law"]["law"],
        "courts": data["governing_law"]["courts"],
    }
    try:
        return terms.blocks(terms.fill(text, values))
    except terms.TermsError as error:
        raise ConflictError(
            f"The framework's call-off terms cannot be filled in ({error}): framework staff must correct them"
        ) from error


def _price_schedule(lines: list[dict[str, Any]], total_pence: int) -> dict[str, Any]:
    """The lines with the charge per month (monthly items) and the one-off charges, for the payment profile."""
    monthly = sum(line["quantity"] * line["unit_price_pence"] for line in lines if line["basis"] == "per month")
    one_off = sum(line["total_pence"] for line in lines if line["basis"] != "per month")
    return {"lines": lines, "total_pence": total_pence, "monthly_pence": monthly, "one_off_pence": one_off}


# --- Mini-competition ----------------------------------------------------------------------------------------------


def _competition_part(actor: User, call_off: CallOff) -> dict[str, Any]:
    bid = call_off.winning_bid
    if bid is None:  # an approved competition's call-off carries its winning bid
        raise ConflictError(f"{call_off.reference} has no approved winning bid yet")
    content = seal.submitted_content(actor, bid)
    # The winning response is a schedule of the contract; its evaluation (scores, weights, rank) is not: it stays in
    # the buyer's evaluation report and the assessment summaries.
    answers = [
        {"title": answer["title"], "kind": answer["kind"], "text": answer["text"], "passed": answer.get("passed")}
        for answer in content["answers"]
    ]
    lines = [
        {
            "item": p["price_item"],
            "unit": p["unit"],
            "basis": PRICE_BASIS_LABELS.get(p["basis"], p["basis"]),
            "quantity": p["quantity"],
            "periods": p["periods"],
            "unit_price_pence": p["unit_price_pence"],
            "total_pence": p["line_total_pence"],
        }
        for p in content["prices"]
    ]
    return {
        "value_pence": content["total_price_pence"],
        "price_schedule": _price_schedule(lines, content["total_price_pence"]),
        "response": {
            "submitted_version": content["version"],
            "answers": answers,
            "attachments": [{"filename": a["filename"], "sha256": a["sha256"]} for a in content["attachments"]],
        },
    }


# --- Direct award --------------------------------------------------------------------------------------------------


def _direct_award_part(call_off: CallOff) -> dict[str, Any]:
    award = call_off.subject
    if not isinstance(award, DirectAward):  # build() sends only a direct award's call-off here
        raise TypeError(f"{call_off.reference} is not a direct award")
    frozen = next(s for s in award.shortlists if s.id == award.recommended_shortlist_id)
    content = shortlists.content_of(frozen)
    line = shortlists.supplier_in(content, award.recommended_supplier_id)
    if line is None:  # the recommended supplier was chosen from this frozen shortlist
        raise LookupError(f"supplier {award.recommended_supplier_id} is not on shortlist {frozen.id}")
    units = {q["price_item_id"]: q for q in content["requirement"]["quantities"]}
    lines = [
        {
            "item": entry["item"],
            "unit": units.get(entry["price_item_id"], {}).get("unit", ""),
            "basis": PRICE_BASIS_LABELS.get(entry["basis"], entry["basis"]),
            "quantity": entry["quantity"],
            "periods": entry["months"] if entry["months"] is not None else 1,
            "unit_price_pence": entry["unit_price_pence"],
            "total_pence": entry["total_pence"],
        }
        for entry in line["lines"]
    ]
    return {
        "value_pence": line["total_pence"],
        "price_schedule": _price_schedule(lines, line["total_pence"]),
        "essential_capabilities": [c["name"] for c in content["requirement"]["essential_capabilities"]],
        "required_accreditations": content["requirement"]["required_accreditations"],
        "capability_claims": [{"capability": c["capability"], "evidence": c["evidence"]} for c in line["claims"]],
        "accreditations": line["accreditations"],
        # Only the winner's data and the frozen shortlist's reference and hash: the other suppliers' prices, ranks,
        # statuses and accreditations, and the buyer's justification, stay in the buyer's direct award record.
        "shortlist": {
            "direct_award_reference": award.reference,
            "version": frozen.version,
            "frozen_at": frozen.frozen_at,
            "sha256": frozen.content_sha256,
            "mechanism": content["mechanism"]["label"],
        },
    }
