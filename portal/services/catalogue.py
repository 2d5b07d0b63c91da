"""Catalogue search: keywords over the database's full-text index, filters, facet counts, pages.

The work is split so that it stays fast at G-Cloud scale (bench/catalogue_search.py measures it):
1. candidate ids come from the full-text index alone, unranked (catalogue_fulltext.py);
2. one query flags each candidate with every filter it passes, each flag an EXISTS on an indexed
   key (membership by supplier, claim by (supplier, capability), accreditation by supplier), so no
   join multiplies rows; the matching set and the facet sets follow from the flags in Python;
3. only the matching ids are ranked, only one page of suppliers is loaded, relations in batches.
Facet counts are taken over the matching ids only; a single-choice filter's counts ignore that
filter itself, so each option says how many results choosing it would give.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date

from flask import current_app
from sqlalchemy import String, and_, case, cast, exists, func, literal, or_, select, true, union_all
from sqlalchemy.orm import joinedload

from portal.domain import suppliers as rules
from portal.domain.search_terms import SearchTerms, parse_keywords, snippet
from portal.domain.suppliers import MembershipStatus
from portal.extensions import db
from portal.models import (
    Accreditation,
    Capability,
    CapabilityClaim,
    Exclusion,
    Framework,
    Lot,
    LotMembership,
    Supplier,
    SupplierSearchDocument,
)
from portal.services import catalogue_fulltext as fulltext


@dataclass(frozen=True)
class SearchParams:
    keywords: str = ""
    framework_id: int | None = None
    lot_id: int | None = None
    capability_ids: tuple[int, ...] = ()
    accreditation: str | None = None
    sme_only: bool = False
    page: int = 1


@dataclass(frozen=True)
class SupplierCard:
    """What a search result shows of a supplier (read as plain rows: a page needs no ORM objects)."""

    id: int
    short_name: str
    sme: bool
    description: str


@dataclass(frozen=True)
class LotStanding:
    """A supplier's place on one lot, as a search result shows it."""

    lot_id: int
    framework_id: int
    label: str
    status: MembershipStatus


@dataclass
class SearchHit:
    supplier: SupplierCard
    lots: list[LotStanding]
    excluded: bool
    selectable: bool
    snippet: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def inactive_statuses(self) -> list[MembershipStatus]:
        return sorted({s.status for s in self.lots if s.status is not MembershipStatus.ACTIVE})


@dataclass
class Facets:
    frameworks: dict[int, int]
    lots: dict[int, int]
    capabilities: dict[int, int]
    accreditations: dict[str, int]
    sme: int


@dataclass
class SearchResult:
    params: SearchParams
    items: list[SearchHit]
    total: int
    page: int
    pages: int
    page_size: int
    facets: Facets

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.page * self.page_size, self.total)


@dataclass
class FilterOptions:
    """What the filters offer, given the framework and lot chosen so far."""

    frameworks: list[Framework]
    lots: list[Lot]
    capabilities: list[Capability]
    schemes: list[str]
    all_lot_ids: set[int]
    all_capability_ids: set[int]


def filter_options(framework_id: int | None, lot_id: int | None) -> FilterOptions:
    frameworks = db.session.scalars(select(Framework).order_by(Framework.start_on.desc(), Framework.name)).all()
    lots = db.session.scalars(
        select(Lot).options(joinedload(Lot.framework)).order_by(Lot.framework_id, Lot.number)
    ).all()
    offered = [lot for lot in lots if framework_id is None or lot.framework_id == framework_id]
    chosen_lot = next((lot for lot in offered if lot.id == lot_id), None)
    capabilities = (
        db.session.scalars(
            select(Capability).where(Capability.lot_id == chosen_lot.id).order_by(Capability.position, Capability.id)
        ).all()
        if chosen_lot
        else []
    )
    return FilterOptions(
        frameworks=list(frameworks),
        lots=offered,
        capabilities=list(capabilities),
        schemes=list(db.session.scalars(select(Accreditation.scheme).distinct().order_by(Accreditation.scheme))),
        all_lot_ids={lot.id for lot in lots},
        all_capability_ids=set(db.session.scalars(select(Capability.id))),
    )


def search(params: SearchParams, today: date, page_size: int | None = None) -> SearchResult:
    page_size = page_size or current_app.config["CATALOGUE_PAGE_SIZE"]
    terms = parse_keywords(params.keywords)
    candidates = _candidates(terms, params, today)
    matching = candidates.ids()
    pages = max(1, math.ceil(len(matching) / page_size))
    # A page beyond the last (an old link, a hand-edited URL) shows the last page, not an error.
    page = min(max(params.page, 1), pages)
    ids = _page_ids(terms, matching, page_size, (page - 1) * page_size)
    return SearchResult(
        params=replace(params, page=page),
        items=_hits_for(ids, params, terms, today),
        total=len(matching),
        page=page,
        pages=pages,
        page_size=page_size,
        facets=_facets(candidates, params, today),
    )


