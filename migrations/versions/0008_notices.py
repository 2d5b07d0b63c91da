"""Transparency notices: a call-off's prepared OCDS release (UK6, UK7, Contracts Finder award) and its recorded publication

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 11:00:00

A new table, and a lot's CPV code (empty for existing lots until staff or the seed set it); nothing to carry over.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('lot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cpv_code', sa.String(length=10), nullable=True))
    op.create_table('transparency_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=True),
    sa.Column('direct_award_id', sa.Integer(), nullable=True),
    sa.Column('notice_type', sa.String(length=30), nullable=False),
    sa.Column('ocid', sa.String(length=120), nullable=False),
    sa.Column('release_id', sa.String(length=160), nullable=False),
    sa.Column('release_json', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('prepared_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('prepared_by_id', sa.Integer(), nullable=False),
    sa.Column('platform_notice_id', sa.String(length=40), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('(competition_id IS NULL) <> (direct_award_id IS NULL)', name=op.f('ck_transparency_notice_notice_of_one_call_off')),
    sa.CheckConstraint("notice_type IN ('UK6', 'UK7', 'contracts_finder_award')", name=op.f('ck_transparency_notice_known_notice_type')),
    sa.CheckConstraint("status IN ('prepared', 'published')", name=op.f('ck_transparency_notice_known_status')),
    sa.CheckConstraint("status <> 'published' OR (published_at IS NOT NULL AND platform_notice_id IS NOT NULL AND published_by_id IS NOT NULL)", name=op.f('ck_transparency_notice_published_is_recorded')),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], name=op.f('fk_transparency_notice_competition_id_competition'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['direct_award_id'], ['direct_award.id'], name=op.f('fk_transparency_notice_direct_award_id_direct_award'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['prepared_by_id'], ['user_account.id'], name=op.f('fk_transparency_notice_prepared_by_id_user_account')),
    sa.ForeignKeyConstraint(['published_by_id'], ['user_account.id'], name=op.f('fk_transparency_notice_published_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transparency_notice')),
    sa.UniqueConstraint('competition_id', 'notice_type', name=op.f('uq_transparency_notice_competition_id_notice_type')),
    sa.UniqueConstraint('direct_award_id', 'notice_type', name=op.f('uq_transparency_notice_direct_award_id_notice_type'))
    )
    with op.batch_alter_table('transparency_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transparency_notice_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transparency_notice_direct_award_id'), ['direct_award_id'], unique=False)


def downgrade():
    with op.batch_alter_table('transparency_notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transparency_notice_direct_award_id'))
        batch_op.drop_index(batch_op.f('ix_transparency_notice_competition_id'))
    op.drop_table('transparency_notice')
    with op.batch_alter_table('lot', schema=None) as batch_op:
        batch_op.drop_column('cpv_code')
