"""The database's own full-text search over supplier documents, as SQL for the catalogue statement.

Two engines, one interface (see portal/models/search.py for how each index is built):
- SQLite: the FTS5 table `supplier_search_fts` (rowid = supplier_id, porter unicode61), queried
  with MATCH and ranked by bm25();
- PostgreSQL: the stored tsvector `supplier_search_document.search_vector` (GIN index), queried
  with websearch_to_tsquery (plus a to_tsquery prefix for the last word) and ranked by ts_rank.
Ranking is the expensive part of both, so it runs only over the ids that survived the filters.
User text never reaches either engine raw: portal.domain.search_terms makes it safe first, and it
always travels as a bind parameter.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.domain.search_terms import SearchTerms


@dataclass(frozen=True)
class KeywordShape:
    """Which parts of the keyword query are present (an empty part is not sent: it logs a notice)."""

    words: bool
    prefix: bool


def keyword_shape_and_binds(terms: SearchTerms, postgres: bool) -> tuple[KeywordShape, dict[str, str]]:
    if not postgres:
        return KeywordShape(words=True, prefix=False), {"fts_query": terms.fts5_match()}
    binds = {}
    if terms.pg_words():
        binds["pg_words"] = terms.pg_words()
    if terms.pg_prefix():
        binds["pg_prefix"] = terms.pg_prefix()
    return KeywordShape(words="pg_words" in binds, prefix="pg_prefix" in binds), binds


def query_ctes(keywords: KeywordShape, postgres: bool) -> list[str]:
    """CTEs the keyword SQL below relies on: PostgreSQL's tsquery, built once."""
    if not postgres:
        return []
    parts = []
    if keywords.words:
        parts.append("websearch_to_tsquery('english', :pg_words)")
    if keywords.prefix:
        parts.append("to_tsquery('english', :pg_prefix)")
    return [f"query AS (SELECT {' && '.join(parts)} AS q)"]


def hits_source(postgres: bool) -> str:
    """A FROM item `h` with one `id` per supplier whose document matches every term.

    PostgreSQL asks the function supplier_search_hits (migration 0002), which plans its query with
    sequential scans off: the planner prices `search_vector @@ query` as cheap, so for a common word
    it would scan the table and detoast every tsvector (about 50 ms at 5,000 suppliers) where the
    GIN index answers in about 3 ms. The setting lives on the function, so it costs no round trip
    and touches nothing else in the statement.
    """
    if postgres:
        return "query CROSS JOIN LATERAL supplier_search_hits(query.q) AS h(id)"
    return "(SELECT rowid AS id FROM supplier_search_fts WHERE supplier_search_fts MATCH :fts_query) AS h"


def ranked_sql(postgres: bool) -> str:
    """The `matching` ids with their position, best match first (ties by id)."""
    if postgres:
        return (
            "SELECT m.id, row_number() OVER (ORDER BY ts_rank(d.search_vector, query.q) DESC, m.id) AS pos "
            "FROM matching m JOIN supplier_search_document d ON d.supplier_id = m.id CROSS JOIN query"
        )
    # "+rowid" keeps the id list away from FTS5's planner: given it, FTS5 re-runs the whole MATCH
    # once per id (100x slower); without it, one MATCH pass is filtered against the list.
    return (
        "SELECT id, row_number() OVER (ORDER BY score, id) AS pos FROM ("
        "SELECT rowid AS id, bm25(supplier_search_fts) AS score FROM supplier_search_fts "
        "WHERE supplier_search_fts MATCH :fts_query AND +rowid IN (SELECT id FROM matching)) AS scored"
    )