# --- step 1 and 2: candidates from the index, each with which filters it passes ------------------


@dataclass
class _Candidates:
    """Keyword hits (or all suppliers) grouped by mask: bit i set when a supplier passes filter i.

    One query finds them all, aggregated per mask as (mask, count, ids as text); the matching set
    and each "all filters but one" set that the facet counts need then follow from the masks,
    instead of a query each. Rows failing two or more filters are in none of those sets, so the
    query leaves them out.
    """

    groups: list[tuple[int, int, str]]
    filters: list[str]

    @property
    def full(self) -> int:
        return (1 << len(self.filters)) - 1

    def ids(self, without: str | None = None) -> fulltext.IdSet:
        needed = self.full
        if without in self.filters:
            needed &= ~(1 << self.filters.index(without))
        chosen = [(count, ids) for mask, count, ids in self.groups if mask & needed == needed]
        return fulltext.IdSet(sum(c for c, _ in chosen), tuple(ids for _, ids in chosen))


def _flags(params: SearchParams, today: date) -> dict:
    """For each filter given, a condition on Supplier.id.

    Each is an uncorrelated IN over an indexed key: both engines build the set once and probe it
    per candidate, which measured faster than a correlated EXISTS per candidate.
    """
    flags = {}
    if params.framework_id is not None:
        flags["framework"] = Supplier.id.in_(
            select(LotMembership.supplier_id)
            .join(Lot, Lot.id == LotMembership.lot_id)
            .where(Lot.framework_id == params.framework_id)
        )
    if params.lot_id is not None:
        flags["lot"] = Supplier.id.in_(select(LotMembership.supplier_id).where(LotMembership.lot_id == params.lot_id))
    if params.capability_ids:
        # Every required capability must be claimed: one set per capability, all of them.
        flags["capabilities"] = and_(
            *(
                Supplier.id.in_(select(CapabilityClaim.supplier_id).where(CapabilityClaim.capability_id == c))
                for c in params.capability_ids
            )
        )
    if params.accreditation is not None:
        flags["accreditation"] = Supplier.id.in_(
            select(Accreditation.supplier_id).where(
                Accreditation.scheme == params.accreditation,
                or_(Accreditation.expires_on.is_(None), Accreditation.expires_on >= today),
            )
        )
    if params.sme_only:
        flags["sme"] = Supplier.sme.is_(true())
    return flags


def _candidates(terms: SearchTerms, params: SearchParams, today: date) -> _Candidates:
    flags = _flags(params, today)
    mask = sum((case((expr, 1 << i), else_=0) for i, expr in enumerate(flags.values())), literal(0))
    inner = select(Supplier.id.label("id"), mask.label("mask"))
    if terms:
        inner = inner.where(fulltext.only_hits(Supplier.id, terms))
    # Materialised so each flag is computed once per candidate, not again for the outer filter.
    inner = inner.cte("candidate").prefix_with("MATERIALIZED")
    full = (1 << len(flags)) - 1
    useful = [full, *(full & ~(1 << i) for i in range(len(flags)))]
    groups = db.session.execute(
        select(inner.c.mask, func.count(), fulltext.aggregate_ids(inner.c.id))
        .where(inner.c.mask.in_(useful))
        .group_by(inner.c.mask)
    ).all()
    return _Candidates([(mask, count, ids or "") for mask, count, ids in groups], list(flags))


def _sort_name():
    return func.lower(func.coalesce(func.nullif(Supplier.trading_name, ""), Supplier.legal_name))


def _page_ids(terms: SearchTerms, matching: fulltext.IdSet, limit: int, offset: int) -> list[int]:
    """Best match first with keywords; otherwise by name."""
    if not matching:
        return []
    if terms:
        return fulltext.ranked_page(terms, matching, limit, offset)
    query = select(Supplier.id).where(fulltext.in_ids(Supplier.id, matching))
    return list(db.session.scalars(query.order_by(_sort_name(), Supplier.id).limit(limit).offset(offset)))


# --- facet counts over the matching ids --------------------------------------------------------


