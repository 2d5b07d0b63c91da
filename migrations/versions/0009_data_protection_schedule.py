"""Data protection schedule of a call-off contract: UK GDPR Article 28(3) particulars and the DPA 2018 Part 3 answer

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 13:45:18

One row per call-off (competition or direct award), completed by the buyer at award. A new table: no existing data
is carried over (existing call-offs have no schedule until the buyer completes one, and signing waits for it).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('data_protection_schedule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=True),
    sa.Column('direct_award_id', sa.Integer(), nullable=True),
    sa.Column('processes_personal_data', sa.Boolean(), nullable=False),
    sa.Column('subject_matter', sa.Text(), nullable=False),
    sa.Column('duration', sa.Text(), nullable=False),
    sa.Column('nature_and_purpose', sa.Text(), nullable=False),
    sa.Column('personal_data_types', sa.Text(), nullable=False),
    sa.Column('data_subject_categories', sa.Text(), nullable=False),
    sa.Column('law_enforcement_processing', sa.Boolean(), nullable=True),
    sa.Column('completed_by_id', sa.Integer(), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(competition_id IS NULL) <> (direct_award_id IS NULL)', name=op.f('ck_data_protection_schedule_schedule_belongs_to_one_call_off')),
    sa.CheckConstraint('NOT processes_personal_data OR (length(subject_matter) > 0 AND length(duration) > 0 AND length(nature_and_purpose) > 0 AND length(personal_data_types) > 0 AND length(data_subject_categories) > 0 AND law_enforcement_processing IS NOT NULL)', name=op.f('ck_data_protection_schedule_particulars_complete')),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], name=op.f('fk_data_protection_schedule_competition_id_competition'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['completed_by_id'], ['user_account.id'], name=op.f('fk_data_protection_schedule_completed_by_id_user_account')),
    sa.ForeignKeyConstraint(['direct_award_id'], ['direct_award.id'], name=op.f('fk_data_protection_schedule_direct_award_id_direct_award'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_protection_schedule')),
    sa.UniqueConstraint('competition_id', name=op.f('uq_data_protection_schedule_competition_id')),
    sa.UniqueConstraint('direct_award_id', name=op.f('uq_data_protection_schedule_direct_award_id'))
    )


def downgrade():
    op.drop_table('data_protection_schedule')
