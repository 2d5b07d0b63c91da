"""The catalogue's full-text search document: one per supplier.

The body gathers the supplier's names, description and capability evidence. The database
indexes it with its own full-text engine, created by the migration rather than declared here
because the two engines differ:
- PostgreSQL: a stored generated `search_vector` tsvector column with a GIN index;
- SQLite: an FTS5 virtual table `supplier_search_fts` kept in step by triggers.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Model

# Objects the migration creates that the models deliberately do not declare (see above);
# migrations/env.py skips them when comparing models with the database.
ENGINE_SPECIFIC_SEARCH_OBJECTS = frozenset(
    {
        "search_vector",
        "ix_supplier_search_document_search_vector",
        "supplier_search_fts",
        "supplier_search_fts_data",
        "supplier_search_fts_idx",
        "supplier_search_fts_content",
        "supplier_search_fts_docsize",
        "supplier_search_fts_config",
    }
)


class SupplierSearchDocument(Model):
    __tablename__ = "supplier_search_document"

    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="CASCADE"), primary_key=True)
    body: Mapped[str] = mapped_column(Text, default="")
