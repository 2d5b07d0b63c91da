"""Whether a call-off contract may be signed as drafted: no clause may point at an empty schedule.

Pure rules (the services gather the facts, portal/services/contracts/readiness.py):
- the data protection schedule (UK GDPR Article 28(3) particulars, or "no personal data processed") is complete;
- where the call-off terms rely on KPIs (they mention key performance indicators), the KPI schedule is not empty;
- where the regime sets a duty on large contracts (PA 2023 s.52: over £5 million including VAT, at least three KPIs,
  from portal/domain/law.py), the KPI schedule has at least that many.
Each gap says what is missing and which page completes it (`fix`: "data_protection" or "kpis").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.domain.law import RegimeLaw
from portal.domain.money import format_pence

# The standard rate of VAT in the UK (VAT Act 1994 s.2): contract values are held excluding VAT.
STANDARD_VAT_PERCENT = 20
_KPI_WORDS = re.compile(r"\bKPIs?\b|key performance indicator", re.IGNORECASE)


@dataclass(frozen=True)
class Gap:
    message: str
    fix: str  # the page that completes it: "data_protection" or "kpis"


def including_vat(pence_excluding_vat: int) -> int:
    """The value including VAT at the standard rate (whole pence, rounded half up)."""
    return (pence_excluding_vat * (100 + STANDARD_VAT_PERCENT) + 50) // 100


def terms_rely_on_kpis(terms_text: str) -> bool:
    return bool(_KPI_WORDS.search(terms_text or ""))


def signing_gaps(
    *, law: RegimeLaw, data_protection_complete: bool, terms_text: str, kpi_count: int, value_pence: int
) -> list[Gap]:
    """What must be completed before the contract can be signed (empty: nothing)."""
    gaps: list[Gap] = []
    if not data_protection_complete:
        gaps.append(
            Gap(
                "The data protection schedule has not been completed: an officer of the buyer completes it "
                "(the UK GDPR Article 28(3) particulars, or that no personal data is processed) before the contract "
                "can be signed",
                "data_protection",
            )
        )
    large = law.large_contract
    if large is not None and including_vat(value_pence) > large.threshold_pence_incl_vat and kpi_count < large.min_kpis:
        gaps.append(
            Gap(
                f"The contract is worth more than {format_pence(large.threshold_pence_incl_vat)} including VAT, so "
                f"it needs at least {large.min_kpis} KPIs ({large.provision.citation}); it has {kpi_count}: the "
                "buyer sets them before the contract can be signed",
                "kpis",
            )
        )
    elif kpi_count == 0 and terms_rely_on_kpis(terms_text):
        gaps.append(
            Gap(
                "The call-off terms rely on key performance indicators, but the KPI schedule is empty: the buyer "
                "sets the KPIs before the contract can be signed",
                "kpis",
            )
        )
    return gaps
