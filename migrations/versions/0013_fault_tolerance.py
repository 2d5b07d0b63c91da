"""Faults: document job heartbeats, and an outbox that retries

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08 10:00:00

A document job's worker stamps `heartbeat_at` while it holds the job (portal/job_heartbeat.py), so a job whose
worker died is noticed within a minute rather than 35. Jobs from before have no heartbeat and are judged by when
they started, as before.

E-mails are delivered after the transaction that queued them commits, and retried: a message is "pending" until
sent or given up ("failed"), with its attempts counted. Messages from before keep their status ("outbox": kept
without a mail server; "sent"; "failed"), with no attempts recorded. Downgrading turns pending messages into
"outbox" ones (kept, not sent) before the old status list is restored.
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

    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('last_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True))
        # The sender retries only pending messages; staff filter by status.
        batch_op.drop_constraint(op.f('ck_outbox_message_known_status'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_outbox_message_known_status'), "status IN ('pending', 'sent', 'failed', 'outbox')"
        )
        # The sender claims an attempt by the count it read; counts start at none.
        batch_op.create_check_constraint(op.f('ck_outbox_message_attempts_not_negative'), 'attempts >= 0')


def downgrade():
    op.execute("UPDATE outbox_message SET status = 'outbox' WHERE status = 'pending'")
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outbox_message_attempts_not_negative'), type_='check')
        batch_op.drop_constraint(op.f('ck_outbox_message_known_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_outbox_message_known_status'), "status IN ('sent', 'outbox', 'failed')")
        batch_op.drop_column('sent_at')
        batch_op.drop_column('last_attempt_at')
        batch_op.drop_column('attempts')

    with op.batch_alter_table('document_job', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
