"""Direct award results as text: the one-sentence selection summary and the CSV export."""

from __future__ import annotations

from portal.domain.direct_award.matching import Shortlist
from portal.domain.direct_award.ranking import MEASURES, RankedSupplier
from portal.domain.money import format_pence, pence_to_pounds_text


def selection_summary(result: Shortlist) -> str:
    """One sentence saying whom the mechanism selects and why, for the results page and the justification."""
    measure = MEASURES[result.mechanism]
    if not result.capable:
        return "No supplier is capable of meeting this requirement."
    if result.unresolved_tie:
        names = " and ".join(s.name for s in result.capable if s.supplier_id in result.unresolved_tie)
        return f"{names} are level on {measure} and on every tie-break, so the mechanism does not select a supplier."
    chosen, count = result.selected or result.capable[0], len(result.capable)
    total = format_pence(chosen.total_pence)
    if result.decided_by is None:
        return f"{chosen.name} is the only capable supplier ({total})."
    why = "the lowest whole-life cost" if result.mechanism == "lowest_cost" else "the best framework ranking"
    if result.decided_by != result.mechanism:
        runner_up = result.capable[1].name
        why = f"level with {runner_up} on {measure}, it wins the tie-break on {MEASURES[result.decided_by]}"
    else:
        why = f"it has {why}"
    return f"{chosen.name} is selected from {count} capable suppliers: {why} ({total})."


CSV_HEADER = (
    "Rank",
    "Supplier",
    "Result",
    "Price item",
    "Basis",
    "Quantity",
    "Unit price (GBP)",
    "Months",
    "Line total (GBP)",
    "Supplier total (GBP)",
    "Reason not capable",
)


def csv_rows(result: Shortlist) -> list[list[str]]:
    """Rows for csv.writer, header first: one row per cost line of each capable supplier, one per reason otherwise."""
    rows = [list(CSV_HEADER)]
    for s in result.capable:
        outcome, total = _outcome(result, s), pence_to_pounds_text(s.total_pence)
        for line in s.lines:
            unit, line_total = pence_to_pounds_text(line.unit_price_pence), pence_to_pounds_text(line.total_pence)
            months = "" if line.months is None else str(line.months)
            item = [line.item_name, str(line.basis), str(line.quantity), unit, months, line_total]
            rows.append([str(s.rank), s.name, outcome, *item, total, ""])
    for n in result.not_capable:
        rows += [["", n.name, "Not capable", "", "", "", "", "", "", "", reason.message] for reason in n.reasons]
    return [[_csv_safe(cell) for cell in row] for row in rows]


def _outcome(result: Shortlist, supplier: RankedSupplier) -> str:
    if result.selected is not None and supplier.supplier_id == result.selected.supplier_id:
        return "Selected"
    return "Capable, tied" if supplier.supplier_id in result.unresolved_tie else "Capable"


def _csv_safe(cell: str) -> str:
    # A supplier-typed name starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
