"""Framework staff's queue: the supplier records a framework manager acts on.

- Supplier changes to review: changes suppliers made to their own records that staff have not acknowledged
  (portal/services/people/audit_log.py), one item with the count.
- Accreditations expiring within EXPIRY_DAYS days, or expired within the last EXPIRED_DAYS (older ones have been
  dealt with or are history): catalogue searches and direct awards filter on them.
- Suspended lot memberships: a suspension is temporary, so each waits for a decision to reinstate or remove.
- Exclusions in force: the supplier cannot be invited or awarded while one runs; due on its last day, when the
  supplier's standing changes again.
Four queries.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager

from portal.domain.timefmt import format_date
from portal.domain.work_queue import count_wording
from portal.domain.working_days import london_date
from portal.extensions import db
from portal.models import Accreditation, Exclusion, Lot, LotMembership, Supplier, User
from portal.services.people import audit_log
from portal.services.work.items import WorkItem, item

EXPIRY_DAYS = 60
EXPIRED_DAYS = 90


def supplier_changes(user: User, now: datetime) -> list[WorkItem]:
    n = audit_log.unreviewed_supplier_changes_count(user)
    if not n:
        return []
    return [
        item(
            f"Review {count_wording(n, 'supplier change')}",
            "Changes suppliers made to their records",
            "admin_people.supplier_changes",
            now,
            label="To review",
        )
    ]


def accreditations(now: datetime) -> list[WorkItem]:
    today = london_date(now)
    rows = db.session.scalars(
        select(Accreditation)
        .join(Supplier, Supplier.id == Accreditation.supplier_id)
        .where(
            Accreditation.expires_on <= today + timedelta(days=EXPIRY_DAYS),
            Accreditation.expires_on >= today - timedelta(days=EXPIRED_DAYS),
        )
        .options(contains_eager(Accreditation.supplier))
    ).all()
    items = []
    for a in rows:
        assert a.expires_on is not None  # the query selects dated ones only
        verb = "expired" if a.expires_on < today else "expires"
        items.append(
            item(
                f"{a.scheme} accreditation {verb}",
                a.supplier.legal_name,
                "admin_suppliers.show",
                now,
                values={"supplier_id": a.supplier_id},
                due_at=a.expires_on,
                detail=f"{verb.capitalize()} on {format_date(a.expires_on)}",
                label="Expired" if verb == "expired" else "",
            )
        )
    return items


def suspensions(now: datetime) -> list[WorkItem]:
    rows = db.session.scalars(
        select(LotMembership)
        .join(Supplier, Supplier.id == LotMembership.supplier_id)
        .join(Lot, Lot.id == LotMembership.lot_id)
        .where(LotMembership.status == "suspended")
        .options(contains_eager(LotMembership.supplier), contains_eager(LotMembership.lot))
    ).all()
    return [
        item(
            f"Suspended from {m.lot.label}: reinstate or remove",
            m.supplier.legal_name,
            "admin_suppliers.show",
            now,
            values={"supplier_id": m.supplier_id},
            detail=f"Since {format_date(m.status_changed_at)}: {m.status_reason}"
            if m.status_changed_at
            else m.status_reason,
            label="Suspended",
        )
        for m in rows
    ]


def exclusions(now: datetime) -> list[WorkItem]:
    today = london_date(now)
    rows = db.session.scalars(
        select(Exclusion)
        .join(Supplier, Supplier.id == Exclusion.supplier_id)
        .where(Exclusion.starts_on <= today, or_(Exclusion.ends_on.is_(None), Exclusion.ends_on >= today))
        .options(contains_eager(Exclusion.supplier))
    ).all()
    return [
        item(
            "Excluded: check its lots and competitions",
            e.supplier.legal_name,
            "admin_suppliers.show",
            now,
            values={"supplier_id": e.supplier_id},
            due_at=e.ends_on,
            detail=f"{e.kind.capitalize()} exclusion from {format_date(e.starts_on)}"
            + (f" to {format_date(e.ends_on)}" if e.ends_on else ", no end date")
            + f": {e.ground}",
            label="Excluded",
        )
        for e in rows
    ]


def items_for(user: User, now: datetime) -> list[WorkItem]:
    return [*supplier_changes(user, now), *accreditations(now), *suspensions(now), *exclusions(now)]
