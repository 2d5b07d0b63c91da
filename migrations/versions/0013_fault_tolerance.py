"""Faults: document job heartbeats

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08 10:00:00

A document job's worker stamps `heartbeat_at` while it holds the job (portal/job_heartbeat.py), so a job whose
worker died is noticed within a minute rather than 35. Jobs from before have no heartbeat and are judged by when
they started, as before.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('document_job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('document_job', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
