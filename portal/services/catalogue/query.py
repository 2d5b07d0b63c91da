"""The catalogue search as ONE SQL statement: candidates, filter flags, facets, total and the page.

Everything a search needs is computed where the data is, in one round trip:
1. `candidate`: keyword hits (or all suppliers), each with a mask: bit i set when it passes filter i
   (each filter an uncorrelated IN over an indexed key, built once and probed per candidate);
2. `useful`: the candidates that pass every filter, or all filters but one: the matching set is
   mask = all bits, and the set a facet needs ("every filter but its own") follows from the mask;
3. `ranked`: the matching suppliers in result order (best match first with keywords, by name
   otherwise); `page` keeps the requested page, clamped to the last one;
4. one UNION ALL returns the total, the page's suppliers as JSON cards (with their lots and
   whether they are excluded today) and every facet count.
Id sets never travel between Python and the database, and there is no per-id Python work. The
statement's text depends only on the search's shape (which filters, whether there are keywords),
so it is built once per shape and cached; values always travel as bind parameters.
"""

# The SQL is assembled from fixed fragments and integers computed here (bit masks, bind numbers);
# every value from a request is a bind parameter, so string-built SQL is safe in this module.
# ruff: noqa: S608

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import Date, bindparam, text
from sqlalchemy.sql.elements import TextClause

from portal.domain.search_terms import SearchTerms
from portal.services.catalogue import fulltext


@dataclass(frozen=True)
class Shape:
    """What decides the statement's text: the engine, the filters given, and the keywords' form."""

    postgres: bool
    filters: tuple[str, ...]  # in bit order: "framework", "lot", "capabilities:<how many>", "accreditation", "sme"
    keywords: fulltext.KeywordShape | None
    lot_chosen: bool


def _flag(name: str) -> str:
    """The condition for one filter, on the candidate id `h.id`."""
    if name == "framework":
        return (
            "h.id IN (SELECT lm.supplier_id FROM lot_membership lm JOIN lot l ON l.id = lm.lot_id "
            "WHERE l.framework_id = :framework_id)"
        )
    if name == "lot":
        return "h.id IN (SELECT supplier_id FROM lot_membership WHERE lot_id = :lot_id)"
    if name.startswith("capabilities:"):
        # Every required capability must be claimed: one set per capability, all of them.
        return (
            "("
            + " AND ".join(
                f"h.id IN (SELECT supplier_id FROM capability_claim WHERE capability_id = :capability_{n})"
                for n in range(int(name.split(":")[1]))
            )
            + ")"
        )
    if name == "accreditation":
        return (
            "h.id IN (SELECT supplier_id FROM accreditation WHERE scheme = :scheme "
            "AND (expires_on IS NULL OR expires_on >= :today))"
        )
    if name == "sme":
        return "h.id IN (SELECT id FROM supplier WHERE sme)"
    raise ValueError(name)


def _ids(shape: Shape, without: str | None = None) -> str:
    """SQL for the ids passing every filter, or every filter but `without`."""
    full = (1 << len(shape.filters)) - 1
    needed = full & ~(1 << shape.filters.index(without)) if without in shape.filters else full
    if needed == full:
        return "SELECT id FROM matching"
    return f"SELECT id FROM useful WHERE (mask & {needed}) = {needed}"


def _useful_masks(shape: Shape) -> str:
    """Every filter, or all filters but one: rows failing two or more are in no set a search needs."""
    full = (1 << len(shape.filters)) - 1
    return ", ".join(str(m) for m in [full, *(full & ~(1 << i) for i in range(len(shape.filters)))])


def _card(shape: Shape) -> str:
    """A page supplier as one JSON object: its card, its document body, exclusion today and lots."""
    excluded = (
        "EXISTS (SELECT 1 FROM exclusion e WHERE e.supplier_id = s.id AND e.starts_on <= :today "
        "AND (e.ends_on IS NULL OR e.ends_on >= :today))"
    )
    lot = "l.id, f.id, lm.status, f.reference, l.number, l.title"
    lots_from = (
        "FROM lot_membership lm JOIN lot l ON l.id = lm.lot_id JOIN framework f ON f.id = l.framework_id "
        "WHERE lm.supplier_id = s.id"
    )
    fields = (
        "'legal_name', s.legal_name, 'trading_name', s.trading_name, 'sme', s.sme, "
        "'description', s.description, 'body', d.body, 'excluded', " + excluded
    )
    if shape.postgres:
        lots = f"(SELECT json_agg(json_build_array({lot}) ORDER BY f.reference, l.number) {lots_from})"
        return f"json_build_object({fields}, 'lots', {lots})"
    # SQLite before 3.44 cannot order inside an aggregate; the caller sorts the few lots instead.
    lots = f"json((SELECT json_group_array(json_array({lot})) {lots_from}))"
    return f"json_object({fields}, 'lots', {lots})"


