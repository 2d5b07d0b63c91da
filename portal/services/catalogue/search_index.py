"""Keeps each supplier's full-text search document in step with its profile and evidence.

Call `reindex_supplier` in the same transaction as any change to a supplier's names,
description or capability evidence. The database's own full-text index (see
portal/models/search.py) follows the document automatically.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import CapabilityClaim, Supplier, SupplierSearchDocument


def document_body(supplier: Supplier, evidence: list[str]) -> str:
    parts = [supplier.legal_name, supplier.trading_name, supplier.description, *evidence]
    return "\n".join(p for p in parts if p)


def reindex_supplier(supplier: Supplier) -> None:
    db.session.flush()
    evidence = db.session.scalars(
        select(CapabilityClaim.evidence).where(CapabilityClaim.supplier_id == supplier.id).order_by(CapabilityClaim.id)
    ).all()
    body = document_body(supplier, list(evidence))
    doc = db.session.get(SupplierSearchDocument, supplier.id)
    if doc is None:
        db.session.add(SupplierSearchDocument(supplier_id=supplier.id, body=body))
    elif doc.body != body:
        doc.body = body
    db.session.flush()
