"""An evaluator's queue: per competition it is on the panel of, the conflict declarations and the scores it still
owes, due on the day the buyer planned the evaluation for (Competition.planned_evaluation_on).

Only competitions of its own organisation whose bids are open (declarations are made against the suppliers that
bid, known only once opened: portal/services/evaluation/declarations.py) and not yet moderated (scoring ends
there). Procurement officers on a panel get the same items (they may evaluate too).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from portal.domain.work_queue import count_wording
from portal.extensions import db
from portal.models import Competition, CompetitionEvaluator, User
from portal.services.work import progress
from portal.services.work.items import WorkItem, item, named


def items_for(user: User, now: datetime) -> list[WorkItem]:
    competitions = db.session.scalars(
        select(Competition)
        .join(CompetitionEvaluator, CompetitionEvaluator.competition_id == Competition.id)
        .where(
            CompetitionEvaluator.user_id == user.id,
            Competition.buyer_organisation_id == user.buyer_organisation_id,
            Competition.opened_at.is_not(None),
            Competition.moderated_at.is_(None),
            Competition.cancelled_at.is_(None),
        )
    ).all()
    counts = progress.of(competitions, now, user_id=user.id)
    items = []
    for c in competitions:
        found = counts.get(c.id)
        if found is None:  # not opened after all (progress.py asks the seal again)
            continue
        mine = found.evaluators.get(user.id)
        if mine is None:
            continue
        subject, values, due = named(c.reference, c.title), {"competition_id": c.id}, c.planned_evaluation_on
        if not mine.complete_declarations(found.bidders):
            if not found.bidders:
                continue  # no bid to declare against or score
            left = found.bidders - mine.declared
            items.append(
                item(
                    "Declare any conflicts of interest",
                    subject,
                    "evaluation.declaration",
                    now,
                    values=values,
                    due_at=due,
                    detail=f"{count_wording(left, 'supplier')} to declare against before scoring",
                )
            )
            continue
        owed = mine.scores_due(found.bidders)
        if mine.scored < owed:
            items.append(
                item(
                    "Score the bids",
                    subject,
                    "evaluation.scoring",
                    now,
                    values=values,
                    due_at=due,
                    detail=f"{mine.scored} of {count_wording(owed, 'score')} entered",
                )
            )
    return items
