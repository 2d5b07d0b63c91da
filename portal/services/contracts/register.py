"""The contract register: every call-off contract signed by both parties, from either route.

Who sees which contracts (anyone else, or a contract outside their view, gets "not found"):
- framework staff see every contract, read-only (what their framework actually delivers);
- the buying organisation's procurement officers (buyers and approvers) see their organisation's, as they reach its
  call-offs (portal/services/contracts/call_offs.py); evaluators score bids and do not manage contracts;
- the supplier's users see their own supplier's contracts.

A row is registered in the same transaction as the second signature (signing.py calls `record_signed`). The status
is derived from the row's dates (portal/domain/contract_status.py), so filtering by status happens after loading;
the register is small (call-offs, not bids) and a page shows all of a row's parties, so each query loads the row
with its parties, lot and framework in one go and pages in memory (portal/domain/paging.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import joinedload

from portal.domain.contract_status import ContractStatus, status_on
from portal.domain.money import vat_pence
from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import BuyerOrganisation, CallOffContract, Document, Lot, Supplier, User
from portal.services import audit
from portal.services.contracts.call_offs import COMPETITION, CallOff
from portal.services.errors import NotFoundError


@dataclass(frozen=True)
class Row:
    contract: CallOffContract
    status: ContractStatus


@dataclass(frozen=True)
class Filters:
    keyword: str = ""
    status: ContractStatus | None = None
    framework_id: int | None = None
    lot_id: int | None = None
    buyer_organisation_id: int | None = None
    supplier_id: int | None = None
    start_from: date | None = None  # contracts starting on or after
    end_by: date | None = None  # contracts ending on or before


def has_register(user: User) -> bool:
    return user.is_staff or user.is_procurement_officer or user.is_supplier


def _visible(user: User) -> Select[CallOffContract]:
    query = select(CallOffContract).options(
        joinedload(CallOffContract.buyer_organisation),
        joinedload(CallOffContract.supplier),
        joinedload(CallOffContract.lot).joinedload(Lot.framework),
        joinedload(CallOffContract.contract_manager),
    )
    if user.is_staff:
        return query
    if user.is_procurement_officer and user.buyer_organisation_id is not None:
        return query.where(CallOffContract.buyer_organisation_id == user.buyer_organisation_id)
    if user.is_supplier and user.supplier_id is not None:
        return query.where(CallOffContract.supplier_id == user.supplier_id)
    return query.where(false())


def _keyword(query: Select[CallOffContract], keyword: str) -> Select[CallOffContract]:
    words = keyword.strip()[:200]
    if not words:
        return query
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    like = f"%{escaped}%"
    buyers = select(BuyerOrganisation.id).where(
        or_(BuyerOrganisation.name.ilike(like, escape="\\"), BuyerOrganisation.legal_name.ilike(like, escape="\\"))
    )
    suppliers = select(Supplier.id).where(
        or_(Supplier.legal_name.ilike(like, escape="\\"), Supplier.trading_name.ilike(like, escape="\\"))
    )
    return query.where(
        or_(
            CallOffContract.reference.ilike(like, escape="\\"),
            CallOffContract.title.ilike(like, escape="\\"),
            CallOffContract.buyer_organisation_id.in_(buyers),
            CallOffContract.supplier_id.in_(suppliers),
        )
    )


def rows(user: User, filters: Filters, today: date | None = None) -> list[Row]:
    """Every contract the user may see that matches the filters, newest signature first."""
    today = today or today_london()
    query = _keyword(_visible(user), filters.keyword)
    if filters.lot_id is not None:
        query = query.where(CallOffContract.lot_id == filters.lot_id)
    if filters.framework_id is not None:
        query = query.where(CallOffContract.lot_id.in_(select(Lot.id).where(Lot.framework_id == filters.framework_id)))
    if filters.buyer_organisation_id is not None:
        query = query.where(CallOffContract.buyer_organisation_id == filters.buyer_organisation_id)
    if filters.supplier_id is not None:
        query = query.where(CallOffContract.supplier_id == filters.supplier_id)
    if filters.start_from is not None:
        query = query.where(CallOffContract.start_on >= filters.start_from)
    if filters.end_by is not None:
        query = query.where(CallOffContract.end_on <= filters.end_by)
    found = db.session.scalars(query.order_by(CallOffContract.signed_at.desc(), CallOffContract.id.desc())).unique()
    result = [Row(c, status_on(today, c.start_on, c.end_on)) for c in found]
    return [r for r in result if filters.status is None or r.status is filters.status]


def choices(user: User) -> dict[str, list[tuple[int, str]]]:
    """The frameworks' lots and the parties the user's visible contracts name, for the filters."""
    contracts = list(db.session.scalars(_visible(user)).unique())
    lots = {c.lot.id: f"{c.lot.framework.reference}: {c.lot.label}" for c in contracts}
    frameworks = {c.lot.framework.id: f"{c.lot.framework.reference} {c.lot.framework.name}" for c in contracts}
    buyers = {c.buyer_organisation.id: c.buyer_organisation.name for c in contracts}
    suppliers = {c.supplier.id: c.supplier.legal_name for c in contracts}
    return {
        name: sorted(values.items(), key=lambda item: item[1])
        for name, values in (("frameworks", frameworks), ("lots", lots), ("buyers", buyers), ("suppliers", suppliers))
    }


def get_visible(user: User, contract_id: int) -> CallOffContract:
    contract = db.session.scalars(_visible(user).where(CallOffContract.id == contract_id)).unique().one_or_none()
    if contract is None:
        raise NotFoundError("Contract not found")
    return contract


def of_call_off(kind: str, call_off_id: int) -> CallOffContract | None:
    column = CallOffContract.competition_id if kind == COMPETITION else CallOffContract.direct_award_id
    return db.session.scalar(select(CallOffContract).where(column == call_off_id))


def record_signed(actor: User, call_off: CallOff, signed: Document, data: dict[str, Any]) -> CallOffContract:
    """Register the contract both parties have just signed, from the data the signed version states (the caller
    commits, with the signature)."""
    value = int(data["value_pence"])
    term = data["term"]
    contract = CallOffContract(
        competition_id=call_off.id if call_off.kind == COMPETITION else None,
        direct_award_id=None if call_off.kind == COMPETITION else call_off.id,
        reference=call_off.reference,
        title=call_off.title,
        buyer_organisation_id=call_off.buyer.id,
        supplier_id=call_off.winner.id,
        lot_id=call_off.lot.id,
        value_pence=value,
        vat_pence=vat_pence(value),
        start_on=term.get("start_on"),
        end_on=term.get("end_on"),
        # The contract data defines no extension options for a call-off yet: the extensions part adds them.
        option_months=[int(m) for m in data.get("options", {}).get("months", [])],
        signed_document_id=signed.id,
        signed_at=signed.signed_at or signed.generated_at,
    )
    db.session.add(contract)
    db.session.flush()
    audit.record(
        actor, "contract.registered", "call_off_contract", contract.id,
        summary=f"{call_off.reference} registered as a signed contract (version {signed.version})",
        after={"reference": call_off.reference, "value_pence": value, "signed_document_id": signed.id},
    )  # fmt: skip
    return contract
