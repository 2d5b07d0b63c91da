"""Gathers the plain facts a call-off's notices are built from (portal/domain/notices.py builds the releases).

The value is the contract's: the winning bid's total price for a mini-competition (read through the seal, as the
contract reads it), the chosen supplier's whole-life cost on the frozen shortlist for a direct award; excluding VAT.
When the assessment summaries were sent: the competition's `assessment_summaries_sent_at` when it has one (another
part of issue 14 adds it), else when the winner's letter (which carries its assessment summary) was first generated.
The contract's facts carry its KPIs and the copy of it the buyer published, if any (large_contract.py).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask import current_app

from portal.domain import notices as build
from portal.domain.framework_term import Regime, add_months
from portal.domain.law import law_for
from portal.domain.parties import Identifier
from portal.models import BuyerOrganisation, Competition, DirectAward, Supplier, User
from portal.services.bids import seal
from portal.services.contracts import kpis
from portal.services.contracts.call_offs import COMPETITION, CallOff
from portal.services.direct_awards import shortlist as shortlists
from portal.services.direct_awards.shortlist import MECHANISM_LABELS
from portal.services.notices import large_contract, standstill

# OCDS awardCriteria codes for a direct award's objective mechanism (the lot's selection_mechanism).
MECHANISM_CRITERIA = {"lowest_cost": "costOnly", "highest_ranking": "ratedCriteria"}


def _party(entity: BuyerOrganisation | Supplier, kind: str) -> build.Party:
    identifiers: list[Identifier] = list(entity.identifiers)
    name = entity.legal_name
    return build.Party(name, identifiers, f"portal-{kind}-{entity.id}", entity.itl_region)


def value_pence(actor: User, call_off: CallOff) -> int:
    if call_off.kind == COMPETITION:
        if call_off.winning_bid is None:
            return 0
        return int(seal.submitted_content(actor, call_off.winning_bid)["total_price_pence"])
    award = call_off.subject
    assert isinstance(award, DirectAward)
    frozen = next((s for s in award.shortlists if s.id == award.recommended_shortlist_id), None)
    if frozen is None:
        return 0
    line = shortlists.supplier_in(shortlists.content_of(frozen), award.recommended_supplier_id)
    return int(line["total_pence"]) if line else 0


def _criteria(competition: Competition) -> tuple[list[build.Criterion], str, str]:
    top = [c for c in competition.criteria if c.parent_id is None]
    criteria = [
        build.Criterion(
            c.title, c.kind if c.kind != "group" else "quality", c.weight if c.kind != "pass_fail" else None
        )
        for c in top
    ]
    kinds = {c.kind for c in criteria if c.weight}
    code = "priceOnly" if kinds == {"price"} else "qualityOnly" if "price" not in kinds else "ratedCriteria"
    details = "; ".join(f"{c.name}: {Decimal(c.weight or 0).normalize():f}%" for c in criteria if c.weight) + (
        "; pass/fail: " + ", ".join(c.name for c in criteria if c.weight is None)
        if any(c.weight is None for c in criteria)
        else ""
    )
    return criteria, code, f"Most advantageous tender on the published criteria ({details})"


def summaries_sent_at(call_off: CallOff) -> datetime | None:
    """When the buyer sent the assessment summaries (a direct award assesses no rival tenders, so has none)."""
    subject = call_off.subject
    return subject.assessment_summaries_sent_at if isinstance(subject, Competition) else None


def call_off_facts(actor: User, call_off: CallOff, now: datetime) -> build.CallOffFacts:
    """The facts of the call-off's notices prepared at `now` (a UK6 states the standstill its publication today
    would start: notices/standstill.py)."""
    subject, lot = call_off.subject, call_off.lot
    framework = lot.framework
    assert subject.approved_at is not None  # the services prepare notices only for an approved award
    if isinstance(subject, Competition):
        criteria, code, details = _criteria(subject)
    else:
        criteria = []
        code = MECHANISM_CRITERIA.get(lot.selection_mechanism, "ratedCriteria")
        details = f"Direct award under the framework: {MECHANISM_LABELS.get(lot.selection_mechanism, '')}"
    # The UK6 says whether a standstill applies (DOMAIN.md): when the buyer chose none, the award says so.
    no_standstill = (
        ""
        if standstill.applies(subject)
        else law_for(framework.regime).standstill_not_applied(call_off.buyer.legal_name)
    )
    start = call_off.start_on
    return build.CallOffFacts(
        regime=Regime(framework.regime),
        ocid_prefix=current_app.config["OCDS_PREFIX"],
        reference=call_off.reference,
        title=call_off.title,
        description=subject.statement_of_requirements[:1000],
        framework_reference=framework.reference,
        framework_name=framework.name,
        lot_number=lot.number,
        lot_title=lot.title,
        cpv_code=lot.cpv_code,
        competitive=call_off.kind == COMPETITION,
        buyer=_party(call_off.buyer, "buyer"),
        supplier=_party(call_off.winner, "supplier"),
        value_pence=value_pence(actor, call_off),
        awarded_at=subject.approved_at,
        award_criteria=code,
        criteria=criteria,
        criteria_details=details,
        standstill=standstill.projected(subject, now),
        standstill_note=no_standstill,
        summaries_sent_at=summaries_sent_at(call_off),
        start_on=start,
        end_on=add_months(start, call_off.term_months) if start else None,
    )


def contract_facts(call_off: CallOff, value_pence: int = 0) -> build.ContractFacts | None:
    """The signed contract's facts, or None until both parties have signed."""
    signed = kpis.signed_contract(call_off)
    if signed is None or signed.signed_at is None:
        return None
    start = call_off.start_on or signed.signed_at.date()
    return build.ContractFacts(
        signed.signed_at,
        start,
        add_months(start, call_off.term_months),
        value_pence,
        kpis=tuple(build.Kpi(k.title, k.measure, k.target) for k in kpis.kpis_of(call_off)),
        published_copy=large_contract.published_copy(call_off),
    )
