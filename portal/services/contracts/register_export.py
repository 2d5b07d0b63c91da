"""The contract register's columns for the CSV and XLSX exports (portal/services/exports.py writes them)."""

from __future__ import annotations

from portal.services.contracts.register import Row
from portal.services.exports import DATE, MONEY, Column


def _options(row: Row) -> str:
    months = row.contract.option_months or []
    return ", ".join(f"{m} months" for m in months) if months else "None"


def _route(row: Row) -> str:
    return "Mini-competition (further competition)" if row.contract.competition_id is not None else "Direct award"


COLUMNS: list[Column[Row]] = [
    Column("Reference", lambda r: r.contract.reference, width=14),
    Column("Title", lambda r: r.contract.title, width=40),
    Column("Route", _route, width=24),
    Column("Framework", lambda r: r.contract.lot.framework.reference, width=14),
    Column("Lot", lambda r: r.contract.lot.label, width=30),
    Column("Buyer", lambda r: r.contract.buyer_organisation.name, width=30),
    Column("Buyer legal body", lambda r: r.contract.buyer_organisation.legal_name, width=36),
    Column("Supplier", lambda r: r.contract.supplier.legal_name, width=30),
    Column("Status", lambda r: r.status.label, width=22),
    Column("Value excluding VAT", lambda r: r.contract.value_pence, MONEY, width=18),
    Column("VAT", lambda r: r.contract.vat_pence, MONEY, width=14),
    Column("Value including VAT", lambda r: r.contract.gross_pence, MONEY, width=18),
    Column("Start date", lambda r: r.contract.start_on, DATE, width=12),
    Column("End date", lambda r: r.contract.end_on, DATE, width=12),
    Column("Extension options", _options, width=20),
    Column(
        "Contract manager",
        lambda r: r.contract.contract_manager.name if r.contract.contract_manager else "",
        width=24,
    ),
    Column("Signed", lambda r: r.contract.signed_at, DATE, width=12),
]
