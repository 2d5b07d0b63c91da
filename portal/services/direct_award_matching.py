"""Direct award, step 4: load the lot's suppliers as the domain's candidates and run the mechanism.

This runs on every results page for every supplier on the lot (5,000 in the benchmark), so it reads with core
selects returning tuples (no ORM objects) and loads only what the match needs:
- memberships of the lot that are not removed, with each supplier's name and framework ranking;
- claims of the essential capabilities only, accreditations of the required schemes only;
- per supplier and price item, only the price version that applies on the planned start date, chosen in SQL
  (PostgreSQL: DISTINCT ON; SQLite: its documented bare-column MAX, which takes the other columns from the row
  holding the maximum) and only for items with a quantity above 0;
- exclusions in force today.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import and_, func, or_, select

from portal.domain.direct_award import (
    Candidate,
    HeldAccreditation,
    PriceItemQuantity,
    Requirement,
    Shortlist,
    shortlist,
)
from portal.domain.suppliers import MembershipStatus, PriceVersion
from portal.extensions import db
from portal.models import Accreditation, CapabilityClaim, Exclusion, LotMembership, Supplier, SupplierPrice

TIE_BREAK_SEPARATOR = ","


def tie_breaks_of(stored: str) -> list[str]:
    return [t for t in (stored or "").split(TIE_BREAK_SEPARATOR) if t]


def candidates(lot_id: int, requirement: Requirement, quantities: list[PriceItemQuantity], today: date) -> list:
    """Every supplier on the lot (removed ones aside) as a domain Candidate, with only what the match needs."""
    members = db.session.execute(
        select(
            LotMembership.supplier_id,
            Supplier.trading_name,
            Supplier.legal_name,
            LotMembership.status,
            LotMembership.framework_ranking,
        )
        .join(Supplier, Supplier.id == LotMembership.supplier_id)
        .where(LotMembership.lot_id == lot_id, LotMembership.status != MembershipStatus.REMOVED.value)
    ).all()
    on_lot = select(LotMembership.supplier_id).where(LotMembership.lot_id == lot_id).scalar_subquery()
    claimed: dict[int, set[int]] = defaultdict(set)
    if requirement.essential_capability_ids:
        for supplier_id, capability_id in db.session.execute(
            select(CapabilityClaim.supplier_id, CapabilityClaim.capability_id).where(
                CapabilityClaim.capability_id.in_(requirement.essential_capability_ids)
            )
        ):
            claimed[supplier_id].add(capability_id)
    held: dict[int, list[HeldAccreditation]] = defaultdict(list)
    if requirement.required_schemes:
        for supplier_id, scheme, expires_on in db.session.execute(
            select(Accreditation.supplier_id, Accreditation.scheme, Accreditation.expires_on).where(
                Accreditation.scheme.in_(requirement.required_schemes), Accreditation.supplier_id.in_(on_lot)
            )
        ):
            held[supplier_id].append(HeldAccreditation(scheme, expires_on))
    excluded = set(
        db.session.scalars(
            select(Exclusion.supplier_id).where(
                Exclusion.supplier_id.in_(on_lot),
                Exclusion.starts_on <= today,
                or_(Exclusion.ends_on.is_(None), Exclusion.ends_on >= today),
            )
        )
    )
    prices = _prices_on(requirement.starts_on, [q.price_item_id for q in quantities if q.quantity > 0])
    empty: frozenset[int] = frozenset()
    return [
        Candidate(
            supplier_id=supplier_id,
            name=trading or legal,
            membership_status=MembershipStatus(status),
            excluded=supplier_id in excluded,
            capability_ids=frozenset(claimed[supplier_id]) if supplier_id in claimed else empty,
            accreditations=tuple(held.get(supplier_id, ())),
            framework_ranking=ranking,
            prices=prices.get(supplier_id, {}),
        )
        for supplier_id, trading, legal, status, ranking in members
    ]


def _prices_on(day: date, price_item_ids: list[int]) -> dict[int, dict[int, tuple[PriceVersion]]]:
    """supplier id -> price item id -> (the version that applies on `day`,)."""
    if not price_item_ids:
        return {}
    where = and_(SupplierPrice.price_item_id.in_(price_item_ids), SupplierPrice.effective_from <= day)
    if db.session.get_bind().dialect.name == "postgresql":
        query = (
            select(
                SupplierPrice.supplier_id,
                SupplierPrice.price_item_id,
                SupplierPrice.effective_from,
                SupplierPrice.unit_price_pence,
            )
            .where(where)
            .distinct(SupplierPrice.supplier_id, SupplierPrice.price_item_id)
            .order_by(SupplierPrice.supplier_id, SupplierPrice.price_item_id, SupplierPrice.effective_from.desc())
        )
    else:
        query = (
            select(
                SupplierPrice.supplier_id,
                SupplierPrice.price_item_id,
                func.max(SupplierPrice.effective_from),
                SupplierPrice.unit_price_pence,
            )
            .where(where)
            .group_by(SupplierPrice.supplier_id, SupplierPrice.price_item_id)
        )
    result: dict[int, dict[int, tuple[PriceVersion]]] = defaultdict(dict)
    for supplier_id, item_id, effective_from, pence in db.session.execute(query):
        if isinstance(effective_from, str):  # SQLite returns MAX() of a date column as text
            effective_from = date.fromisoformat(effective_from)
        result[supplier_id][item_id] = (PriceVersion(effective_from, pence),)
    return result


def match(
    lot_id: int,
    mechanism: str,
    tie_breaks: list[str],
    requirement: Requirement,
    quantities: list[PriceItemQuantity],
    today: date,
) -> Shortlist:
    """Load and rank: the service-layer work the benchmark times."""
    return shortlist(requirement, quantities, candidates(lot_id, requirement, quantities, today), mechanism, tie_breaks)
