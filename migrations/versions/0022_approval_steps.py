"""Approval steps: the history of every award's recommendations, returns with a comment and approvals

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 23:30:00

A new table. The recommendations and approvals already on competitions and direct awards are carried over as their
first steps (who, when, the note or justification, the bid or supplier), so every award's history starts complete.
Downgrading drops the table: the current recommendation and approval stay on the awards, where they always were;
the returns, which nothing else records outside the audit trail, go with it.
"""
from alembic import op
import sqlalchemy as sa

from portal.models.base import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'approval_step',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('competition_id', sa.Integer(), nullable=True),
        sa.Column('direct_award_id', sa.Integer(), nullable=True),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=False),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('bid_id', sa.Integer(), nullable=True),
        sa.Column('supplier_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('(competition_id IS NULL) <> (direct_award_id IS NULL)',
                           name=op.f('ck_approval_step_one_award')),
        sa.CheckConstraint("action IN ('recommend', 'return', 'approve')", name=op.f('ck_approval_step_known_action')),
        sa.CheckConstraint("action <> 'return' OR length(comment) > 0",
                           name=op.f('ck_approval_step_return_has_comment')),
        sa.ForeignKeyConstraint(['competition_id'], ['competition.id'],
                                name=op.f('fk_approval_step_competition_id_competition'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['direct_award_id'], ['direct_award.id'],
                                name=op.f('fk_approval_step_direct_award_id_direct_award'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'],
                                name=op.f('fk_approval_step_actor_id_user_account')),
        sa.ForeignKeyConstraint(['bid_id'], ['bid.id'], name=op.f('fk_approval_step_bid_id_bid'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['supplier_id'], ['supplier.id'], name=op.f('fk_approval_step_supplier_id_supplier')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_approval_step')),
    )
    op.create_index('ix_approval_step_competition', 'approval_step', ['competition_id', 'at'])
    op.create_index('ix_approval_step_direct_award', 'approval_step', ['direct_award_id', 'at'])
    # The steps already taken, carried over (a recommendation without its recorder cannot be attributed: skipped).
    op.execute(
        "INSERT INTO approval_step (competition_id, action, actor_id, at, comment, bid_id) "
        "SELECT id, 'recommend', recommended_by_id, recommended_at, COALESCE(recommendation_note, ''), "
        "recommended_bid_id FROM competition WHERE recommended_at IS NOT NULL AND recommended_by_id IS NOT NULL"
    )
    op.execute(
        "INSERT INTO approval_step (competition_id, action, actor_id, at, comment, bid_id) "
        "SELECT id, 'approve', approved_by_id, approved_at, '', recommended_bid_id "
        "FROM competition WHERE approved_at IS NOT NULL AND approved_by_id IS NOT NULL"
    )
    op.execute(
        "INSERT INTO approval_step (direct_award_id, action, actor_id, at, comment, supplier_id) "
        "SELECT id, 'recommend', recommended_by_id, recommended_at, COALESCE(justification, ''), "
        "recommended_supplier_id FROM direct_award WHERE recommended_at IS NOT NULL AND recommended_by_id IS NOT NULL"
    )
    op.execute(
        "INSERT INTO approval_step (direct_award_id, action, actor_id, at, comment, supplier_id) "
        "SELECT id, 'approve', approved_by_id, approved_at, '', recommended_supplier_id "
        "FROM direct_award WHERE approved_at IS NOT NULL AND approved_by_id IS NOT NULL"
    )


def downgrade():
    op.drop_index('ix_approval_step_direct_award', table_name='approval_step')
    op.drop_index('ix_approval_step_competition', table_name='approval_step')
    op.drop_table('approval_step')
