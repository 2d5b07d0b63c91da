"""The catalogue's version: one row the database itself bumps whenever what a direct award matches on changes.

Triggers created by migration 0006 run after every insert, update or delete on the catalogue tables in
CATALOGUE_TABLES (PostgreSQL also after TRUNCATE), inside the writing transaction: they add 1 to `version` and give
`stamp` a new random value (SQLite: for every row changed; PostgreSQL: once per transaction, see the migration).
The new stamp becomes visible to others exactly when the change commits, and no code path can forget it: not a
service, a bulk insert, a cascade or a console session. portal/services/direct_awards/lot_snapshot.py caches each lot's
candidates under the stamp and reads them again when it changes.

Why a random stamp and not only the count: a rolled-back change takes its count back, so the next change would
reuse it, and a snapshot read inside the rolled-back transaction could match data it never saw. A stamp is never
reused. Likewise, should the row be deleted (a test's clean-up, a restore), the next change creates it again.

SQLite rebuilds a table for most `batch_alter_table` operations, which drops its triggers: a migration that does
that to a catalogue table must create the triggers again (tests/test_catalogue_version.py checks they exist).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Model

# The tables a lot's direct award candidates are read from (portal/services/direct_awards/lot_snapshot.py).
CATALOGUE_TABLES = ("supplier", "lot_membership", "capability_claim", "accreditation", "supplier_price", "exclusion")


class CatalogueVersion(Model):
    __tablename__ = "catalogue_version"
    __table_args__ = (
        # One version for the whole catalogue: every cached lot snapshot compares against the same stamp.
        CheckConstraint("id = 1", name="single_row"),
        # The triggers create the row at 1 and only ever add to it.
        CheckConstraint("version > 0", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stamp: Mapped[str] = mapped_column(String(36))  # random, new with every change
    version: Mapped[int] = mapped_column(BigInteger)  # how many changes since the row was created
