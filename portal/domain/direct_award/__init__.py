"""Direct award: who is capable, what each costs over the term, and whom the framework's mechanism selects.

Rules (DOMAIN.md "Direct award practice"; Procurement Act 2023 s.45, PCR 2015 reg 33)

Capable
    A supplier is capable iff all of these hold; every failing one is reported (`NotCapable.reasons`), not only
    the first:
    - it is eligible on the day of the match (portal.domain.suppliers.eligibility_on: a member of the lot that has
      joined and not left, neither suspended nor removed, not excluded, the framework live); the service judges
      that and passes the verdict in `Candidate.eligibility`;
    - it claims every essential capability;
    - it holds every required accreditation, valid on the planned start date (no expiry date = valid; valid up to
      and including its expiry date: portal.domain.suppliers.accreditation_valid_on);
    - a price applies on the planned start date for every price item with a quantity above 0.

Cost (integer pence, never float)
    The unit price is the version that applies on the planned start date: the latest one effective on or before
    it (the rule of portal.domain.suppliers.price_on). A per_month item costs quantity x unit price x term months;
    a one_off item costs quantity x unit price. Items with quantity 0 are left out of the breakdown.
    Total = sum of the lines.

Ranking (strategy tables: MECHANISMS, TIE_BREAKS)
    - "lowest_cost": lowest whole-life total first.
    - "highest_ranking": best framework ranking first (1 is best); capable suppliers without a ranking come after
      every ranked one.
    - Tie-breaks ("framework_ranking", "lower_cost") are applied in the order the framework lists them.
    - Final fallback: suppliers still level after the mechanism and every tie-break are an unresolved tie. They
      share a rank; if they are first, nobody is selected and `Shortlist.unresolved_tie` names them (a direct award
      cannot then be made by the mechanism). Their display order (name, then id) decides nothing.
    - The selected supplier is the first of the ranking, unless the tie at the top is unresolved.
    - The order in which suppliers are passed in never changes the result.

Checking what the buyer entered: `requirement_errors` gives GOV.UK style messages keyed by field (at least one
essential capability, a term of 1 month up to the framework's maximum call-off term, whole quantities of 0 or more,
at least one quantity above 0). `shortlist` itself raises ValueError on such input: check first.

The package, by topic: requirement.py (inputs and their checks), cost.py, ranking.py, matching.py (`shortlist`),
presentation.py (summary, cost table, CSV). Import from the package: the names below are its public face.
"""

from __future__ import annotations

from portal.domain.direct_award.cost import CostLine, applicable_price
from portal.domain.direct_award.matching import NotCapable, Reason, ReasonCode, Shortlist, shortlist
from portal.domain.direct_award.presentation import CSV_HEADER, csv_rows, selection_summary
from portal.domain.direct_award.ranking import MEASURES, MECHANISMS, TIE_BREAKS, RankedSupplier
from portal.domain.direct_award.requirement import (
    Candidate,
    HeldAccreditation,
    PriceBasis,
    PriceItemQuantity,
    Requirement,
    Version,
    requirement_errors,
)

__all__ = [
    "CSV_HEADER",
    "MEASURES",
    "MECHANISMS",
    "TIE_BREAKS",
    "Candidate",
    "CostLine",
    "HeldAccreditation",
    "NotCapable",
    "PriceBasis",
    "PriceItemQuantity",
    "RankedSupplier",
    "Reason",
    "ReasonCode",
    "Requirement",
    "Shortlist",
    "Version",
    "applicable_price",
    "csv_rows",
    "requirement_errors",
    "selection_summary",
    "shortlist",
]
