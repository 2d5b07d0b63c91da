"""Conflict declarations from everyone who influences the decision: a role per declaration

The opener (and witness), evaluators, the moderator, the officer who recommends and the approver each declare per
supplier (PA 2023 s.81-83; PCR 2015 reg 24). Every existing declaration was an evaluator's, so it carries over with
role 'evaluator'. The one-answer-per-supplier rule becomes one answer per person, role and supplier. A mitigation
recorded by the declarant themself (the service never allowed it) is cleared, so the conflict shows as unmitigated
rather than the new rule failing on old data.

Downgrade keeps the evaluators' declarations and drops the other roles' (the old schema has no place for them).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 14:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('conflict_declaration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sa.String(length=20), nullable=True))
    op.execute("UPDATE conflict_declaration SET role = 'evaluator'")
    op.execute(
        "UPDATE conflict_declaration SET mitigation = NULL, mitigated_by_id = NULL, mitigated_at = NULL "
        "WHERE mitigated_by_id = user_id"
    )
    with op.batch_alter_table('conflict_declaration', schema=None) as batch_op:
        batch_op.alter_column('role', existing_type=sa.String(length=20), nullable=False)
        batch_op.drop_constraint(batch_op.f('uq_conflict_declaration_competition_id_user_id_supplier_id'), type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_conflict_declaration_competition_id_user_id_role_supplier_id'),
            ['competition_id', 'user_id', 'role', 'supplier_id'],
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_conflict_declaration_known_conflict_role'),
            "role IN ('opener', 'evaluator', 'moderator', 'recommender', 'approver')",
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_conflict_declaration_mitigated_by_another'),
            'mitigated_by_id IS NULL OR mitigated_by_id <> user_id',
        )


def downgrade():
    op.execute("DELETE FROM conflict_declaration WHERE role <> 'evaluator'")
    with op.batch_alter_table('conflict_declaration', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_conflict_declaration_mitigated_by_another'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_conflict_declaration_known_conflict_role'), type_='check')
        batch_op.drop_constraint(
            batch_op.f('uq_conflict_declaration_competition_id_user_id_role_supplier_id'), type_='unique'
        )
        batch_op.create_unique_constraint(
            batch_op.f('uq_conflict_declaration_competition_id_user_id_supplier_id'),
            ['competition_id', 'user_id', 'supplier_id'],
        )
        batch_op.drop_column('role')
