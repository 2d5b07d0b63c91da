"""An approver's queue: award decisions waiting for its approval, each with how many working days it has waited,
and the call-off contracts it signs for the buying organisation (portal/services/contracts/signing.py).

Waiting for approval: a competition whose award is recommended (recommended_at set, approved_at not, not cancelled)
and a direct award recommended and not approved. Four eyes: the recommender cannot approve, so its own
recommendations are not in its queue. The age counts working days in the framework's bank-holiday region
(portal/domain/work_queue.py), oldest first among equals.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from portal.domain import work_queue as rules
from portal.domain.roles import Role
from portal.domain.timefmt import format_date
from portal.domain.work_queue import Urgency
from portal.extensions import db
from portal.models import Competition, DirectAward, Document, Lot, User
from portal.services.work import contracts
from portal.services.work.items import WorkItem, item, named

# An approval that has waited this many working days is shown as urgent.
URGENT_AFTER_WORKING_DAYS = 3


def _urgency(days: int) -> Urgency:
    if days >= URGENT_AFTER_WORKING_DAYS:
        return Urgency.OVERDUE
    return Urgency.TODAY if days >= 1 else Urgency.SOON


def approvals(user: User, now: datetime) -> list[WorkItem]:
    organisation_id = user.buyer_organisation_id
    competitions = db.session.scalars(
        select(Competition)
        .where(
            Competition.buyer_organisation_id == organisation_id,
            Competition.recommended_at.is_not(None),
            Competition.approved_at.is_(None),
            Competition.cancelled_at.is_(None),
            Competition.recommended_by_id != user.id,
        )
        .options(joinedload(Competition.lot).joinedload(Lot.framework))
    ).all()
    awards = db.session.scalars(
        select(DirectAward)
        .where(
            DirectAward.buyer_organisation_id == organisation_id,
            DirectAward.recommended_at.is_not(None),
            DirectAward.approved_at.is_(None),
            DirectAward.cancelled_at.is_(None),
            or_(DirectAward.recommended_by_id.is_(None), DirectAward.recommended_by_id != user.id),
        )
        .options(joinedload(DirectAward.lot).joinedload(Lot.framework))
    ).all()
    items = []
    waiting: list[tuple[Competition | DirectAward, str, str, str]] = [
        *((c, "Approve the award recommendation", "evaluation.approve", "competition_id") for c in competitions),
        *((a, "Approve the direct award", "direct_awards.approve", "direct_award_id") for a in awards),
    ]
    for subject, title, endpoint, key in waiting:
        assert subject.recommended_at is not None  # the queries select recommended ones only
        region = rules.region_of(subject.lot.framework.bank_holiday_region)
        days = rules.working_days_waiting(subject.recommended_at, now, region)
        items.append(
            item(
                title,
                named(subject.reference, subject.title),
                endpoint,
                now,
                values={key: subject.id},
                detail=f"Recommended on {format_date(subject.recommended_at)}",
                label=rules.age_wording(days),
                urgency=_urgency(days),
            )
        )
    return items


def items_for(user: User, now: datetime) -> list[WorkItem]:
    if user.role != Role.APPROVER:
        return []
    return [
        *approvals(user, now),
        *contracts.to_sign("buyer", Document.buyer_organisation_id == user.buyer_organisation_id, now),
    ]
