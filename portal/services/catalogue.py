"""Catalogue search: keywords over the database's full-text index, filters, facet counts, pages.

The query is built in three steps so that it stays fast at G-Cloud scale (see bench/):
1. keyword hits come from the full-text index alone (FTS5 on SQLite, a GIN-indexed tsvector on
   PostgreSQL), as a subquery of (supplier_id, score);
2. each filter is an EXISTS on an indexed column (membership by lot, claim by capability,
   accreditation by supplier), so no join multiplies rows and nothing needs DISTINCT;
3. only the page's suppliers are loaded as objects, with their relations in batches.
Facet counts are taken over the matching ids only; a single-choice filter's counts ignore that
filter itself, so each option says how many results choosing it would give.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date

from flask import current_app
from sqlalchemy import Float, Integer, and_, bindparam, exists, func, or_, select, text, true
from sqlalchemy.orm import selectinload

from portal.domain.search_terms import SearchTerms, parse_keywords
from portal.domain.suppliers import MembershipStatus, selectable
from portal.extensions import db
from portal.models import Accreditation, Capability, CapabilityClaim, Framework, Lot, LotMembership, Supplier

# Marks around matched words in snippets: control characters no supplier text contains, so the
# template can escape everything else and emphasise only the matches.
MATCH_START, MATCH_END = "\x02", "\x03"


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
class LotStanding:
    """A supplier's place on one lot, as a search result shows it."""

    lot: Lot
    status: MembershipStatus


@dataclass
class SearchHit:
    supplier: Supplier
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
        select(Lot).options(selectinload(Lot.framework)).order_by(Lot.framework_id, Lot.number)
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
    hits = _keyword_hits(terms) if terms else None

    total = _count(hits, _filters(params, today))
    pages = max(1, math.ceil(total / page_size))
    # A page beyond the last (an old link, a hand-edited URL) shows the last page, not an error.
    page = min(max(params.page, 1), pages)
    ids = _page_ids(hits, _filters(params, today), page, page_size)
    return SearchResult(
        params=replace(params, page=page),
        items=_hits_for(ids, params, terms, today),
        total=total,
        page=page,
        pages=pages,
        page_size=page_size,
        facets=_facets(hits, params, today),
    )


# --- step 1: keyword hits from the full-text index ------------------------------------------


def _keyword_hits(terms: SearchTerms):
    """A subquery (supplier_id, score) of documents matching every term; higher score is better."""
    if db.engine.dialect.name == "postgresql":
        return _pg_hits(terms)
    # bm25() is lower for better matches, so it is negated to sort the same way as ts_rank.
    sql = text(
        "SELECT rowid AS supplier_id, -bm25(supplier_search_fts) AS score "
        "FROM supplier_search_fts WHERE supplier_search_fts MATCH :fts_query"
    ).bindparams(fts_query=terms.fts5_match())
    return sql.columns(supplier_id=Integer, score=Float).subquery("hits")


def _pg_query_sql(terms: SearchTerms) -> str:
    # Only the non-empty parts are sent: an empty tsquery makes PostgreSQL log a notice.
    parts = []
    if terms.pg_words():
        parts.append("websearch_to_tsquery('english', :pg_words)")
    if terms.pg_prefix():
        parts.append("to_tsquery('english', :pg_prefix)")
    return " && ".join(parts)


def _pg_hits(terms: SearchTerms):
    query = _pg_query_sql(terms)
    sql = text(
        f"SELECT supplier_id, ts_rank(search_vector, q) AS score "  # noqa: S608 - fixed fragments only
        f"FROM supplier_search_document, {query} AS q WHERE search_vector @@ q"
    )
    binds = {k: v for k, v in (("pg_words", terms.pg_words()), ("pg_prefix", terms.pg_prefix())) if v}
    return sql.bindparams(**binds).columns(supplier_id=Integer, score=Float).subquery("hits")


# --- step 2: filters as EXISTS on indexed columns ---------------------------------------------