@lru_cache(maxsize=256)
def statement(shape: Shape) -> TextClause:
    """The whole search for one shape (cached: the text depends on nothing else)."""
    least, greatest = ("LEAST", "GREATEST") if shape.postgres else ("min", "max")
    mask = " + ".join(f"CASE WHEN {_flag(name)} THEN {1 << i} ELSE 0 END" for i, name in enumerate(shape.filters))
    full = (1 << len(shape.filters)) - 1
    ctes = []
    if shape.keywords:
        ctes.extend(fulltext.query_ctes(shape.keywords, shape.postgres))
        source = fulltext.hits_source(shape.postgres)
        ranked = fulltext.ranked_sql(shape.postgres)
    else:
        source = "(SELECT id FROM supplier) h"
        ranked = (
            "SELECT m.id, row_number() OVER (ORDER BY lower(coalesce(nullif(s.trading_name, ''), s.legal_name)), "
            "m.id) AS pos FROM matching m JOIN supplier s ON s.id = m.id"
        )
    ctes += [
        # Materialised so each flag is computed once per candidate, whatever reads the sets later.
        f"candidate AS MATERIALIZED (SELECT h.id AS id, {mask or '0'} AS mask FROM {source})",
        f"useful AS MATERIALIZED (SELECT id, mask FROM candidate WHERE mask IN ({_useful_masks(shape)}))",
        f"matching AS MATERIALIZED (SELECT id FROM useful WHERE mask = {full})",
        "stats AS MATERIALIZED (SELECT total, pages, "
        f"{least}({greatest}(:page, 1), pages) AS page FROM (SELECT count(*) AS total, "
        f"{greatest}(1, (count(*) + :page_size - 1) / :page_size) AS pages FROM matching) AS counted)",
        f"ranked AS ({ranked})",
        "page AS (SELECT r.id, r.pos FROM ranked r, stats "
        "WHERE r.pos > (stats.page - 1) * :page_size AND r.pos <= stats.page * :page_size)",
    ]
    parts = [
        "SELECT 'total' AS kind, CAST(stats.page AS TEXT) AS key, stats.total AS n, NULL AS card FROM stats",
        f"SELECT 'page', CAST(p.id AS TEXT), p.pos, {_card(shape)} FROM page p JOIN supplier s ON s.id = p.id "
        "LEFT JOIN supplier_search_document d ON d.supplier_id = s.id",
        # A single-choice filter's counts ignore that filter, so each option says what choosing it would give.
        # DISTINCT pairs, then count: both aggregate by hashing, where count(DISTINCT) sorts by key.
        "SELECT 'framework', CAST(framework_id AS TEXT), count(*), NULL FROM (SELECT DISTINCT l.framework_id, "
        "lm.supplier_id FROM lot_membership lm JOIN lot l ON l.id = lm.lot_id "
        f"WHERE lm.supplier_id IN ({_ids(shape, 'framework')})) AS pairs GROUP BY framework_id",
        "SELECT 'lot', CAST(lm.lot_id AS TEXT), count(*), NULL FROM lot_membership lm "
        f"WHERE lm.supplier_id IN ({_ids(shape, 'lot')}) GROUP BY lm.lot_id",
        "SELECT 'accreditation', scheme, count(*), NULL FROM (SELECT DISTINCT a.scheme, a.supplier_id "
        f"FROM accreditation a WHERE a.supplier_id IN ({_ids(shape, 'accreditation')}) "
        "AND (a.expires_on IS NULL OR a.expires_on >= :today)) AS held GROUP BY scheme",
        f"SELECT 'sme', 'sme', count(*), NULL FROM supplier s WHERE s.id IN ({_ids(shape, 'sme')}) AND s.sme",
    ]
    if shape.lot_chosen:
        # Capabilities narrow (all must be claimed), so their counts use every filter; offered once a lot is chosen.
        parts.append(
            "SELECT 'capability', CAST(cc.capability_id AS TEXT), count(*), NULL FROM capability_claim cc "
            "JOIN capability c ON c.id = cc.capability_id "
            f"WHERE c.lot_id = :lot_id AND cc.supplier_id IN ({_ids(shape)}) GROUP BY cc.capability_id"
        )
    sql = "WITH " + ",\n".join(ctes) + "\n" + "\nUNION ALL ".join(parts)
    return text(sql).bindparams(bindparam("today", type_=Date))


def shape_and_binds(params, terms: SearchTerms, today: date, page: int, page_size: int, postgres: bool):
    """The statement's shape and its bind values for one search."""
    filters: list[str] = []
    binds: dict = {"today": today, "page": page, "page_size": page_size}
    if params.framework_id is not None:
        filters.append("framework")
        binds["framework_id"] = params.framework_id
    if params.lot_id is not None:
        filters.append("lot")
        binds["lot_id"] = params.lot_id
    if params.capability_ids:
        filters.append(f"capabilities:{len(params.capability_ids)}")
        binds.update({f"capability_{n}": c for n, c in enumerate(params.capability_ids)})
    if params.accreditation is not None:
        filters.append("accreditation")
        binds["scheme"] = params.accreditation
    if params.sme_only:
        filters.append("sme")
    keywords = None
    if terms:
        keywords, keyword_binds = fulltext.keyword_shape_and_binds(terms, postgres)
        binds.update(keyword_binds)
    return Shape(postgres, tuple(filters), keywords, params.lot_id is not None), binds
