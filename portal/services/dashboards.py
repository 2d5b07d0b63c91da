"""What each role sees first when they sign in."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    AuditEvent,
    Framework,
    LotMembership,
    OutboxMessage,
    Supplier,
    SupplierChangeReview,
    User,
)
from portal.timefmt import today_london


def public_summary() -> dict:
    frameworks = db.session.scalars(select(Framework).order_by(Framework.start_on.desc())).all()
    today = today_london()
    return {
        "frameworks": [(f, f.status_on(today)) for f in frameworks],
        "supplier_count": db.session.scalar(select(func.count(Supplier.id))),
    }


def for_user(user: User) -> dict:
    today = today_london()
    frameworks = db.session.scalars(select(Framework).order_by(Framework.start_on.desc())).all()
    data: dict = {"frameworks": [(f, f.status_on(today)) for f in frameworks]}
    if user.is_staff:
        data["unreviewed_changes"] = db.session.scalar(
            select(func.count(AuditEvent.id))
            .outerjoin(SupplierChangeReview, SupplierChangeReview.audit_event_id == AuditEvent.id)
            .where(AuditEvent.actor_party == "supplier", SupplierChangeReview.id.is_(None))
            .where(~AuditEvent.event_type.in_(("user.signed_in", "user.signed_out", "user.password_set")))
        )
        data["user_count"] = db.session.scalar(select(func.count(User.id)))
        data["supplier_count"] = db.session.scalar(select(func.count(Supplier.id)))
        data["outbox_count"] = db.session.scalar(select(func.count(OutboxMessage.id)))
    if user.is_supplier:
        data["memberships"] = db.session.scalars(
            select(LotMembership).where(LotMembership.supplier_id == user.supplier_id)
        ).all()
    return data
