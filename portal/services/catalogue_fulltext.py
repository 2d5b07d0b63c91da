"""The database's own full-text search over supplier documents, for the catalogue.

Two engines, one interface (see portal/models/search.py for how each index is built):
- SQLite: the FTS5 table `supplier_search_fts` (rowid = supplier_id, porter unicode61), queried
  with MATCH and ranked by bm25();
- PostgreSQL: the stored tsvector `supplier_search_document.search_vector` (GIN index), queried
  with websearch_to_tsquery (plus a to_tsquery prefix for the last word) and ranked by ts_rank.
Ranking is the expensive part of both, so it runs only over the ids that survived the filters.
User text never reaches either engine raw: portal.domain.search_terms makes it safe first.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Integer, String, any_, cast, column, func, literal, select, text
from sqlalchemy.dialects.postgresql import ARRAY

from portal.domain.search_terms import SearchTerms
from portal.extensions import db


def _postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def _pg_tsquery(terms: SearchTerms) -> tuple[str, dict[str, str]]:
    """SQL for the tsquery and its binds; only non-empty parts are sent (an empty one logs a notice)."""
    parts, binds = [], {}
    if terms.pg_words():
        parts.append("websearch_to_tsquery('english', :pg_words)")
        binds["pg_words"] = terms.pg_words()
    if terms.pg_prefix():
        parts.append("to_tsquery('english', :pg_prefix)")
        binds["pg_prefix"] = terms.pg_prefix()
    return " && ".join(parts), binds


@dataclass(frozen=True)
class IdSet:
    """Supplier ids as the database aggregated them: comma-separated text fragments and a count.

    Sets of thousands of ids pass between queries; kept as the text the database produced and
    sends back, they cost no Python per id (fetching and re-sending them row by row cost ~10 ms).
    """

    count: int
    fragments: tuple[str, ...] = ()

    @classmethod
    def of(cls, ids: list[int]) -> IdSet:
        return cls(len(ids), (",".join(str(int(i)) for i in ids),))

    def __len__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return self.count > 0

    def text(self) -> str:
        return ",".join(f for f in self.fragments if f)


def aggregate_ids(col):
    """SQL aggregating integer ids into one comma-separated text (string_agg / group_concat)."""
    return func.aggregate_strings(cast(col, String), ",")


def _as_idset(ids) -> IdSet:
    return ids if isinstance(ids, IdSet) else IdSet.of(list(ids))


def only_hits(col, terms: SearchTerms):
    """A condition keeping rows whose `col` (a supplier id) has a document matching every term.

    SQLite takes the FTS5 query as a subquery. PostgreSQL gets the ids as a list, fetched first
    with the planner steered to the GIN index (see planner_prefers_indexes): as a subquery the
    planner joins it badly (measured 200 ms against 10 ms).
    """
    if _postgres():
        query, binds = _pg_tsquery(terms)
        sql = text(
            "SELECT count(*), coalesce(string_agg(supplier_id::text, ','), '') "  # noqa: S608 - fixed fragments only
            f"FROM supplier_search_document WHERE search_vector @@ ({query})"
        )
        with planner_prefers_indexes():
            count, ids = db.session.execute(sql, binds).one()
        return in_ids(col, IdSet(count, (ids,)))
    sql = text("SELECT rowid FROM supplier_search_fts WHERE supplier_search_fts MATCH :fts_query")
    return col.in_(sql.bindparams(fts_query=terms.fts5_match()).columns(rowid=Integer))


def _pg_int_array(ids) -> str:
    # One array literal as one string: psycopg dumping a list element by element cost milliseconds.
    return "{" + _as_idset(ids).text() + "}"


def _json_int_array(ids) -> str:
    return "[" + _as_idset(ids).text() + "]"


def in_ids(col, ids):
    """`col IN ids` for a long list (or IdSet) of ids sent as ONE parameter (JSON or PostgreSQL array)."""
    if _postgres():
        return col == any_(cast(literal(_pg_int_array(ids), String), ARRAY(Integer)))
    values = func.json_each(_json_int_array(ids)).table_valued(column("value", Integer))
    return col.in_(select(values.c.value))


def ranked_page(terms: SearchTerms, ids, limit: int, offset: int) -> list[int]:
    """One page of `ids`, best match first."""
    if not ids:
        return []
    if _postgres():
        query, binds = _pg_tsquery(terms)
        sql = text(
            "SELECT supplier_id FROM supplier_search_document, "  # noqa: S608 - fixed fragments only
            f"(SELECT {query} AS q) AS query WHERE supplier_id = ANY(CAST(:ids AS integer[])) "
            "AND search_vector @@ query.q "
            "ORDER BY ts_rank(search_vector, query.q) DESC, supplier_id LIMIT :limit OFFSET :offset"
        )
        ids = _pg_int_array(ids)
    else:
        # "+rowid" keeps the id list away from FTS5's planner: given it, FTS5 re-runs the whole MATCH
        # once per id (100x slower); without it, one MATCH pass is filtered against the list.
        sql = text(
            "SELECT rowid FROM supplier_search_fts WHERE supplier_search_fts MATCH :fts_query "
            "AND +rowid IN (SELECT value FROM json_each(:ids)) "
            "ORDER BY bm25(supplier_search_fts), rowid LIMIT :limit OFFSET :offset"
        )
        binds = {"fts_query": terms.fts5_match()}
        ids = _json_int_array(ids)
    return list(db.session.scalars(sql, {**binds, "ids": ids, "limit": limit, "offset": offset}))


@contextmanager
def planner_prefers_indexes():
    """On PostgreSQL, steer the full-text query to the GIN index.

    The planner prices `search_vector @@ query` as cheap, so when a common word matches most
    documents it scans the whole table, detoasting every tsvector (about 50 ms at 5,000 suppliers)
    where the GIN index answers in 3 ms. The setting is transaction-local and put back afterwards.
    """
    if not _postgres():
        yield
        return
    # One round trip: read the current value, then switch it off for this transaction.
    previous = db.session.execute(
        text("SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)")
    ).scalar()
    try:
        yield
    finally:
        db.session.execute(text("SELECT set_config('enable_seqscan', :previous, true)"), {"previous": previous})
