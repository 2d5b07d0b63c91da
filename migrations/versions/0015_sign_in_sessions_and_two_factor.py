"""Server-side sign-in sessions, two-factor sign-in (authenticator apps and recovery codes), and throttled
forgot-password requests

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08 10:00:00

A session cookie now names a row of `user_session`, which signing out, a password change, deactivation or "sign out
everywhere" revoke, so a copied cookie stops working. Cookies from before this migration named a user, not a
session: nobody is signed in after it, and everyone signs in again. `login_attempt` gains the kind of attempt (a
password, a two-factor code or a forgot-password request); earlier rows were all passwords. Downgrading drops the
sessions, every user's authenticator and recovery codes (two-factor sign-in is then off for all), and the
forgot-password requests (which earlier versions would count as failed sign-ins).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('user_session',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_reason', sa.String(length=20), nullable=False),
    # The idle and absolute time-outs measure from these: a session is seen and revoked only after it starts.
    sa.CheckConstraint('last_seen_at >= created_at', name=op.f('ck_user_session_seen_after_start')),
    sa.CheckConstraint('revoked_at IS NULL OR revoked_at >= created_at', name=op.f('ck_user_session_revoked_after_start')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_user_session_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_session'))
    )
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_session_user_id'), ['user_id'], unique=False)

    op.create_table('mfa_recovery_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_mfa_recovery_code_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mfa_recovery_code'))
    )
    with op.batch_alter_table('mfa_recovery_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mfa_recovery_code_user_id'), ['user_id'], unique=False)

    # Every attempt recorded so far was a password.
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=10), nullable=False, server_default='password'))
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.alter_column('kind', server_default=None)
        batch_op.create_index('ix_login_attempt_email_at', ['email', 'attempted_at'], unique=False)
        # Throttles count attempts of one kind: a password, a two-factor code, or a forgot-password request.
        batch_op.create_check_constraint(op.f('ck_login_attempt_known_kind'), "kind IN ('password', 'code', 'reset')")

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mfa_secret', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('mfa_pending_secret', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('mfa_enabled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('mfa_last_step', sa.BigInteger(), nullable=True))
        # Two-factor sign-in is on exactly when an authenticator's secret is held.
        batch_op.create_check_constraint(
            op.f('ck_user_account_mfa_on_with_secret'), '(mfa_enabled_at IS NULL) = (mfa_secret IS NULL)'
        )


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_account_mfa_on_with_secret'), type_='check')
        batch_op.drop_column('mfa_last_step')
        batch_op.drop_column('mfa_enabled_at')
        batch_op.drop_column('mfa_pending_secret')
        batch_op.drop_column('mfa_secret')

    op.execute("DELETE FROM login_attempt WHERE kind <> 'password'")
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_login_attempt_known_kind'), type_='check')
        batch_op.drop_index('ix_login_attempt_email_at')
        batch_op.drop_column('kind')

    with op.batch_alter_table('mfa_recovery_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mfa_recovery_code_user_id'))
    op.drop_table('mfa_recovery_code')

    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_session_user_id'))
    op.drop_table('user_session')
