"""Direct award, step 4: run the framework's mechanism over every supplier on the lot.

The candidates come from the lot's snapshot (portal/services/direct_awards/lot_snapshot.py): read in full once per
catalogue change, whatever the requirement, so a results page does only the domain's work
(portal/domain/direct_award/) on data that is never older than the last committed change.
"""

from __future__ import annotations

from datetime import date

from portal.domain.direct_award import PriceItemQuantity, Requirement, Shortlist, shortlist
from portal.domain.suppliers import FrameworkTerm
from portal.services.direct_awards import lot_snapshot

TIE_BREAK_SEPARATOR = ","


def tie_breaks_of(stored: str) -> list[str]:
    return [t for t in (stored or "").split(TIE_BREAK_SEPARATOR) if t]


def match(
    lot_id: int,
    mechanism: str,
    tie_breaks: list[str],
    requirement: Requirement,
    quantities: list[PriceItemQuantity],
    today: date,
    framework: FrameworkTerm,
) -> Shortlist:
    """Load (or reuse) the lot's candidates, judged eligible or not on `today` on the framework's term, and rank
    them: the service-layer work the benchmark times."""
    found = lot_snapshot.candidates(lot_id, today, framework)
    with lot_snapshot.collector_paused():
        return shortlist(requirement, quantities, found, mechanism, tie_breaks)
