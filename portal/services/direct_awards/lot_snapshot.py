"""A lot's direct award candidates, read in full once per catalogue change and kept in this process.

Every direct award results page matches every supplier on the lot (5,000 in bench/direct_award_service.py) against
a requirement that differs from page to page. What the match reads changes far less often: memberships, names,
capability claims, accreditations, price versions and exclusions. So a lot's candidates are read in full, with
every claim, scheme and price version, whatever the requirement, and kept under the catalogue's stamp
(portal/models/catalogue_version.py). The database's own triggers give the stamp a new value in the transaction of
every change to those tables.

Each call reads the stamp (one row by primary key) and reuses the snapshot only if the stamp is the same, so no
result rests on data older than the last committed change. If a change commits between reading the stamp and
reading the rows, the snapshot is kept under the older stamp and is read again on the next call: never the other
way round. Eligibility depends on the day and on the framework's term (not a catalogue table: read on every call),
so the candidates are built per day and term from the snapshot, each judged by portal.domain.suppliers.eligibility_on.

Removed members are left out (a pre-filter: the rule would refuse them anyway); suspended, excluded, not yet joined
and departed ones stay in, as not capable with their reason.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Boolean, SQLColumnExpression, case, func, literal_column, null, select

from portal.domain.direct_award import Candidate, HeldAccreditation, Version
from portal.domain.suppliers import FrameworkTerm, Membership, MembershipStatus, eligibility_on
from portal.domain.suppliers import Period as ExclusionPeriod
from portal.extensions import db
from portal.models import (
    Accreditation,
    Capability,
    CapabilityClaim,
    CatalogueVersion,
    Exclusion,
    LotMembership,
    PriceItem,
    Supplier,
    SupplierPrice,
)

MAX_LOTS = 8  # snapshots kept per process; a lot of 5,000 suppliers with 10 price items takes about 15 MB
_STATUSES = {status.value: status for status in MembershipStatus}


@dataclass(frozen=True, slots=True)
class _Member:
    supplier_id: int
    name: str
    membership: Membership
    framework_ranking: int | None
    exclusions: tuple[ExclusionPeriod, ...]
    capability_ids: frozenset[int]
    accreditations: tuple[HeldAccreditation, ...]
    prices: dict[int, tuple[Version, ...]]


@dataclass
class LotSnapshot:
    lot_id: int
    stamp: tuple[str, int] | None
    members: list[_Member]
    _judged: tuple[date, FrameworkTerm] | None = field(default=None, repr=False)
    _candidates: list[Candidate] = field(default_factory=list, repr=False)

    def candidates_on(self, today: date, framework: FrameworkTerm) -> list[Candidate]:
        """Every member as the domain's Candidate with its eligibility on `today` (built once per day and term)."""
        if self._judged != (today, framework):
            self._candidates = [
                Candidate(
                    m.supplier_id,
                    m.name,
                    m.capability_ids,
                    m.accreditations,
                    m.framework_ranking,
                    m.prices,
                    eligibility_on(today, m.membership, m.exclusions, framework),
                )
                for m in self.members
            ]
            self._judged = (today, framework)
        return self._candidates


_cache: OrderedDict[int, LotSnapshot] = OrderedDict()
_lock = threading.Lock()


def _read_stamp() -> tuple[tuple[str, int] | None, bool]:
    """(the catalogue's stamp as this transaction sees it, whether a snapshot read now may be kept under it).

    None before the first change ever. On PostgreSQL the stamp changes once per transaction, so a transaction that
    has itself changed the catalogue (it wrote the row: its xmin is this transaction's id) could change more under
    the same stamp after reading: what it reads is used, never kept. SQLite changes the stamp on every row."""
    columns: list[SQLColumnExpression[Any]] = [CatalogueVersion.stamp, CatalogueVersion.version]
    if db.session.get_bind().dialect.name == "postgresql":
        columns.append(literal_column("xmin = pg_current_xact_id_if_assigned()::xid", Boolean))
    row = db.session.execute(select(*columns).where(CatalogueVersion.id == 1)).first()
    if row is None:
        return None, False
    written_here = len(row) > 2 and bool(row[2])
    return (row[0], row[1]), not written_here


def snapshot(lot_id: int) -> LotSnapshot:
    """The lot's snapshot for the catalogue as it stands: the cached one if nothing has changed since."""
    stamp, keep = _read_stamp()
    with _lock:
        cached = _cache.get(lot_id)
        if keep and cached is not None and cached.stamp == stamp:
            _cache.move_to_end(lot_id)
            return cached
    with collector_paused():
        loaded = LotSnapshot(lot_id, stamp, _load_members(lot_id))
    if keep:
        with _lock:
            _cache[lot_id] = loaded
            _cache.move_to_end(lot_id)
            while len(_cache) > MAX_LOTS:
                _cache.popitem(last=False)
    return loaded


def candidates(lot_id: int, today: date, framework: FrameworkTerm) -> list[Candidate]:
    return snapshot(lot_id).candidates_on(today, framework)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Reading a lot, and matching it, allocate a hundred thousand small acyclic objects that reference counting
    frees; the cyclic collector's passes over them would find nothing and cost more than the work itself. It runs
    again as before when the block ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def forget() -> None:
    """Drop every cached snapshot (tests; never needed for correctness)."""
    with _lock:
        _cache.clear()


# --- Reading a lot in full ------------------------------------------------------------------------------------------