def _valid_accreditation(scheme: str | None, today: date):
    condition = and_(
        Accreditation.supplier_id == Supplier.id,
        or_(Accreditation.expires_on.is_(None), Accreditation.expires_on >= today),
    )
    if scheme is not None:
        condition = and_(condition, Accreditation.scheme == scheme)
    return exists().where(condition)


def _filters(params: SearchParams, today: date, without: str | None = None) -> list:
    """WHERE conditions on Supplier for every filter given, except the one named `without`."""
    conditions = []
    if params.framework_id is not None and without != "framework":
        on_framework = (
            select(LotMembership.id)
            .join(Lot, Lot.id == LotMembership.lot_id)
            .where(LotMembership.supplier_id == Supplier.id, Lot.framework_id == params.framework_id)
        )
        conditions.append(on_framework.exists())
    if params.lot_id is not None and without != "lot":
        conditions.append(
            exists().where(LotMembership.supplier_id == Supplier.id, LotMembership.lot_id == params.lot_id)
        )
    # Every required capability must be claimed: one EXISTS each, on the (supplier, capability) key.
    for capability_id in params.capability_ids:
        conditions.append(
            exists().where(CapabilityClaim.supplier_id == Supplier.id, CapabilityClaim.capability_id == capability_id)
        )
    if params.accreditation is not None and without != "accreditation":
        conditions.append(_valid_accreditation(params.accreditation, today))
    if params.sme_only and without != "sme":
        conditions.append(Supplier.sme.is_(true()))
    return conditions


def _matching(hits, conditions):
    """select(Supplier.id[, score]) for suppliers matching the keywords and the conditions."""
    columns = [Supplier.id] if hits is None else [Supplier.id, hits.c.score]
    query = select(*columns)
    if hits is not None:
        query = query.join_from(Supplier, hits, hits.c.supplier_id == Supplier.id)
    return query.where(*conditions)


def _count(hits, conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(_matching(hits, conditions).subquery())) or 0


def _sort_name():
    return func.lower(func.coalesce(func.nullif(Supplier.trading_name, ""), Supplier.legal_name))


def _page_ids(hits, conditions, page: int, page_size: int) -> list[int]:
    query = _matching(hits, conditions)
    order = [_sort_name(), Supplier.id] if hits is None else [hits.c.score.desc(), _sort_name(), Supplier.id]
    query = query.order_by(*order).limit(page_size).offset((page - 1) * page_size)
    return [row[0] for row in db.session.execute(query)]


# --- facet counts over the matching ids --------------------------------------------------------


def _facets(hits, params: SearchParams, today: date) -> Facets:
    def ids_without(name: str | None):
        return _matching(hits, _filters(params, today, without=name)).with_only_columns(Supplier.id)

    by_lot = select(LotMembership.lot_id, func.count()).where(LotMembership.supplier_id.in_(ids_without("lot")))
    by_framework = (
        select(Lot.framework_id, func.count(LotMembership.supplier_id.distinct()))
        .join(Lot, Lot.id == LotMembership.lot_id)
        .where(LotMembership.supplier_id.in_(ids_without("framework")))
    )
    by_capability = select(CapabilityClaim.capability_id, func.count()).where(
        CapabilityClaim.supplier_id.in_(ids_without(None))
    )
    if params.lot_id is not None:
        # Capability options are the chosen lot's; counting the rest would be wasted work.
        by_capability = by_capability.join(Capability, Capability.id == CapabilityClaim.capability_id).where(
            Capability.lot_id == params.lot_id
        )
    by_scheme = select(Accreditation.scheme, func.count(Accreditation.supplier_id.distinct())).where(
        Accreditation.supplier_id.in_(ids_without("accreditation")),
        or_(Accreditation.expires_on.is_(None), Accreditation.expires_on >= today),
    )
    sme_ids = ids_without("sme").where(Supplier.sme.is_(true())).subquery()
    return Facets(
        frameworks=_grouped(by_framework.group_by(Lot.framework_id)),
        lots=_grouped(by_lot.group_by(LotMembership.lot_id)),
        capabilities=_grouped(by_capability.group_by(CapabilityClaim.capability_id)),
        accreditations=_grouped(by_scheme.group_by(Accreditation.scheme)),
        sme=db.session.scalar(select(func.count()).select_from(sme_ids)) or 0,
    )


