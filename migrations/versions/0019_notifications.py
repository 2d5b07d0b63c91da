"""Notifications: the in-app list, reminder opt-outs, reminders sent once, and HTML and unsubscribe on e-mails

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 23:10:00

New tables only, and two columns on the outbox with empty defaults: existing e-mails stay plain text with no
List-Unsubscribe, which is what they were. Downgrading drops the tables (the notifications list and the record of
reminders sent go with them; the e-mails themselves stay in the outbox).
"""
from alembic import op
import sqlalchemy as sa

from portal.models.base import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'notification',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('link', sa.String(length=500), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('read_at', UTCDateTime(), nullable=True),
        sa.Column('outbox_message_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("link = '' OR link LIKE '/%'", name=op.f('ck_notification_link_is_a_path')),
        sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_message.id'],
                                name=op.f('fk_notification_outbox_message_id_outbox_message'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_notification_user_id_user_account'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
    )
    op.create_index('ix_notification_user_unread', 'notification', ['user_id', 'read_at', 'created_at'])
    op.create_table(
        'notification_opt_out',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_notification_opt_out_user_id_user_account'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_opt_out')),
        sa.UniqueConstraint('user_id', 'kind', name='uq_notification_opt_out_user_kind'),
    )
    op.create_table(
        'sent_reminder',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('object_ref', sa.String(length=60), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('window', sa.String(length=60), nullable=False),
        sa.Column('sent_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_sent_reminder_user_id_user_account'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sent_reminder')),
        sa.UniqueConstraint('kind', 'object_ref', 'user_id', 'window', name='uq_sent_reminder_once'),
    )
    with op.batch_alter_table('outbox_message') as batch:
        batch.add_column(sa.Column('html_body', sa.Text(), nullable=False, server_default=''))
        batch.add_column(sa.Column('unsubscribe_url', sa.String(length=500), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('outbox_message') as batch:
        batch.drop_column('unsubscribe_url')
        batch.drop_column('html_body')
    op.drop_table('sent_reminder')
    op.drop_table('notification_opt_out')
    op.drop_index('ix_notification_user_unread', table_name='notification')
    op.drop_table('notification')
