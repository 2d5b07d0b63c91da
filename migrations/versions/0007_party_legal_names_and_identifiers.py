"""Parties' legal names, scheme identifiers (GB-PPON, GB-COH, GB-CHC) and ITL 1 regions, for contracts, letters and notices

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 10:00:00

A buyer organisation's legal name starts as its current name (framework staff then correct it to the contracting
body), and its ITL 1 region is carried over from the free-text region where that names one. The region list is
written out here, not imported, so this migration keeps meaning what it meant when it was written.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

ITL1 = {
    "TLC": "North East",
    "TLD": "North West",
    "TLE": "Yorkshire and The Humber",
    "TLF": "East Midlands",
    "TLG": "West Midlands",
    "TLH": "East of England",
    "TLI": "London",
    "TLJ": "South East",
    "TLK": "South West",
    "TLL": "Wales",
    "TLM": "Scotland",
    "TLN": "Northern Ireland",
}
ITL1_SQL = ", ".join(f"'{code}'" for code in ITL1)


def _identity_checks(batch_op, table):
    batch_op.create_check_constraint(op.f(f'ck_{table}_ppon_length'), 'ppon IS NULL OR length(ppon) = 14')
    batch_op.create_check_constraint(
        op.f(f'ck_{table}_charity_number_length'), 'charity_number IS NULL OR length(charity_number) IN (6, 7)'
    )
    batch_op.create_check_constraint(
        op.f(f'ck_{table}_known_itl_region'), f'itl_region IS NULL OR itl_region IN ({ITL1_SQL})'
    )


# SQLite's batch mode rebuilds the supplier table (copy, drop, rename), which drops its triggers: the catalogue
# stamp's triggers of migration 0006 are made again afterwards (the same statements, written out so this
# migration does not depend on 0006's module).
_SQLITE_BUMP = (
    "INSERT INTO catalogue_version (id, stamp, version) VALUES (1, lower(hex(randomblob(16))), 1) "
    "ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp, version = catalogue_version.version + 1;"
)


def _restore_sqlite_catalogue_triggers(table):
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL alters the table in place and keeps its triggers
    for event in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS catalogue_version_{table}_{event}")
        op.execute(
            f"CREATE TRIGGER catalogue_version_{table}_{event} AFTER {event.upper()} ON {table} "
            f"BEGIN {_SQLITE_BUMP} END"
        )


def upgrade():
    with op.batch_alter_table('buyer_organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('legal_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('ppon', sa.String(length=14), nullable=True))
        batch_op.add_column(sa.Column('companies_house_number', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('charity_number', sa.String(length=7), nullable=True))
        batch_op.add_column(sa.Column('itl_region', sa.String(length=3), nullable=True))

    organisation = sa.table(
        'buyer_organisation', sa.column('legal_name', sa.String), sa.column('name', sa.String),
        sa.column('region', sa.String), sa.column('itl_region', sa.String),
    )
    op.execute(organisation.update().values(legal_name=organisation.c.name))
    for code, name in ITL1.items():
        op.execute(
            organisation.update()
            .where(sa.func.lower(sa.func.trim(organisation.c.region)) == name.lower())
            .values(itl_region=code)
        )

    with op.batch_alter_table('buyer_organisation', schema=None) as batch_op:
        batch_op.alter_column('legal_name', existing_type=sa.String(length=200), nullable=False)
        batch_op.create_check_constraint(op.f('ck_buyer_organisation_legal_name_given'), 'length(legal_name) > 0')
        batch_op.create_check_constraint(
            op.f('ck_buyer_organisation_companies_house_number_length'),
            'companies_house_number IS NULL OR length(companies_house_number) = 8',
        )
        _identity_checks(batch_op, 'buyer_organisation')

    with op.batch_alter_table('supplier', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ppon', sa.String(length=14), nullable=True))
        batch_op.add_column(sa.Column('charity_number', sa.String(length=7), nullable=True))
        batch_op.add_column(sa.Column('itl_region', sa.String(length=3), nullable=True))
        batch_op.create_unique_constraint(op.f('uq_supplier_ppon'), ['ppon'])
        batch_op.create_unique_constraint(op.f('uq_supplier_charity_number'), ['charity_number'])
        _identity_checks(batch_op, 'supplier')
    _restore_sqlite_catalogue_triggers('supplier')


def downgrade():
    # The legal names, identifiers and codes have no place in the older schema; the name and the free-text region
    # they were carried over from are still there.
    with op.batch_alter_table('supplier', schema=None) as batch_op:
        for name in ('known_itl_region', 'charity_number_length', 'ppon_length'):
            batch_op.drop_constraint(op.f(f'ck_supplier_{name}'), type_='check')
        batch_op.drop_constraint(op.f('uq_supplier_charity_number'), type_='unique')
        batch_op.drop_constraint(op.f('uq_supplier_ppon'), type_='unique')
        batch_op.drop_column('itl_region')
        batch_op.drop_column('charity_number')
        batch_op.drop_column('ppon')
    _restore_sqlite_catalogue_triggers('supplier')

    with op.batch_alter_table('buyer_organisation', schema=None) as batch_op:
        for name in (
            'known_itl_region', 'charity_number_length', 'ppon_length', 'companies_house_number_length',
            'legal_name_given',
        ):
            batch_op.drop_constraint(op.f(f'ck_buyer_organisation_{name}'), type_='check')
        batch_op.drop_column('itl_region')
        batch_op.drop_column('charity_number')
        batch_op.drop_column('companies_house_number')
        batch_op.drop_column('ppon')
        batch_op.drop_column('legal_name')
