"""When assessment summaries were sent (and by whom), and users' job titles for the letters they sign

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 14:00:00

Competitions approved before this migration had their outcome shown to suppliers from approval, so their summaries
count as sent by the approver at the moment of approval (that is when the portal e-mailed the bidders). Downgrading
drops the columns and with them that record.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('job_title', sa.String(length=200), nullable=False, server_default=''))

    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assessment_summaries_sent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('assessment_summaries_sent_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_competition_assessment_summaries_sent_by_id_user_account'),
            'user_account',
            ['assessment_summaries_sent_by_id'],
            ['id'],
        )

    # Approved competitions told their bidders at approval: that was the sending.
    op.execute(
        "UPDATE competition SET assessment_summaries_sent_at = approved_at, "
        "assessment_summaries_sent_by_id = approved_by_id "
        "WHERE approved_at IS NOT NULL AND approved_by_id IS NOT NULL"
    )

    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f('ck_competition_summaries_after_approval'), 'assessment_summaries_sent_at IS NULL OR approved_at IS NOT NULL'
        )
        batch_op.create_check_constraint(
            op.f('ck_competition_summaries_sent_by_someone'),
            '(assessment_summaries_sent_at IS NULL) = (assessment_summaries_sent_by_id IS NULL)',
        )


def downgrade():
    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_competition_summaries_sent_by_someone'), type_='check')
        batch_op.drop_constraint(op.f('ck_competition_summaries_after_approval'), type_='check')
        batch_op.drop_constraint(
            batch_op.f('fk_competition_assessment_summaries_sent_by_id_user_account'), type_='foreignkey'
        )
        batch_op.drop_column('assessment_summaries_sent_by_id')
        batch_op.drop_column('assessment_summaries_sent_at')

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('job_title')
