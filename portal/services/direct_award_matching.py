"""Direct award, step 4: load the lot's suppliers as the domain's candidates and run the mechanism.

This runs on every results page for every supplier on the lot (5,000 in bench/direct_award_service.py), so it
reads with core selects returning tuples (no ORM objects) and loads only what the match needs:
- memberships of the lot that are not removed, with each supplier's name and framework ranking;
- claims of the essential capabilities only; accreditations of the required schemes only; exclusions in force today;
- prices: only the version that applies on the planned start date (chosen in SQL: PostgreSQL DISTINCT ON; SQLite
  its documented bare-column MAX, which takes the other columns from the row holding the maximum), only for items
  with a quantity above 0, and only for suppliers that pass every other test of capability ("prequalified").

Why the last point is safe. A supplier that fails another test is not capable whatever its prices; the domain costs
nobody with a reason against it. For such a supplier only whether a price applies matters (a missing price is one of
its reasons), so it gets `PRICE_NOT_LOADED` for each item that has an applicable price (found with one grouped count
over the price table's covering index) and nothing for an item without one. Should the domain ever find capable a
supplier the prefilter left out (the two disagreeing), the match is run again with every price loaded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.dialects.postgresql import distinct_on

from portal.domain.direct_award import (
    Candidate,
    HeldAccreditation,
    PriceItemQuantity,
    Requirement,
    Shortlist,
    shortlist,
)
from portal.domain.suppliers import MembershipStatus, PriceVersion, accreditation_valid_on
from portal.extensions import db
from portal.models import Accreditation, CapabilityClaim, Exclusion, LotMembership, Supplier, SupplierPrice

TIE_BREAK_SEPARATOR = ","
# "A price applies on the start date but was not loaded": never costed, because its supplier is not capable anyway.
PRICE_NOT_LOADED = (PriceVersion(date.min, 0),)
_IN_CHUNK = 5000  # bound parameters per IN list, well inside every database's limit


def _core():
    """The session's connection: core results are plain rows, without the ORM's per-row loading machinery.
    Results are read with .all() (one fetchall), not row by row (a fetchone per row costs several times more)."""
    return db.session.connection()


def _plain_rows(query) -> list[tuple]:
    """The driver's own tuples, for queries whose columns need no conversion (ids, text, integers, and the price
    date, converted here): building a Row per row would cost more than the query itself on the larger lots."""
    return _core().execute(query).cursor.fetchall()


def tie_breaks_of(stored: str) -> list[str]:
    return [t for t in (stored or "").split(TIE_BREAK_SEPARATOR) if t]


def candidates(
    lot_id: int,
    requirement: Requirement,
    quantities: list[PriceItemQuantity],
    today: date,
    *,
    all_prices: bool = False,
) -> list[Candidate]:
    """Every supplier on the lot (removed ones aside) as a domain Candidate, with only what the match needs."""
    members = (
        _core()
        .execute(
            select(
                LotMembership.supplier_id,
                Supplier.trading_name,
                Supplier.legal_name,
                LotMembership.status,
                LotMembership.framework_ranking,
            )
            .join(Supplier, Supplier.id == LotMembership.supplier_id)
            .where(LotMembership.lot_id == lot_id, LotMembership.status != MembershipStatus.REMOVED.value)
        )
        .all()
    )
    on_lot = select(LotMembership.supplier_id).where(LotMembership.lot_id == lot_id).scalar_subquery()
    essential = requirement.essential_capability_ids
    claimed: dict[int, set[int]] = defaultdict(set)
    if essential:
        for supplier_id, capability_id in _plain_rows(
            select(CapabilityClaim.supplier_id, CapabilityClaim.capability_id).where(
                CapabilityClaim.capability_id.in_(essential)
            )
        ):
            claimed[supplier_id].add(capability_id)
    held: dict[int, list[HeldAccreditation]] = defaultdict(list)
    if requirement.required_schemes:
        for supplier_id, scheme, expires_on in (
            _core()
            .execute(
                select(Accreditation.supplier_id, Accreditation.scheme, Accreditation.expires_on).where(
                    Accreditation.scheme.in_(requirement.required_schemes), Accreditation.supplier_id.in_(on_lot)
                )
            )
            .all()
        ):
            held[supplier_id].append(HeldAccreditation(scheme, expires_on))
    excluded = set(
        _core()
        .scalars(
            select(Exclusion.supplier_id).where(
                Exclusion.supplier_id.in_(on_lot),
                Exclusion.starts_on <= today,
                or_(Exclusion.ends_on.is_(None), Exclusion.ends_on >= today),
            )
        )
        .all()
    )
    item_ids = [q.price_item_id for q in quantities if q.quantity > 0]
    schemes, starts_on = requirement.required_schemes, requirement.starts_on

    def prequalified(supplier_id: int, status: str) -> bool:
        if status != MembershipStatus.ACTIVE or supplier_id in excluded or not essential <= claimed[supplier_id]:
            return False
        valid = {a.scheme for a in held.get(supplier_id, ()) if accreditation_valid_on(starts_on, a.expires_on)}
        return schemes <= valid

    loaded = sorted(m.supplier_id for m in members if all_prices or prequalified(m.supplier_id, m.status))
    prices = _prices_on(starts_on, item_ids, loaded)
    if not all_prices:
        _mark_priced(prices, starts_on, item_ids, {m.supplier_id for m in members} - set(loaded))
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


def _applicable(day: date, item_ids: list[int]):
    item = SupplierPrice.price_item_id
    if db.session.get_bind().dialect.name == "sqlite":
        # Without statistics SQLite takes the price item index, which matches a tenth of the table and costs a row
        # lookup each; "+ 0" steers it to the (supplier, item, effective_from) index instead (3-4x faster).
        item = item + 0
    return and_(item.in_(item_ids), SupplierPrice.effective_from <= day)


def _chunks(ids: list[int]):
    for start in range(0, len(ids), _IN_CHUNK):
        yield ids[start : start + _IN_CHUNK]


def _prices_on(day: date, item_ids: list[int], supplier_ids: list[int]) -> dict[int, dict[int, tuple]]:
    """supplier id -> price item id -> (the version that applies on `day`,), for these suppliers."""
    result: dict[int, dict[int, tuple]] = defaultdict(dict)
    if not item_ids or not supplier_ids:
        return result
    postgres = db.session.get_bind().dialect.name == "postgresql"
    as_date: dict = {}  # SQLite gives MAX() of a date column as text; only a few distinct dates occur
    for chunk in _chunks(supplier_ids):
        where = and_(_applicable(day, item_ids), SupplierPrice.supplier_id.in_(chunk))
        if postgres:
            query = (
                select(SupplierPrice.supplier_id, SupplierPrice.price_item_id, SupplierPrice.effective_from)
                .add_columns(SupplierPrice.unit_price_pence)
                .where(where)
                .ext(distinct_on(SupplierPrice.supplier_id, SupplierPrice.price_item_id))
                .order_by(SupplierPrice.supplier_id, SupplierPrice.price_item_id, SupplierPrice.effective_from.desc())
            )
        else:
            query = (
                select(SupplierPrice.supplier_id, SupplierPrice.price_item_id, func.max(SupplierPrice.effective_from))
                .add_columns(SupplierPrice.unit_price_pence)
                .where(where)
                .group_by(SupplierPrice.supplier_id, SupplierPrice.price_item_id)
            )
        for supplier_id, item_id, effective_from, pence in _plain_rows(query):
            if type(effective_from) is str:
                effective_from = as_date.get(effective_from) or as_date.setdefault(
                    effective_from, date.fromisoformat(effective_from)
                )
            result[supplier_id][item_id] = (PriceVersion(effective_from, pence),)
    return result


def _mark_priced(prices: dict, day: date, item_ids: list[int], supplier_ids: Collection[int]) -> None:
    """For suppliers not capable anyway: PRICE_NOT_LOADED for each item that has an applicable price."""
    if not item_ids or not supplier_ids:
        return
    rows = _plain_rows(
        select(SupplierPrice.supplier_id, func.count(SupplierPrice.price_item_id.distinct()))
        .where(_applicable(day, item_ids))
        .group_by(SupplierPrice.supplier_id)
    )
    counts = {supplier_id: count for supplier_id, count in rows}
    complete = {item_id: PRICE_NOT_LOADED for item_id in item_ids}
    partial = []
    for supplier_id in supplier_ids:
        if counts.get(supplier_id) == len(item_ids):
            prices[supplier_id] = complete
        elif counts.get(supplier_id):
            partial.append(supplier_id)
    for chunk in _chunks(partial):
        for supplier_id, item_id in (
            _core()
            .execute(
                select(SupplierPrice.supplier_id, SupplierPrice.price_item_id)
                .where(_applicable(day, item_ids), SupplierPrice.supplier_id.in_(chunk))
                .distinct()
            )
            .all()
        ):
            prices[supplier_id][item_id] = PRICE_NOT_LOADED


def match(
    lot_id: int,
    mechanism: str,
    tie_breaks: list[str],
    requirement: Requirement,
    quantities: list[PriceItemQuantity],
    today: date,
) -> Shortlist:
    """Load and rank: the service-layer work the benchmark times."""
    found = candidates(lot_id, requirement, quantities, today)
    result = shortlist(requirement, quantities, found, mechanism, tie_breaks)
    if any(line.price_effective_from == date.min for s in result.capable for line in s.lines):
        # The prefilter and the domain disagree about someone: never cost with a placeholder; load every price.
        found = candidates(lot_id, requirement, quantities, today, all_prices=True)
        result = shortlist(requirement, quantities, found, mechanism, tie_breaks)
    return result