def _facets(candidates: _Candidates, params: SearchParams, today: date) -> Facets:
    """Counts per option, in one UNION ALL round trip.

    A single-choice filter's own counts ignore that filter, so each option says what choosing it
    would give; capability counts use every filter, as capabilities narrow (all must be claimed).
    """
    parts = []

    def count_over(ids: list[int], query) -> None:
        if ids:  # an empty set counts nothing; skipping it saves a query part
            parts.append(query)

    def facet(name: str, key, count):
        return select(literal(name).label("facet"), key.label("key"), count.label("count"))

    framework_ids = candidates.ids(without="framework")
    count_over(
        framework_ids,
        facet("framework", cast(Lot.framework_id, String), func.count(LotMembership.supplier_id.distinct()))
        .join(Lot, Lot.id == LotMembership.lot_id)
        .where(fulltext.in_ids(LotMembership.supplier_id, framework_ids))
        .group_by(Lot.framework_id),
    )
    lot_ids = candidates.ids(without="lot")
    count_over(
        lot_ids,
        facet("lot", cast(LotMembership.lot_id, String), func.count())
        .where(fulltext.in_ids(LotMembership.supplier_id, lot_ids))
        .group_by(LotMembership.lot_id),
    )
    matching = candidates.ids()
    if params.lot_id is not None:  # capability options are only offered once a lot is chosen
        count_over(
            matching,
            facet("capability", cast(CapabilityClaim.capability_id, String), func.count())
            .join(Capability, Capability.id == CapabilityClaim.capability_id)
            .where(Capability.lot_id == params.lot_id, fulltext.in_ids(CapabilityClaim.supplier_id, matching))
            .group_by(CapabilityClaim.capability_id),
        )
    scheme_ids = candidates.ids(without="accreditation")
    count_over(
        scheme_ids,
        facet("accreditation", Accreditation.scheme, func.count(Accreditation.supplier_id.distinct()))
        .where(
            fulltext.in_ids(Accreditation.supplier_id, scheme_ids),
            or_(Accreditation.expires_on.is_(None), Accreditation.expires_on >= today),
        )
        .group_by(Accreditation.scheme),
    )
    sme_ids = candidates.ids(without="sme")
    count_over(
        sme_ids,
        facet("sme", literal("sme"), func.count()).where(
            fulltext.in_ids(Supplier.id, sme_ids), Supplier.sme.is_(true())
        ),
    )
    counts: dict[str, dict[str, int]] = {"framework": {}, "lot": {}, "capability": {}, "accreditation": {}, "sme": {}}
    if parts:
        for facet, key, count in db.session.execute(union_all(*parts)):
            counts[facet][key] = count
    return Facets(
        frameworks={int(k): v for k, v in counts["framework"].items()},
        lots={int(k): v for k, v in counts["lot"].items()},
        capabilities={int(k): v for k, v in counts["capability"].items()},
        accreditations=counts["accreditation"],
        sme=counts["sme"].get("sme", 0),
    )


# --- step 3: the page's suppliers, loaded in batches ------------------------------------------


def _hits_for(ids: list[int], params: SearchParams, terms: SearchTerms, today: date) -> list[SearchHit]:
    """The page's suppliers with their lots and exclusion: two plain queries whatever the page size."""
    if not ids:
        return []
    # Excluded today, as portal.domain.suppliers.Period.covers puts it; asked in SQL to save a round trip.
    excluded_today = exists().where(
        Exclusion.supplier_id == Supplier.id,
        Exclusion.starts_on <= today,
        or_(Exclusion.ends_on.is_(None), Exclusion.ends_on >= today),
    )
    cards, excluded, bodies = {}, {}, {}
    for row in db.session.execute(
        select(
            Supplier.id,
            Supplier.legal_name,
            Supplier.trading_name,
            Supplier.sme,
            Supplier.description,
            excluded_today.label("excluded"),
            SupplierSearchDocument.body,
        )
        .outerjoin(SupplierSearchDocument, SupplierSearchDocument.supplier_id == Supplier.id)
        .where(Supplier.id.in_(ids))
    ):
        cards[row.id] = SupplierCard(row.id, row.trading_name or row.legal_name, row.sme, row.description)
        excluded[row.id], bodies[row.id] = bool(row.excluded), row.body or ""
    standings: dict[int, list[LotStanding]] = {i: [] for i in ids}
    for row in db.session.execute(
        select(
            LotMembership.supplier_id,
            LotMembership.status,
            Lot.id,
            Lot.number,
            Lot.title,
            Framework.id,
            Framework.reference,
        )
        .join(Lot, Lot.id == LotMembership.lot_id)
        .join(Framework, Framework.id == Lot.framework_id)
        .where(LotMembership.supplier_id.in_(ids))
        .order_by(Framework.reference, Lot.number)
    ):
        label = f"{row.reference}: Lot {row.number}: {row.title}"
        standings[row.supplier_id].append(LotStanding(row[2], row[5], label, MembershipStatus(row.status)))
    hits = []
    for i in ids:
        relevant = _relevant(standings[i], params)
        hits.append(
            SearchHit(
                supplier=cards[i],
                lots=standings[i],
                excluded=excluded[i],
                selectable=any(rules.selectable(s.status, excluded[i]) for s in relevant),
                snippet=snippet(bodies[i], terms) if terms else [],
            )
        )
    return hits


def _relevant(standings: list[LotStanding], params: SearchParams) -> list[LotStanding]:
    """The lots that decide whether a supplier may be chosen from these results."""
    if params.lot_id is not None:
        return [s for s in standings if s.lot_id == params.lot_id]
    if params.framework_id is not None:
        return [s for s in standings if s.framework_id == params.framework_id]
    return standings