def _rows(query) -> Sequence[tuple[Any, ...]]:
    """The driver's own tuples: building a Row per row costs more than the query on a large lot."""
    return db.session.connection().execute(query).cursor.fetchall()


def _load_members(lot_id: int) -> list[_Member]:
    on_lot = (
        select(LotMembership.supplier_id)
        .where(LotMembership.lot_id == lot_id, LotMembership.status != MembershipStatus.REMOVED.value)
        .scalar_subquery()
    )
    members = _rows(
        select(
            LotMembership.supplier_id,
            func.coalesce(func.nullif(Supplier.trading_name, ""), Supplier.legal_name),
            LotMembership.status,
            LotMembership.joined_on,
            LotMembership.left_on,
            LotMembership.framework_ranking,
        )
        .join(Supplier, Supplier.id == LotMembership.supplier_id)
        .where(LotMembership.lot_id == lot_id, LotMembership.status != MembershipStatus.REMOVED.value)
        .order_by(LotMembership.supplier_id)
    )
    as_date = _date_reader()
    claimed = _claims(lot_id)
    held = _accreditations(on_lot, as_date)
    prices = _prices(lot_id, as_date)
    exclusions: dict[int, list[ExclusionPeriod]] = defaultdict(list)
    for supplier_id, starts_on, ends_on in _rows(
        select(Exclusion.supplier_id, Exclusion.starts_on, Exclusion.ends_on).where(Exclusion.supplier_id.in_(on_lot))
    ):
        exclusions[supplier_id].append(ExclusionPeriod(as_date(starts_on), as_date(ends_on)))
    nothing_claimed: frozenset[int] = frozenset()
    return [
        _Member(
            supplier_id,
            name,
            Membership(_STATUSES[status], as_date(joined_on), as_date(left_on)),
            ranking,
            tuple(exclusions.get(supplier_id, ())),
            claimed.get(supplier_id, nothing_claimed),
            held.get(supplier_id, ()),
            prices.get(supplier_id, {}),
        )
        for supplier_id, name, status, joined_on, left_on, ranking in members
    ]


def _claims(lot_id: int) -> dict[int, frozenset[int]]:
    """supplier id -> the lot's capabilities it claims; one shared frozenset per distinct combination."""
    by_supplier: dict[int, list[int]] = defaultdict(list)
    for supplier_id, capability_id in _rows(
        select(CapabilityClaim.supplier_id, CapabilityClaim.capability_id).where(
            CapabilityClaim.capability_id.in_(select(Capability.id).where(Capability.lot_id == lot_id))
        )
    ):
        by_supplier[supplier_id].append(capability_id)
    shared: dict[frozenset[int], frozenset[int]] = {}
    return {supplier_id: shared.setdefault(ids := frozenset(found), ids) for supplier_id, found in by_supplier.items()}


def _accreditations(on_lot, as_date) -> dict[int, tuple[HeldAccreditation, ...]]:
    """supplier id -> per scheme it holds, its longest-lasting accreditation (no expiry date beats any).

    Enough for the domain: a scheme is valid on a day if any accreditation of it is, which is so if the
    longest-lasting one is; and when none is, the domain reports the latest expiry date, which is that one's.
    One shared tuple per distinct combination: the domain words each combination's reasons once."""
    best_expiry = case(
        (func.count() > func.count(Accreditation.expires_on), null()), else_=func.max(Accreditation.expires_on)
    )
    held: dict[int, list[HeldAccreditation]] = defaultdict(list)
    shared_held: dict[tuple, HeldAccreditation] = {}
    for supplier_id, scheme, expires_on in _rows(
        select(Accreditation.supplier_id, Accreditation.scheme, best_expiry)
        .where(Accreditation.supplier_id.in_(on_lot))
        .group_by(Accreditation.supplier_id, Accreditation.scheme)
        .order_by(Accreditation.supplier_id, Accreditation.scheme)
    ):
        key = (scheme, as_date(expires_on))
        held[supplier_id].append(shared_held.get(key) or shared_held.setdefault(key, HeldAccreditation(*key)))
    combinations: dict[tuple, tuple] = {}
    return {
        supplier_id: combinations.setdefault(combination := tuple(found), combination)
        for supplier_id, found in held.items()
    }


def _prices(lot_id: int, as_date) -> dict[int, dict[int, tuple[Version, ...]]]:
    """supplier id -> price item id -> every version of its price for the lot's items, as plain (effective from,
    pence) tuples: the garbage collector stops tracking those (and then the dicts holding only them), where it
    would walk 60,000 PriceVersions on every full collection for as long as the snapshot is kept."""
    prices: dict[int, dict[int, tuple[Version, ...]]] = defaultdict(dict)
    for supplier_id, item_id, effective_from, pence in _rows(
        select(
            SupplierPrice.supplier_id,
            SupplierPrice.price_item_id,
            SupplierPrice.effective_from,
            SupplierPrice.unit_price_pence,
        ).where(SupplierPrice.price_item_id.in_(select(PriceItem.id).where(PriceItem.lot_id == lot_id)))
    ):
        card = prices[supplier_id]
        version = (as_date(effective_from), pence)
        earlier = card.get(item_id)
        card[item_id] = (version,) if earlier is None else (*earlier, version)
    return prices


def _date_reader():
    """Dates read through the driver: SQLite gives text. Only a few distinct dates occur, so each is parsed once."""
    parsed: dict = {}

    def as_date(value):
        if value is None or type(value) is date:
            return value
        found = parsed.get(value)
        if found is None:
            found = parsed[value] = date.fromisoformat(value)
        return found

    return as_date
