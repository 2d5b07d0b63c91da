"""The buyer's choice of a voluntary standstill, and when a direct award's standstill started

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 16:30:00

Under the Procurement Act 2023 a framework call-off is exempt from the mandatory standstill (s.51(3)); the buyer
chooses at award whether to apply a voluntary one, and the contract award notice (UK6) says so. The standstill then
begins with the day the UK6 is published, so a direct award needs to record when its standstill started, as a
competition already does. Every call-off that existed before this migration had a standstill applied (the portal
always applied one): `standstill_applies` is true for them all, and a direct award that was approved had its
standstill start at approval. Downgrading drops the columns and with them the choice.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('standstill_applies', sa.Boolean(), nullable=False, server_default=sa.true()))

    with op.batch_alter_table('direct_award', schema=None) as batch_op:
        batch_op.add_column(sa.Column('standstill_applies', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('standstill_started_at', sa.DateTime(timezone=True), nullable=True))

    # Approved direct awards started their standstill at approval.
    op.execute(
        "UPDATE direct_award SET standstill_started_at = approved_at "
        "WHERE standstill_ends_at IS NOT NULL AND approved_at IS NOT NULL"
    )

    with op.batch_alter_table('direct_award', schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f('ck_direct_award_standstill_after_approval'),
            'standstill_started_at IS NULL OR approved_at IS NOT NULL',
        )
        batch_op.create_check_constraint(
            op.f('ck_direct_award_standstill_has_both_ends'),
            '(standstill_started_at IS NULL) = (standstill_ends_at IS NULL)',
        )


def downgrade():
    with op.batch_alter_table('direct_award', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_direct_award_standstill_has_both_ends'), type_='check')
        batch_op.drop_constraint(op.f('ck_direct_award_standstill_after_approval'), type_='check')
        batch_op.drop_column('standstill_started_at')
        batch_op.drop_column('standstill_applies')

    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.drop_column('standstill_applies')
