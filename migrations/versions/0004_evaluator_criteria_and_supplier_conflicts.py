"""Evaluators assigned per quality criterion; conflict declarations per bidding supplier, with mitigations

Existing data migrates:
- every competition-wide evaluator (competition_evaluator, kept as the panel) is assigned to every quality leaf
  criterion of its competition, as before;
- every per-competition declaration becomes one declaration per bidding supplier (a submitted bid) with the same
  answer and details. A declaration in a competition with no submitted bid covers nobody and is dropped: the
  evaluator declares again once there are bidders.

Downgrade folds the per-supplier answers back into one per evaluator (a conflict with any supplier is a conflict;
details joined) and drops assignments and mitigations.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 16:52:24.018523

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('evaluator_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['user_account.id'], name=op.f('fk_evaluator_assignment_assigned_by_id_user_account')),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], name=op.f('fk_evaluator_assignment_competition_id_competition'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['criterion_id'], ['competition_criterion.id'], name=op.f('fk_evaluator_assignment_criterion_id_competition_criterion'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_evaluator_assignment_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluator_assignment')),
    sa.UniqueConstraint('competition_id', 'user_id', 'criterion_id', name=op.f('uq_evaluator_assignment_competition_id_user_id_criterion_id'))
    )
    with op.batch_alter_table('evaluator_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluator_assignment_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluator_assignment_user_id'), ['user_id'], unique=False)

    # The panel keeps scoring what it scored before: every quality criterion without sub-criteria.
    op.execute(
        "INSERT INTO evaluator_assignment (competition_id, user_id, criterion_id, assigned_by_id, assigned_at) "
        "SELECT e.competition_id, e.user_id, c.id, e.assigned_by_id, e.assigned_at "
        "FROM competition_evaluator e JOIN competition_criterion c ON c.competition_id = e.competition_id "
        "WHERE c.kind = 'quality' "
        "AND NOT EXISTS (SELECT 1 FROM competition_criterion k WHERE k.parent_id = c.id)"
    )

    # Step 1: room for one row per supplier (nullable until every row has one; the old one-per-evaluator unique goes).
    with op.batch_alter_table('conflict_declaration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supplier_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('mitigation', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('mitigated_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('mitigated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_conflict_declaration_competition_id_user_id'), type_='unique')

    # Step 2: the same answer for every bidding supplier, then drop the supplier-less originals.
    op.execute(
        "INSERT INTO conflict_declaration (competition_id, user_id, supplier_id, has_conflict, details, declared_at) "
        "SELECT DISTINCT d.competition_id, d.user_id, b.supplier_id, d.has_conflict, d.details, d.declared_at "
        "FROM conflict_declaration d JOIN bid b ON b.competition_id = d.competition_id AND b.status = 'submitted' "
        "WHERE d.supplier_id IS NULL"
    )
    op.execute("DELETE FROM conflict_declaration WHERE supplier_id IS NULL")

    # Step 3: the new invariants.
    with op.batch_alter_table('conflict_declaration', schema=None) as batch_op:
        batch_op.alter_column('supplier_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_conflict_declaration_competition_id_user_id_supplier_id'), ['competition_id', 'user_id', 'supplier_id'])
        batch_op.create_foreign_key(batch_op.f('fk_conflict_declaration_supplier_id_supplier'), 'supplier', ['supplier_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_conflict_declaration_mitigated_by_id_user_account'), 'user_account', ['mitigated_by_id'], ['id'])
        batch_op.create_check_constraint(batch_op.f('ck_conflict_declaration_mitigates_a_conflict'), 'mitigation IS NULL OR has_conflict')
        batch_op.create_check_constraint(
            batch_op.f('ck_conflict_declaration_mitigation_names_officer'),
            'mitigation IS NULL OR (length(mitigation) > 0 AND mitigated_by_id IS NOT NULL AND mitigated_at IS NOT NULL)',
        )


def downgrade():
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT id, competition_id, user_id, has_conflict, details FROM conflict_declaration ORDER BY id"
    )).all()
    keep: dict = {}
    for row in rows:
        kept = keep.setdefault((row.competition_id, row.user_id), {"id": row.id, "conflict": False, "details": []})
        if row.has_conflict:
            kept["conflict"] = True
            kept["details"].append(row.details)
    keep_ids = {k["id"] for k in keep.values()}
    for row in rows:
        if row.id not in keep_ids:
            connection.execute(sa.text("DELETE FROM conflict_declaration WHERE id = :id"), {"id": row.id})
    for kept in keep.values():
        connection.execute(
            sa.text("UPDATE conflict_declaration SET has_conflict = :c, details = :d WHERE id = :id"),
            {"c": kept["conflict"], "d": "; ".join(kept["details"]), "id": kept["id"]},
        )
    with op.batch_alter_table('conflict_declaration', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_conflict_declaration_mitigation_names_officer'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_conflict_declaration_mitigates_a_conflict'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_conflict_declaration_mitigated_by_id_user_account'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_conflict_declaration_supplier_id_supplier'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_conflict_declaration_competition_id_user_id_supplier_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_conflict_declaration_competition_id_user_id'), ['competition_id', 'user_id'])
        batch_op.drop_column('mitigated_at')
        batch_op.drop_column('mitigated_by_id')
        batch_op.drop_column('mitigation')
        batch_op.drop_column('supplier_id')

    with op.batch_alter_table('evaluator_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluator_assignment_user_id'))
        batch_op.drop_index(batch_op.f('ix_evaluator_assignment_competition_id'))

    op.drop_table('evaluator_assignment')
