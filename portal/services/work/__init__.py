"""Work comes to people: each role's home page is a queue of what needs them, most urgent first.

`queue_for(user)` gathers the items of the user's role (one module each: buyer.py, approver.py, evaluator.py,
supplier.py, staff.py; the shared WorkItem in items.py) and orders them by the pure rules of
portal/domain/work_queue.py. Each role's items take a small fixed number of queries, never one per row
(bench/work_queues.py measures the pages). A procurement officer gets the buyer's items, an approver also the
approvals and contracts it signs, and any buying-side user on an evaluation panel its declarations and scores.
"""

from __future__ import annotations

from datetime import datetime

from portal.domain.roles import Role
from portal.domain.work_queue import in_order
from portal.models import User
from portal.models.base import utcnow
from portal.services.work import approver, buyer, evaluator, staff, supplier
from portal.services.work.items import WorkItem

__all__ = ["WorkItem", "queue_for"]


def queue_for(user: User, now: datetime | None = None) -> list[WorkItem]:
    now = now or utcnow()
    items: list[WorkItem] = []
    if user.role == Role.STAFF:
        items = staff.items_for(user, now)
    elif user.role == Role.SUPPLIER:
        items = supplier.items_for(user, now)
    elif user.is_buyer_side:
        if user.is_procurement_officer:
            items = [*buyer.items_for(user, now), *approver.items_for(user, now)]
        items += evaluator.items_for(user, now)
    return in_order(items)
