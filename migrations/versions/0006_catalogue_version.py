"""Catalogue version bumped by triggers, so direct award results can cache a lot's candidates safely

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 19:05:00

See portal/models/catalogue_version.py. The table list is written out here, not imported, so this migration keeps
meaning what it meant when it was written.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

TABLES = ("supplier", "lot_membership", "capability_claim", "accreditation", "supplier_price", "exclusion")
EVENTS = ("insert", "update", "delete")

# The first change creates the row; every change sets a new random stamp and adds 1 to the version.
SQLITE_BUMP = (
    "INSERT INTO catalogue_version (id, stamp, version) VALUES (1, lower(hex(randomblob(16))), 1) "
    "ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp, version = catalogue_version.version + 1;"
)
# PostgreSQL: once per transaction. Every update of a row adds a version of it that later updates in the same
# transaction walk past, so a bump per statement would make a bulk import of n rows (n statements under
# executemany) cost n squared. Once is enough: portal/services/direct_awards/lot_snapshot.py never keeps a snapshot read by a
# transaction that has itself changed the catalogue (the row's xmin is its own transaction id).
POSTGRES_FUNCTION = """
CREATE FUNCTION catalogue_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO catalogue_version (id, stamp, version) VALUES (1, gen_random_uuid()::text, 1)
    ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp, version = catalogue_version.version + 1
    WHERE catalogue_version.xmin <> pg_current_xact_id()::xid;
    RETURN NULL;
END
$$
"""


def upgrade():
    op.create_table(
        'catalogue_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('stamp', sa.String(length=36), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.CheckConstraint('id = 1', name=op.f('ck_catalogue_version_single_row')),
        sa.CheckConstraint('version > 0', name=op.f('ck_catalogue_version_version_positive')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_version')),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_FUNCTION)
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER catalogue_version_{table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION catalogue_version_bump()"
            )
    else:
        # SQLite has row triggers only; it updates the row in place, so a bump per row costs the same each time.
        for table in TABLES:
            for event in EVENTS:
                op.execute(
                    f"CREATE TRIGGER catalogue_version_{table}_{event} AFTER {event.upper()} ON {table} "
                    f"BEGIN {SQLITE_BUMP} END"
                )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS catalogue_version_{table} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS catalogue_version_bump()")
    else:
        for table in TABLES:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS catalogue_version_{table}_{event}")
    op.drop_table('catalogue_version')
