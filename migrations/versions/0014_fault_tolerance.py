"""Faults: document job heartbeats, an outbox that retries, and a keyed audit chain

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08 10:00:00

A document job's worker stamps `heartbeat_at` while it holds the job (portal/job_heartbeat.py), so a job whose
worker died is noticed within a minute rather than 35. Jobs from before have no heartbeat and are judged by when
they started, as before.

E-mails are delivered after the transaction that queued them commits, and retried: a message is "pending" until
sent or given up ("failed"), with its attempts counted. Messages from before keep their status ("outbox": kept
without a mail server; "sent"; "failed"), with no attempts recorded. Downgrading turns pending messages into
"outbox" ones (kept, not sent) before the old status list is restored.

The audit chain is keyed with AUDIT_KEY (portal/domain/audit_chain.py), which a migration cannot know: so the head
records where keying begins, the next event to be written ("keyed from event N"), and existing events keep their
plain SHA-256 hashes. The first event written after the upgrade, or `flask audit rekey` run straight after it,
is keyed and seals the head, binding every older event. Downgrading rewrites nothing: events written since keep
their HMACs, which the older code's verify reports as broken at the first keyed event (honestly: it cannot check
them); upgrade again to verify them.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
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

    with op.batch_alter_table('audit_chain_head', schema=None) as batch_op:
        batch_op.add_column(sa.Column('keyed_from_event_id', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('seal', sa.String(length=64), nullable=False, server_default=''))
    # Events already written stay plain SHA-256; keying starts with the next one.
    op.execute("UPDATE audit_chain_head SET keyed_from_event_id = last_event_id + 1")
    with op.batch_alter_table('audit_chain_head', schema=None) as batch_op:
        # Keying begins at an event already written or at the next one: never before the first, never later.
        batch_op.create_check_constraint(
            op.f('ck_audit_chain_head_keyed_from_known'),
            'keyed_from_event_id >= 1 AND keyed_from_event_id <= last_event_id + 1',
        )


def downgrade():
    with op.batch_alter_table('audit_chain_head', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_audit_chain_head_keyed_from_known'), type_='check')
        batch_op.drop_column('seal')
        batch_op.drop_column('keyed_from_event_id')

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
