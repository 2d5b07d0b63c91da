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

import json
from collections import defaultdict
from collections.abc import Collection
from datetime import date

from sqlalchemy import Integer, and_, any_, bindparam, case, func, literal, literal_column, null, or_, select
from sqlalchemy.dialects.postgresql import ARRAY, distinct_on

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
_MASK_BITS = 30  # essential capabilities per claim mask column: its sum stays inside a 32-bit integer
_STATUSES = {status.value: status for status in MembershipStatus}  # cheaper than MembershipStatus(value) per row


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
    essential = sorted(requirement.essential_capability_ids)
    item_ids = [q.price_item_id for q in quantities if q.quantity > 0]
    schemes, starts_on = requirement.required_schemes, requirement.starts_on
    members = _plain_rows(_members(lot_id, essential, item_ids, starts_on, today))
    held = _best_accreditations(lot_id, schemes)
    claimed = _claimed_sets(essential)
    no_accreditations: tuple[HeldAccreditation, ...] = ()

    def prequalified(supplier_id: int, status: str, excluded: bool, capability_ids: frozenset[int]) -> bool:
        if status != MembershipStatus.ACTIVE or excluded or len(capability_ids) != len(essential):
            return False
        valid = {a.scheme for a in held.get(supplier_id, ()) if accreditation_valid_on(starts_on, a.expires_on)}
        return schemes <= valid

    found = []
    loaded, placeholders, partial = [], [], []
    for supplier_id, name, status, ranking, excluded, priced, *masks in members:
        capability_ids = claimed(masks)
        excluded = bool(excluded)
        if all_prices or prequalified(supplier_id, status, excluded, capability_ids):
            loaded.append(supplier_id)
        elif priced == len(item_ids):
            placeholders.append(supplier_id)
        elif priced:
            partial.append(supplier_id)
        found.append((supplier_id, name, status, excluded, capability_ids, ranking))
    prices = _prices_on(starts_on, item_ids, loaded)
    complete = {item_id: PRICE_NOT_LOADED for item_id in item_ids}
    prices.update((supplier_id, complete) for supplier_id in placeholders)
    _mark_priced(prices, starts_on, item_ids, partial)
    no_prices: dict[int, tuple] = {}
    return [
        Candidate(
            supplier_id,
            name,
            _STATUSES[status],
            excluded,
            capability_ids,
            held.get(supplier_id, no_accreditations),
            ranking,
            prices.get(supplier_id, no_prices),
        )
        for supplier_id, name, status, excluded, capability_ids, ranking in found
    ]


def _members(lot_id: int, essential: list[int], item_ids: list[int], starts_on: date, today: date):
    """One row per supplier on the lot (removed ones aside): id, name, status, framework ranking, whether an
    exclusion is in force today, how many of the items have a price on the start date, and the essential
    capabilities it claims as bit masks (bit i of mask k: essential[k * _MASK_BITS + i], ids in ascending order)."""
    member, claim = LotMembership, CapabilityClaim.capability_id
    excluded = (
        select(Exclusion.id)
        .where(
            Exclusion.supplier_id == member.supplier_id,
            Exclusion.starts_on <= today,
            or_(Exclusion.ends_on.is_(None), Exclusion.ends_on >= today),
        )
        .exists()
    )
    priced = (
        select(func.count(SupplierPrice.price_item_id.distinct()))
        .where(SupplierPrice.supplier_id == member.supplier_id, _applicable(starts_on, item_ids))
        .scalar_subquery()
        if item_ids
        else literal(0)
    )
    masks = [
        # The (supplier, capability) unique constraint makes this sum a bitwise or.
        select(func.sum(case({c: literal_column(str(1 << bit)) for bit, c in enumerate(chunk)}, value=claim)))
        .where(CapabilityClaim.supplier_id == member.supplier_id, claim.in_(chunk))
        .scalar_subquery()
        for chunk in _chunks(essential, _MASK_BITS)
    ]
    return (
        select(
            member.supplier_id,
            func.coalesce(func.nullif(Supplier.trading_name, ""), Supplier.legal_name),
            member.status,
            member.framework_ranking,
            excluded,
            priced,
            *masks,
        )
        .join(Supplier, Supplier.id == member.supplier_id)
        .where(member.lot_id == lot_id, member.status != MembershipStatus.REMOVED.value)
    )


