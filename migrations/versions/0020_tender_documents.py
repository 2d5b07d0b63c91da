"""Tender documents: what the buyer issues with a competition, each change kept as a new version

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 23:20:00

New tables only: no existing row changes. The files they name are StoredFile rows in the plain store, which
`flask files gc` keeps while a row names them. Downgrading drops the tables (the documents' records go; their
stored files become orphans that `flask files gc` later collects).
"""
from alembic import op
import sqlalchemy as sa

from portal.models.base import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'tender_document',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('competition_id', sa.Integer(), nullable=False),
        sa.Column('document_type', sa.String(length=20), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "document_type IN ('specification', 'pricing_workbook', 'draft_contract', 'other')",
            name=op.f('ck_tender_document_known_type'),
        ),
        sa.CheckConstraint('length(title) > 0', name=op.f('ck_tender_document_has_title')),
        sa.ForeignKeyConstraint(['competition_id'], ['competition.id'],
                                name=op.f('fk_tender_document_competition_id_competition'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'],
                                name=op.f('fk_tender_document_created_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tender_document')),
    )
    op.create_index(op.f('ix_tender_document_competition_id'), 'tender_document', ['competition_id'])
    op.create_table(
        'tender_document_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('file_sha256', sa.String(length=64), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('size_bytes', sa.BigInteger(), nullable=False),
        sa.Column('media_type', sa.String(length=120), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
        sa.Column('uploaded_at', UTCDateTime(), nullable=False),
        sa.Column('change_note', sa.Text(), nullable=False),
        sa.CheckConstraint('version > 0', name=op.f('ck_tender_document_version_version_positive')),
        sa.ForeignKeyConstraint(['document_id'], ['tender_document.id'],
                                name=op.f('fk_tender_document_version_document_id_tender_document'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['file_sha256'], ['stored_file.sha256'],
                                name=op.f('fk_tender_document_version_file_sha256_stored_file'), ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'],
                                name=op.f('fk_tender_document_version_uploaded_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tender_document_version')),
        sa.UniqueConstraint('document_id', 'version', name=op.f('uq_tender_document_version_document_id_version')),
    )
    op.create_index(op.f('ix_tender_document_version_document_id'), 'tender_document_version', ['document_id'])


def downgrade():
    op.drop_index(op.f('ix_tender_document_version_document_id'), table_name='tender_document_version')
    op.drop_table('tender_document_version')
    op.drop_index(op.f('ix_tender_document_competition_id'), table_name='tender_document')
    op.drop_table('tender_document')