def _grouped(query) -> dict:
    return {key: count for key, count in db.session.execute(query)}


# --- step 3: the page's suppliers, loaded in batches ------------------------------------------


def _hits_for(ids: list[int], params: SearchParams, terms: SearchTerms, today: date) -> list[SearchHit]:
    if not ids:
        return []
    suppliers = db.session.scalars(
        select(Supplier)
        .where(Supplier.id.in_(ids))
        .options(
            selectinload(Supplier.memberships).selectinload(LotMembership.lot).selectinload(Lot.framework),
            selectinload(Supplier.exclusions),
        )
    ).all()
    by_id = {s.id: s for s in suppliers}
    snippets = _snippets(ids, terms) if terms else {}
    return [_hit(by_id[i], params, today, snippets.get(i, "")) for i in ids if i in by_id]


def _hit(supplier: Supplier, params: SearchParams, today: date, snippet: str) -> SearchHit:
    standings = sorted(
        (LotStanding(m.lot, MembershipStatus(m.status)) for m in supplier.memberships),
        key=lambda s: (s.lot.framework.name, s.lot.number),
    )
    excluded = supplier.excluded_on(today)
    return SearchHit(
        supplier=supplier,
        lots=standings,
        excluded=excluded,
        selectable=any(selectable(s.status, excluded) for s in _relevant(standings, params)),
        snippet=split_snippet(snippet),
    )


def _relevant(standings: list[LotStanding], params: SearchParams) -> list[LotStanding]:
    """The lots that decide whether a supplier may be chosen from these results."""
    if params.lot_id is not None:
        return [s for s in standings if s.lot.id == params.lot_id]
    if params.framework_id is not None:
        return [s for s in standings if s.lot.framework_id == params.framework_id]
    return standings


def _snippets(ids: list[int], terms: SearchTerms) -> dict[int, str]:
    """A short extract of each page supplier's document around the matched words."""
    if db.engine.dialect.name == "postgresql":
        sql = text(
            f"SELECT supplier_id, ts_headline('english', body, {_pg_query_sql(terms)}, :options) "  # noqa: S608
            "FROM supplier_search_document WHERE supplier_id IN :ids"
        )
        binds = {k: v for k, v in (("pg_words", terms.pg_words()), ("pg_prefix", terms.pg_prefix())) if v}
        binds["options"] = f"StartSel={MATCH_START}, StopSel={MATCH_END}, MaxWords=30, MinWords=15, MaxFragments=2"
    else:
        sql = text(
            "SELECT rowid, snippet(supplier_search_fts, 0, :start, :end, '…', 24) "
            "FROM supplier_search_fts WHERE supplier_search_fts MATCH :fts_query AND rowid IN :ids"
        )
        binds = {"start": MATCH_START, "end": MATCH_END, "fts_query": terms.fts5_match()}
    sql = sql.bindparams(bindparam("ids", expanding=True))
    return {row[0]: row[1] for row in db.session.execute(sql, {**binds, "ids": ids})}


def split_snippet(snippet: str) -> list[tuple[str, bool]]:
    """Cut a marked snippet into (text, matched) pieces for the template to escape and emphasise."""
    pieces: list[tuple[str, bool]] = []
    for i, chunk in enumerate(snippet.replace("\n", " ").split(MATCH_START)):
        if i == 0:
            pieces.append((chunk, False))
            continue
        matched, _, rest = chunk.partition(MATCH_END)
        pieces += [(matched, True), (rest, False)]
    return [(t, m) for t, m in pieces if t]