def _claimed_sets(essential: list[int]):
    """masks -> the frozenset of essential capability ids they stand for, built once per distinct value."""
    known: dict[tuple, frozenset[int]] = {}

    def claimed(masks: list) -> frozenset[int]:
        key = tuple(masks)
        found = known.get(key)
        if found is None:
            found = known[key] = frozenset(
                capability_id
                for k, mask in enumerate(masks)
                for bit, capability_id in enumerate(essential[k * _MASK_BITS : (k + 1) * _MASK_BITS])
                if int(mask or 0) >> bit & 1
            )
        return found

    return claimed


def _best_accreditations(lot_id: int, schemes: Collection[str]) -> dict[int, tuple[HeldAccreditation, ...]]:
    """supplier id -> per required scheme it holds, its longest-lasting accreditation (no expiry date beats any).

    Enough for the domain: a scheme is valid on a day if any accreditation of it is, which is so if the
    longest-lasting one is; and when none is, the domain reports the latest expiry date, which is that one's."""
    if not schemes:
        return {}
    best_expiry = case(
        (func.count() > func.count(Accreditation.expires_on), null()), else_=func.max(Accreditation.expires_on)
    )
    on_lot = select(LotMembership.supplier_id).where(LotMembership.lot_id == lot_id).scalar_subquery()
    rows = _plain_rows(
        select(Accreditation.supplier_id, Accreditation.scheme, best_expiry)
        .where(Accreditation.scheme.in_(schemes), Accreditation.supplier_id.in_(on_lot))
        .group_by(Accreditation.supplier_id, Accreditation.scheme)
        .order_by(Accreditation.supplier_id, Accreditation.scheme)
    )
    as_date, shared = _date_reader(), {}
    held: dict[int, list[HeldAccreditation]] = defaultdict(list)
    for supplier_id, scheme, expires_on in rows:
        key = (scheme, as_date(expires_on))
        held[supplier_id].append(shared.get(key) or shared.setdefault(key, HeldAccreditation(*key)))
    # One tuple per distinct combination, shared like the HeldAccreditations in it: the domain words reasons once
    # per distinct object.
    combinations: dict[tuple, tuple] = {}
    return {supplier_id: combinations.setdefault(key := tuple(found), key) for supplier_id, found in held.items()}


def _date_reader():
    """A date column read through the driver: SQLite gives text (MAX() of a date column, or any date through the
    driver's own tuples); only a few distinct dates occur, so each is parsed once."""
    parsed: dict = {}

    def as_date(value):
        if type(value) is not str:
            return value
        found = parsed.get(value)
        if found is None:
            found = parsed[value] = date.fromisoformat(value)
        return found

    return as_date


def _applicable(day: date, item_ids: list[int]):
    item = SupplierPrice.price_item_id
    if db.session.get_bind().dialect.name == "sqlite":
        # Without statistics SQLite takes the price item index, which matches a tenth of the table and costs a row
        # lookup each; "+ 0" steers it to the (supplier, item, effective_from) index instead (3-4x faster).
        item = item + 0
    return and_(item.in_(item_ids), SupplierPrice.effective_from <= day)


def _one_of(column, ids: list[int]):
    """column IN ids. On PostgreSQL as = ANY(one array parameter): psycopg rewrites a statement's placeholders in
    Python on each execution, and an IN list of 1,500 ids makes that cost more than the query."""
    if db.session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam("ids", ids, type_=ARRAY(Integer)))
    return column.in_(select(literal_column("value")).select_from(func.json_each(json.dumps(ids))))


def _chunks(ids: list[int], size: int = _IN_CHUNK):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _prices_on(day: date, item_ids: list[int], supplier_ids: list[int]) -> dict[int, dict[int, tuple]]:
    """supplier id -> price item id -> (the version that applies on `day`,), for these suppliers."""
    result: dict[int, dict[int, tuple]] = defaultdict(dict)
    if not item_ids or not supplier_ids:
        return result
    postgres = db.session.get_bind().dialect.name == "postgresql"
    as_date = _date_reader()
    for chunk in _chunks(supplier_ids):
        where = and_(_applicable(day, item_ids), _one_of(SupplierPrice.supplier_id, chunk))
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
            result[supplier_id][item_id] = (PriceVersion(as_date(effective_from), pence),)
    return result


def _mark_priced(prices: dict, day: date, item_ids: list[int], supplier_ids: list[int]) -> None:
    """For suppliers not capable anyway and priced for some items only: PRICE_NOT_LOADED for each priced item."""
    for chunk in _chunks(supplier_ids):
        for supplier_id, item_id in _plain_rows(
            select(SupplierPrice.supplier_id, SupplierPrice.price_item_id)
            .where(_applicable(day, item_ids), _one_of(SupplierPrice.supplier_id, chunk))
            .distinct()
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
