"""The approval history of awards (portal.models.approval_step): record a step, read an award's steps in order.

The award services (portal/services/evaluation/award.py, award_return.py; portal/services/direct_awards/decisions.py)
record a step in the same transaction as the change and its audit event; the approver's pages, the buyer's award
page, the evaluation report and the direct award record read them from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import ApprovalStep, Bid, Supplier, User
from portal.models.base import utcnow

ACTION_LABELS = {"recommend": "Recommended", "return": "Returned to the buyer", "approve": "Approved"}


@dataclass(frozen=True)
class Step:
    action: str
    label: str
    actor: str
    at: datetime
    comment: str
    supplier: str  # who was recommended at this step ("" when unknown)


def record(
    actor: User,
    action: str,
    *,
    competition_id: int | None = None,
    direct_award_id: int | None = None,
    comment: str = "",
    bid_id: int | None = None,
    supplier_id: int | None = None,
    at: datetime | None = None,
) -> ApprovalStep:
    step = ApprovalStep(
        competition_id=competition_id,
        direct_award_id=direct_award_id,
        action=action,
        actor_id=actor.id,
        at=at or utcnow(),
        comment=comment,
        bid_id=bid_id,
        supplier_id=supplier_id,
    )
    db.session.add(step)
    return step


def history(*, competition_id: int | None = None, direct_award_id: int | None = None) -> list[Step]:
    """One award's steps, oldest first, with the people and suppliers loaded in the same query."""
    query = select(ApprovalStep, Supplier).options(joinedload(ApprovalStep.actor))
    if competition_id is not None:
        query = query.outerjoin(Bid, Bid.id == ApprovalStep.bid_id).outerjoin(Supplier, Supplier.id == Bid.supplier_id)
        query = query.where(ApprovalStep.competition_id == competition_id)
    else:
        query = query.outerjoin(Supplier, Supplier.id == ApprovalStep.supplier_id)
        query = query.where(ApprovalStep.direct_award_id == direct_award_id)
    rows = db.session.execute(query.order_by(ApprovalStep.at, ApprovalStep.id)).all()
    return [
        Step(
            action=step.action,
            label=ACTION_LABELS[step.action],
            actor=step.actor.name,
            at=step.at,
            comment=step.comment,
            supplier=supplier.short_name if supplier is not None else "",
        )
        for step, supplier in rows
    ]


def latest_return(steps: list[Step]) -> Step | None:
    """The return the buyer still has to act on: the last step, if it is a return (a new recommendation answers
    it)."""
    return steps[-1] if steps and steps[-1].action == "return" else None


def as_rows(steps: list[Step]) -> list[dict[str, Any]]:
    """The steps for the PDF records (plain data: the documents' templates and content hash read dictionaries)."""
    return [{"action": s.label, "by": s.actor, "at": s.at, "comment": s.comment, "supplier": s.supplier} for s in steps]


@dataclass(frozen=True)
class Returned:
    by: str
    at: datetime
    comment: str


def returned(
    *, competition_ids: Sequence[int] = (), direct_award_ids: Sequence[int] = ()
) -> dict[tuple[str, int], Returned]:
    """The awards among these whose latest step is a return, keyed ("competition" | "direct_award", id): the buyer's
    queue shows them as work sent back. One query for all of them, their steps in order."""
    if not competition_ids and not direct_award_ids:
        return {}
    rows = db.session.execute(
        select(
            ApprovalStep.competition_id,
            ApprovalStep.direct_award_id,
            ApprovalStep.action,
            ApprovalStep.at,
            ApprovalStep.comment,
            User.name,
        )
        .join(User, User.id == ApprovalStep.actor_id)
        .where(
            ApprovalStep.competition_id.in_(list(competition_ids))
            | ApprovalStep.direct_award_id.in_(list(direct_award_ids))
        )
        .order_by(ApprovalStep.at, ApprovalStep.id)
    )
    latest: dict[tuple[str, int | None], Returned | None] = {}
    for competition_id, direct_award_id, action, at, comment, name in rows:
        # Exactly one of the two is set (the table's CHECK).
        key = ("competition", competition_id) if competition_id is not None else ("direct_award", direct_award_id)
        latest[key] = Returned(name, at, comment) if action == "return" else None
    return {(kind, int(id_ or 0)): found for (kind, id_), found in latest.items() if found is not None}
