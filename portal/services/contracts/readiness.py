"""Whether a call-off's contract may be signed as drafted (rules in portal/domain/contract_readiness.py).

Gathers the facts: the data protection schedule, the KPIs, the framework's call-off terms and the contract value
(excluding VAT: the winning bid's total as submitted, or the direct award's whole-life cost from its frozen shortlist).
"""

from __future__ import annotations

from portal.domain.contract_readiness import Gap, signing_gaps
from portal.domain.law import law_for
from portal.models import Competition
from portal.services.bids import crypto
from portal.services.bids.seal import latest_submission
from portal.services.contracts import data_protection, kpis
from portal.services.contracts.call_offs import CallOff
from portal.services.direct_awards import shortlist as shortlists


def contract_value_pence(call_off: CallOff) -> int:
    subject = call_off.subject
    if isinstance(subject, Competition):
        bid = call_off.winning_bid
        submission = latest_submission(bid) if bid is not None else None
        # The awarded contract's value, not a read of the bid: its total alone, opened without auditing a read.
        return crypto.submission_total(bid, submission) if bid is not None and submission is not None else 0
    frozen = next((s for s in subject.shortlists if s.id == subject.recommended_shortlist_id), None)
    if frozen is None:
        return 0
    line = shortlists.supplier_in(shortlists.content_of(frozen), subject.recommended_supplier_id)
    return int(line["total_pence"]) if line is not None else 0


def gaps(call_off: CallOff) -> list[Gap]:
    framework = call_off.lot.framework
    return signing_gaps(
        law=law_for(framework.regime),
        data_protection_complete=data_protection.schedule_of(call_off) is not None,
        terms_text=framework.call_off_terms or "",
        kpi_count=len(kpis.kpis_of(call_off)),
        value_pence=contract_value_pence(call_off),
    )


def refusal(call_off: CallOff) -> str | None:
    """The first gap's message, or None."""
    found = gaps(call_off)
    return found[0].message if found else None
