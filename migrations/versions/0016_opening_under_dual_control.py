"""Opening the bids under dual control: one officer starts the opening, a second confirms it in their own session

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 19:45:00

Until now one officer opened the bids naming a witness who never signed in (`opening_witness_id`). Now an officer
starts the opening (`opening_started_at`, `opening_started_by_id`: a pending request until confirmed, cancelled or
lapsed) and a different officer confirms it; the confirmer is `opening_confirmed_by_id`. Competitions opened before
this migration carry over: their witness becomes the confirmer, and the opening is recorded as started by the opener
when it was opened. Downgrading turns the confirmer back into the witness and drops any pending opening.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    # Renaming first, in a batch of its own: SQLite's batch copy would drop a key created on the new name alongside.
    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.drop_constraint('fk_competition_opening_witness_id_user_account', type_='foreignkey')
        batch_op.alter_column('opening_witness_id', new_column_name='opening_confirmed_by_id')

    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.create_foreign_key(
            'fk_competition_opening_confirmed_by_id_user_account', 'user_account', ['opening_confirmed_by_id'], ['id']
        )
        batch_op.add_column(sa.Column('opening_started_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('opening_started_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            'fk_competition_opening_started_by_id_user_account', 'user_account', ['opening_started_by_id'], ['id']
        )

    # Opened competitions: the opener started the opening when the bids were opened.
    op.execute(
        "UPDATE competition SET opening_started_at = opened_at, opening_started_by_id = opened_by_id "
        "WHERE opened_at IS NOT NULL AND opened_by_id IS NOT NULL"
    )

    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f('ck_competition_opening_started_by_someone'),
            '(opening_started_at IS NULL) = (opening_started_by_id IS NULL)',
        )
        batch_op.create_check_constraint(
            op.f('ck_competition_opening_confirmer_not_opener'),
            'opening_confirmed_by_id IS NULL OR opening_confirmed_by_id <> opened_by_id',
        )


def downgrade():
    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_competition_opening_confirmer_not_opener'), type_='check')
        batch_op.drop_constraint(op.f('ck_competition_opening_started_by_someone'), type_='check')
        batch_op.drop_constraint('fk_competition_opening_started_by_id_user_account', type_='foreignkey')
        batch_op.drop_column('opening_started_by_id')
        batch_op.drop_column('opening_started_at')
        batch_op.drop_constraint('fk_competition_opening_confirmed_by_id_user_account', type_='foreignkey')
        batch_op.alter_column('opening_confirmed_by_id', new_column_name='opening_witness_id')

    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.create_foreign_key(
            'fk_competition_opening_witness_id_user_account', 'user_account', ['opening_witness_id'], ['id']
        )
