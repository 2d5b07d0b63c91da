"""The published copy of a large contract on its contract details notice (UK7): redacted upload or in full, with reason

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08 10:00:00

Procurement Act 2023 section 52 (over £5 million including VAT): the buyer publishes the contract itself, redacted as
needed. Existing notices have made no choice yet (all columns empty); downgrading drops the columns and the choices.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('transparency_notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contract_copy', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('contract_copy_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('contract_copy_of_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('contract_copy_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('contract_copy_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('contract_copy_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_transparency_notice_contract_copy_sha256_stored_file'),
            'stored_file', ['contract_copy_sha256'], ['sha256'],
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_transparency_notice_contract_copy_of_id_document'), 'document', ['contract_copy_of_id'], ['id']
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_transparency_notice_contract_copy_by_id_user_account'),
            'user_account', ['contract_copy_by_id'], ['id'],
        )
        # Only a contract details notice carries the published contract (PA 2023 s.52).
        batch_op.create_check_constraint(
            op.f('ck_transparency_notice_contract_copy_on_uk7'), "contract_copy IS NULL OR notice_type = 'UK7'"
        )
        # A redacted copy the buyer uploads, or the signed contract in full; nothing else.
        batch_op.create_check_constraint(
            op.f('ck_transparency_notice_known_copy'),
            "contract_copy IS NULL OR contract_copy IN ('redacted', 'unredacted')",
        )
        # A published copy names its file, the signed contract it copies, who chose it and when.
        batch_op.create_check_constraint(
            op.f('ck_transparency_notice_contract_copy_recorded'),
            "contract_copy IS NULL OR (contract_copy_sha256 IS NOT NULL AND contract_copy_of_id IS NOT NULL"
            " AND contract_copy_by_id IS NOT NULL AND contract_copy_at IS NOT NULL)",
        )
        # Publishing in full is the buyer's confirmation that nothing is exempt, with its reason.
        batch_op.create_check_constraint(
            op.f('ck_transparency_notice_unredacted_copy_has_reason'),
            "contract_copy IS NULL OR contract_copy <> 'unredacted' OR length(contract_copy_reason) > 0",
        )


def downgrade():
    with op.batch_alter_table('transparency_notice', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_transparency_notice_unredacted_copy_has_reason'), type_='check')
        batch_op.drop_constraint(op.f('ck_transparency_notice_contract_copy_recorded'), type_='check')
        batch_op.drop_constraint(op.f('ck_transparency_notice_known_copy'), type_='check')
        batch_op.drop_constraint(op.f('ck_transparency_notice_contract_copy_on_uk7'), type_='check')
        batch_op.drop_constraint(
            batch_op.f('fk_transparency_notice_contract_copy_by_id_user_account'), type_='foreignkey'
        )
        batch_op.drop_constraint(batch_op.f('fk_transparency_notice_contract_copy_of_id_document'), type_='foreignkey')
        batch_op.drop_constraint(
            batch_op.f('fk_transparency_notice_contract_copy_sha256_stored_file'), type_='foreignkey'
        )
        batch_op.drop_column('contract_copy_at')
        batch_op.drop_column('contract_copy_by_id')
        batch_op.drop_column('contract_copy_reason')
        batch_op.drop_column('contract_copy_of_id')
        batch_op.drop_column('contract_copy_sha256')
        batch_op.drop_column('contract_copy')
