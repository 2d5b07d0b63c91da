"""What each role sees first when they sign in."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import (
    Framework,
    Lot,
    LotMembership,
    Supplier,
    User,
)
from portal.services.errors import PermissionDeniedError
from portal.services.people import audit_log
from portal.services.work import queue_for


def public_summary() -> dict:
    frameworks = db.session.scalars(select(Framework).order_by(Framework.start_on.desc())).all()
    today = today_london()
    return {
        "frameworks": [(f, f.status_on(today)) for f in frameworks],
        "supplier_count": db.session.scalar(select(func.count(Supplier.id))),
    }


def for_user(user: User) -> dict:
    """The home page: the user's work queue (portal/services/work), then the links and lists each role uses."""
    today = today_london()
    frameworks = db.session.scalars(
        select(Framework)
        .order_by(Framework.start_on.desc())
        .options(selectinload(Framework.extension_options), selectinload(Framework.eligible_buyer_types))
    ).all()
    data: dict = {"frameworks": [(f, f.status_on(today)) for f in frameworks]}
    if user.is_buyer_side and user.buyer_organisation is None:  # belongs_to_one_party gives every one an organisation
        raise PermissionDeniedError("This account belongs to no buying organisation.")
    data["queue"] = queue_for(user)
    if user.is_staff:
        data["user_count"] = db.session.scalar(select(func.count(User.id)))
        data["supplier_count"] = db.session.scalar(select(func.count(Supplier.id)))
        data["outbox_count"] = audit_log.outbox_count(user)
    if user.is_buyer_side:
        assert user.buyer_organisation is not None  # refused above
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
    return data
