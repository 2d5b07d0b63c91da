"""Catalogue search: keywords over the database's full-text index, filters, facet counts, pages.

The whole search is one SQL statement (catalogue_query.py), so it stays fast at G-Cloud scale
(bench/catalogue_search.py measures it): keyword hits come from the full-text index
(catalogue_fulltext.py), each is flagged with every filter it passes, the matching set and every
facet's set follow from the flags, only the matching ids are ranked and only one page of suppliers
is loaded. Facet counts are taken over the matching ids only; a single-choice filter's counts
ignore that filter itself, so each option says how many results choosing it would give.
This module turns the statement's rows into results.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.domain import suppliers as rules
from portal.domain.search_terms import SearchTerms, parse_keywords, snippet
from portal.domain.suppliers import MembershipStatus
from portal.extensions import db
from portal.models import Accreditation, Capability, Framework, Lot
from portal.services.catalogue import query


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


_MAX_PAGE = 1_000_000_000


def search(params: SearchParams, today: date, page_size: int | None = None) -> SearchResult:
    page_size = page_size or current_app.config["CATALOGUE_PAGE_SIZE"]
    terms = parse_keywords(params.keywords)
    postgres = db.engine.dialect.name == "postgresql"
    # The statement clamps the page to the last one; bounded here so no number overflows a database integer.
    wanted = min(max(params.page, 1), _MAX_PAGE)
    shape, binds = query.shape_and_binds(params, terms, today, wanted, page_size, postgres)
    total, page, cards = 0, 1, []
    counts: dict[str, dict[str, int]] = {"framework": {}, "lot": {}, "capability": {}, "accreditation": {}, "sme": {}}
    for kind, key, n, card in db.session.execute(query.statement(shape), binds):
        if kind == "total":
            # A page beyond the last (an old link, a hand-edited URL) shows the last page, not an error.
            total, page = n, int(key)
        elif kind == "page":
            cards.append((n, int(key), card))
        else:
            counts[kind][key] = n
    cards.sort(key=lambda c: c[0])
    return SearchResult(
        params=replace(params, page=page),
        items=[_hit(supplier_id, card, params, terms, postgres) for _, supplier_id, card in cards],
        total=total,
        page=page,
        pages=max(1, math.ceil(total / page_size)),
        page_size=page_size,
        facets=Facets(
            frameworks={int(k): v for k, v in counts["framework"].items()},
            lots={int(k): v for k, v in counts["lot"].items()},
            capabilities={int(k): v for k, v in counts["capability"].items()},
            accreditations=counts["accreditation"],
            sme=counts["sme"].get("sme", 0),
        ),
    )


def _hit(supplier_id: int, card, params: SearchParams, terms: SearchTerms, postgres: bool) -> SearchHit:
    """One result from the JSON card the search statement built (see catalogue_query._card)."""
    if not isinstance(card, dict):  # SQLite returns JSON as text; psycopg decodes it already
        card = json.loads(card)
    lots = card["lots"] or []
    if not postgres:  # ordered here on SQLite (see catalogue_query._card); binary order, as SQLite sorts
        lots.sort(key=lambda lot: (lot[3], lot[4]))
    standings = [
        LotStanding(lot_id, framework_id, f"{reference}: Lot {number}: {title}", MembershipStatus(status))
        for lot_id, framework_id, status, reference, number, title in lots
    ]
    excluded = bool(card["excluded"])
    return SearchHit(
        supplier=SupplierCard(
            supplier_id, card["trading_name"] or card["legal_name"], bool(card["sme"]), card["description"]
        ),
        lots=standings,
        excluded=excluded,
        selectable=any(rules.selectable(s.status, excluded) for s in _relevant(standings, params)),
        snippet=snippet(card["body"] or "", terms) if terms else [],
    )


def _relevant(standings: list[LotStanding], params: SearchParams) -> list[LotStanding]:
    """The lots that decide whether a supplier may be chosen from these results."""
    if params.lot_id is not None:
        return [s for s in standings if s.lot_id == params.lot_id]
    if params.framework_id is not None:
        return [s for s in standings if s.framework_id == params.framework_id]
    return standings
