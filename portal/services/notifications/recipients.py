"""Who a hand-off goes to, each as one query: the people of a supplier, of a buying organisation, of a panel."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from portal.domain.roles import PROCUREMENT_OFFICERS, Role
from portal.extensions import db
from portal.models import CompetitionEvaluator, Invitation, User


def supplier_users(supplier_ids: Iterable[int]) -> list[User]:
    """The active users of these suppliers."""
    ids = set(supplier_ids)
    if not ids:
        return []
    return list(
        db.session.scalars(select(User).where(User.supplier_id.in_(ids), User.active.is_(True)).order_by(User.id))
    )


def invited_supplier_users(competition_id: int) -> list[User]:
    """Every active user of every supplier invited to a competition, whatever it answered: a published answer or
    a changed document concerns them all (one who declined may still reconsider before the deadline)."""
    return list(
        db.session.scalars(
            select(User)
            .join(Invitation, Invitation.supplier_id == User.supplier_id)
            .where(Invitation.competition_id == competition_id, User.active.is_(True))
            .order_by(User.id)
        )
    )


def procurement_officers(organisation_id: int) -> list[User]:
    """The buyers and approvers of a buying organisation: whoever may pick up the organisation's procurements."""
    return _of_organisation(organisation_id, PROCUREMENT_OFFICERS)


def approvers(organisation_id: int) -> list[User]:
    return _of_organisation(organisation_id, {Role.APPROVER})


def panel(competition_id: int) -> list[User]:
    """The evaluators appointed to a competition's panel."""
    return list(
        db.session.scalars(
            select(User)
            .join(CompetitionEvaluator, CompetitionEvaluator.user_id == User.id)
            .where(CompetitionEvaluator.competition_id == competition_id, User.active.is_(True))
            .order_by(User.id)
        )
    )


def _of_organisation(organisation_id: int, roles: Iterable[str]) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.buyer_organisation_id == organisation_id,
                User.role.in_([str(role) for role in roles]),
                User.active.is_(True),
            )
            .order_by(User.id)
        )
    )
