"""What each role sees first when they sign in."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import (
    Accreditation,
    Framework,
    Lot,
    LotMembership,
    Supplier,
    User,
)
from portal.services.bids import changes
from portal.services.errors import PermissionDeniedError
from portal.services.people import audit_log


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
        data["unreviewed_changes"] = audit_log.unreviewed_supplier_changes_count(user)
        data["user_count"] = db.session.scalar(select(func.count(User.id)))
        data["supplier_count"] = db.session.scalar(select(func.count(Supplier.id)))
        data["outbox_count"] = audit_log.outbox_count(user)
    if user.is_buyer_side:
        if user.buyer_organisation is None:  # the belongs_to_one_party check gives every buyer-side user one
            raise PermissionDeniedError("This account belongs to no buying organisation.")
        org_type = user.buyer_organisation.organisation_type
        data["usable_frameworks"] = [
            (f, status)
            for f, status in data["frameworks"]
            if org_type in f.buyer_type_values and status.value == "live"
        ]
    if user.is_supplier:
        data["memberships"] = db.session.scalars(
            select(LotMembership)
            .where(LotMembership.supplier_id == user.supplier_id)
            .options(selectinload(LotMembership.lot).selectinload(Lot.framework))
        ).all()
        soon = today + timedelta(days=60)
        data["expiring"] = db.session.scalars(
            select(Accreditation)
            .where(Accreditation.supplier_id == user.supplier_id, Accreditation.expires_on.is_not(None))
            .where(Accreditation.expires_on <= soon)
            .order_by(Accreditation.expires_on)
        ).all()
        data["unsubmitted_changes"] = changes.unsubmitted_changes(user)
    return data
