"""Contract register: one row per call-off contract signed by both parties

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 23:55:00

A new table. Every call-off already signed by both parties (a signed version of its contract in the document
register) is carried over as a register row: its reference, title, buyer, supplier, lot and signed version from the
register and the call-off, its term from the call-off (start date and months, the end the term's last day, as the
contract computes it), and its value where it can be read outside the bid seal: a direct award's from its frozen
shortlist (the chosen supplier's whole-life cost), a competition's from its published award notice if it has one;
otherwise the value stays empty. Downgrading drops the table: the contracts and their signatures stay in the
document register, where they always were.
"""
import json
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from alembic import op
import sqlalchemy as sa

from portal.models.base import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'call_off_contract',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('competition_id', sa.Integer(), nullable=True),
        sa.Column('direct_award_id', sa.Integer(), nullable=True),
        sa.Column('reference', sa.String(length=40), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('buyer_organisation_id', sa.Integer(), nullable=False),
        sa.Column('supplier_id', sa.Integer(), nullable=False),
        sa.Column('lot_id', sa.Integer(), nullable=False),
        sa.Column('value_pence', sa.BigInteger(), nullable=True),
        sa.Column('vat_pence', sa.BigInteger(), nullable=True),
        sa.Column('start_on', sa.Date(), nullable=True),
        sa.Column('end_on', sa.Date(), nullable=True),
        sa.Column('option_months', sa.JSON(), nullable=False),
        sa.Column('signed_document_id', sa.Integer(), nullable=False),
        sa.Column('signed_at', UTCDateTime(), nullable=False),
        sa.Column('contract_manager_id', sa.Integer(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.CheckConstraint('(competition_id IS NULL) <> (direct_award_id IS NULL)',
                           name=op.f('ck_call_off_contract_contract_of_one_call_off')),
        sa.CheckConstraint('(value_pence IS NULL OR value_pence >= 0) AND (vat_pence IS NULL OR vat_pence >= 0)',
                           name=op.f('ck_call_off_contract_value_not_negative')),
        sa.CheckConstraint('start_on IS NULL OR end_on IS NULL OR end_on >= start_on',
                           name=op.f('ck_call_off_contract_term_in_order')),
        sa.ForeignKeyConstraint(['competition_id'], ['competition.id'],
                                name=op.f('fk_call_off_contract_competition_id_competition')),
        sa.ForeignKeyConstraint(['direct_award_id'], ['direct_award.id'],
                                name=op.f('fk_call_off_contract_direct_award_id_direct_award')),
        sa.ForeignKeyConstraint(['buyer_organisation_id'], ['buyer_organisation.id'],
                                name=op.f('fk_call_off_contract_buyer_organisation_id_buyer_organisation')),
        sa.ForeignKeyConstraint(['supplier_id'], ['supplier.id'], name=op.f('fk_call_off_contract_supplier_id_supplier')),
        sa.ForeignKeyConstraint(['lot_id'], ['lot.id'], name=op.f('fk_call_off_contract_lot_id_lot')),
        sa.ForeignKeyConstraint(['signed_document_id'], ['document.id'],
                                name=op.f('fk_call_off_contract_signed_document_id_document')),
        sa.ForeignKeyConstraint(['contract_manager_id'], ['user_account.id'],
                                name=op.f('fk_call_off_contract_contract_manager_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_call_off_contract')),
        sa.UniqueConstraint('competition_id', name=op.f('uq_call_off_contract_competition_id')),
        sa.UniqueConstraint('direct_award_id', name=op.f('uq_call_off_contract_direct_award_id')),
        sa.UniqueConstraint('signed_document_id', name=op.f('uq_call_off_contract_signed_document_id')),
    )
    op.create_index(op.f('ix_call_off_contract_reference'), 'call_off_contract', ['reference'])
    op.create_index(op.f('ix_call_off_contract_buyer_organisation_id'), 'call_off_contract', ['buyer_organisation_id'])
    op.create_index(op.f('ix_call_off_contract_supplier_id'), 'call_off_contract', ['supplier_id'])
    op.create_index(op.f('ix_call_off_contract_lot_id'), 'call_off_contract', ['lot_id'])
    _backfill(op.get_bind())


def _add_months(day, months):
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def _as_date(value):
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _vat(value):
    return None if value is None else int((Decimal(value) * Decimal('0.20')).quantize(Decimal('1'), ROUND_HALF_UP))


def _direct_award_value(conn, award_id):
    row = conn.execute(sa.text(
        "SELECT s.content_json, d.recommended_supplier_id FROM direct_award d JOIN shortlist s "
        "ON s.id = d.recommended_shortlist_id WHERE d.id = :id"), {'id': award_id}).first()
    if row is None:
        return None
    content = json.loads(row[0])
    line = next((s for s in content.get('capable', []) if s['supplier']['id'] == row[1]), None)
    return int(line['total_pence']) if line else None


def _notice_value(conn, column, call_off_id):
    for (release,) in conn.execute(sa.text(
            f"SELECT release_json FROM transparency_notice WHERE {column} = :id ORDER BY id DESC"), {'id': call_off_id}):
        for award in json.loads(release).get('awards', []):
            amount = (award.get('value') or {}).get('amount')
            if amount is not None:
                return int((Decimal(str(amount)) * 100).quantize(Decimal('1'), ROUND_HALF_UP))
    return None


def _backfill(conn):
    signed = conn.execute(sa.text(
        "SELECT id, subject_type, subject_id, supplier_id, signed_at FROM document "
        "WHERE kind = 'call_off_contract' AND signed_at IS NOT NULL ORDER BY id"
    )).all()
    seen = set()
    for document_id, subject_type, subject_id, supplier_id, signed_at in signed:
        if (subject_type, subject_id) in seen or subject_type not in ('competition', 'direct_award'):
            continue
        seen.add((subject_type, subject_id))
        call_off = conn.execute(sa.text(
            f"SELECT reference, title, buyer_organisation_id, lot_id, planned_start_on, term_months "
            f"FROM {subject_type} WHERE id = :id"), {'id': subject_id}).first()
        if call_off is None or supplier_id is None:
            continue
        start = _as_date(call_off[4])
        end = _add_months(start, call_off[5]) - timedelta(days=1) if start and call_off[5] else None
        column = 'competition_id' if subject_type == 'competition' else 'direct_award_id'
        value = _direct_award_value(conn, subject_id) if subject_type == 'direct_award' else None
        if value is None:
            value = _notice_value(conn, column, subject_id)
        conn.execute(sa.text(
            f"INSERT INTO call_off_contract ({column}, reference, title, buyer_organisation_id, supplier_id, lot_id, "
            "value_pence, vat_pence, start_on, end_on, option_months, signed_document_id, signed_at, created_at) "
            "VALUES (:call_off_id, :reference, :title, :buyer, :supplier, :lot, :value, :vat, :start, :end, '[]', "
            ":document_id, :signed_at, :signed_at)"
        ), {
            'call_off_id': subject_id, 'reference': call_off[0], 'title': call_off[1], 'buyer': call_off[2],
            'supplier': supplier_id, 'lot': call_off[3], 'value': value, 'vat': _vat(value), 'start': start,
            'end': end, 'document_id': document_id, 'signed_at': signed_at,
        })


def downgrade():
    op.drop_index(op.f('ix_call_off_contract_lot_id'), table_name='call_off_contract')
    op.drop_index(op.f('ix_call_off_contract_supplier_id'), table_name='call_off_contract')
    op.drop_index(op.f('ix_call_off_contract_buyer_organisation_id'), table_name='call_off_contract')
    op.drop_index(op.f('ix_call_off_contract_reference'), table_name='call_off_contract')
    op.drop_table('call_off_contract')
