"""A procurement officer's queue (buyers and approvers of the buying organisation): its competitions and direct
awards that wait on the buying side, and its contracts.

Per competition, by state (portal/domain/competition_state.py), one item at most:
    draft               finish and publish it
    open for bids       clarification questions waiting for an answer; else the deadline ahead
    closed              open the bids (or confirm a colleague's opening, or wait for one: opening.py)
    opened .. moderated what blocks the evaluation: evaluators to assign, declarations or scores outstanding,
                        moderation to complete, the award to recommend (due on the planned evaluation/award day)
    approved            send the assessment summaries, then publish the award notice
    standstill          when it ends, then confirm the award
Before the bids are opened NOTHING about bids is read or shown: the items of a sealed competition are built from
its own timestamps and the clarification questions only, so the queue reads the same whether or not anyone has a
bid (tests/test_work_queues.py). Counts of bids and scores come from progress.py, which counts opened ones only.

Direct awards: a draft to finish; an approved one whose award notice (UK6) is due or whose standstill is running.
Approvals and contracts to sign are the approver's (approver.py). Awards returned by an approver, and KPIs due in
contract management, are not here yet.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, load_only, selectinload

from portal.domain.competition_state import CompetitionState, standstill_over
from portal.domain.law import law_for
from portal.domain.work_queue import Urgency, count_wording
from portal.extensions import db
from portal.models import Clarification, Competition, DirectAward, Lot, User
from portal.services import approvals
from portal.services.competitions import access
from portal.services.evaluation.overview import next_action
from portal.services.notices import standstill as standstill_rules
from portal.services.work import contracts, progress
from portal.services.work.items import WorkItem, item, named

S = CompetitionState


# The columns the items are built from (the state's timestamps, the dates shown, the names): a long queue loads
# only these.
COLUMNS = (
    Competition.published_at,
    Competition.opened_at,
    Competition.evaluation_started_at,
    Competition.moderated_at,
    Competition.recommended_at,
    Competition.recommended_by_id,
    Competition.approved_at,
    Competition.approved_by_id,
    Competition.standstill_started_at,
    Competition.standstill_ends_at,
    Competition.awarded_at,
    Competition.cancelled_at,
    Competition.cancel_reason,
    Competition.reference,
    Competition.title,
    Competition.lot_id,
    Competition.buyer_organisation_id,
    Competition.submission_deadline_at,
    Competition.clarification_deadline_at,
    Competition.planned_evaluation_on,
    Competition.planned_award_on,
    Competition.opening_started_at,
    Competition.opening_started_by_id,
    Competition.assessment_summaries_sent_at,
)


def _competitions(user: User) -> list[Competition]:
    return list(
        db.session.scalars(
            select(Competition)
            .where(
                Competition.buyer_organisation_id == user.buyer_organisation_id,
                Competition.cancelled_at.is_(None),
                Competition.awarded_at.is_(None),
            )
            # The regime decides what comes after approval (next_action reads the lot's framework): two small
            # queries for the lots and frameworks, never one per competition.
            .options(load_only(*COLUMNS), selectinload(Competition.lot).selectinload(Lot.framework))
        )
    )


def _unanswered(ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = db.session.execute(
        select(Clarification.competition_id, func.count(Clarification.id))
        .where(Clarification.competition_id.in_(ids), Clarification.answered_at.is_(None))
        .group_by(Clarification.competition_id)
    )
    return {competition_id: n for competition_id, n in rows}


def _evaluation_item(
    user: User, c: Competition, state: CompetitionState, found: progress.Progress | None, now: datetime
) -> WorkItem:
    subject, values = named(c.reference, c.title), {"competition_id": c.id}
    if state is S.MODERATED:
        return item(
            "Recommend the award", subject, "evaluation.recommend", now, values=values, due_at=c.planned_award_on
        )
    due = c.planned_evaluation_on
    if found is None or not found.evaluators:
        return item("Assign evaluators", subject, "evaluation.evaluators", now, values=values, due_at=due)
    if found.undeclared:
        n = found.undeclared
        detail = f"{count_wording(n, 'evaluator')} {'has' if n == 1 else 'have'} not declared conflicts of interest"
        return item(
            "Evaluation: declarations outstanding",
            subject,
            "evaluation.competition",
            now,
            values=values,
            due_at=due,
            detail=detail,
        )
    if found.scored < found.scores_due:
        detail = f"{found.scored} of {count_wording(found.scores_due, 'score')} entered"
        return item(
            "Evaluation: scores outstanding",
            subject,
            "evaluation.competition",
            now,
            values=values,
            due_at=due,
            detail=detail,
        )
    detail = f"{min(found.moderated, found.moderation_due)} of {count_wording(found.moderation_due, 'score')} moderated"
    return item(
        "Complete the moderation", subject, "evaluation.moderation", now, values=values, due_at=due, detail=detail
    )


def competition_items(user: User, now: datetime) -> list[WorkItem]:
    competitions = _competitions(user)
    states = {c.id: access.state(c, now) for c in competitions}
    open_ids = [c.id for c in competitions if states[c.id] is S.PUBLISHED]
    unanswered = _unanswered(open_ids)
    evaluating = [c for c in competitions if states[c.id] in (S.OPENED, S.IN_EVALUATION)]
    counts = progress.of(evaluating, now)
    sent_back = approvals.returned(competition_ids=[c.id for c in competitions if states[c.id] is S.MODERATED])
    items = []
    for c in competitions:
        state, subject, values = states[c.id], named(c.reference, c.title), {"competition_id": c.id}
        if state is S.DRAFT:
            items.append(
                item(
                    "Finish and publish the competition",
                    subject,
                    "competitions.show",
                    now,
                    values=values,
                    label="Draft",
                )
            )
        elif state is S.PUBLISHED and unanswered.get(c.id):
            n = unanswered[c.id]
            items.append(
                item(
                    f"Answer {count_wording(n, 'clarification question')}",
                    subject,
                    "clarifications.buyer_questions",
                    now,
                    values=values,
                    due_at=c.clarification_deadline_at or c.submission_deadline_at,
                )
            )
        elif state is S.PUBLISHED:
            items.append(
                item(
                    "Bids close",
                    subject,
                    "competitions.show",
                    now,
                    values=values,
                    due_at=c.submission_deadline_at,
                    detail="Open for bids: suppliers may ask questions until the clarification deadline",
                )
            )
        elif state is S.CLOSED:
            action = next_action(user, c, now)
            items.append(
                item(
                    action.text,
                    subject,
                    "evaluation.open_bids",
                    now,
                    values=values,
                    detail="The deadline for bids has passed",
                    label="Closed",
                )
            )
        elif state is S.MODERATED and ("competition", c.id) in sent_back:
            items.append(_returned_item(subject, "evaluation.recommend", values, sent_back[("competition", c.id)], now))
        elif state in (S.OPENED, S.IN_EVALUATION, S.MODERATED):
            items.append(_evaluation_item(user, c, state, counts.get(c.id), now))
        elif state is S.APPROVED:
            action = next_action(user, c, now)
            items.append(
                item(
                    action.text,
                    subject,
                    action.endpoint or "evaluation.competition",
                    now,
                    values=values,
                    label="Award approved",
                )
            )
        elif state is S.STANDSTILL and standstill_over(access.facts(c), now):
            items.append(
                item(
                    "Confirm the contract award",
                    subject,
                    "evaluation.competition",
                    now,
                    values=values,
                    detail="The standstill period has ended",
                    label="Standstill over",
                )
            )
        elif state is S.STANDSTILL:
            items.append(
                item(
                    "Standstill period ends",
                    subject,
                    "evaluation.competition",
                    now,
                    values=values,
                    due_at=c.standstill_ends_at,
                    detail="Confirm the award once it has ended",
                )
            )
    return items


def _returned_item(
    subject: str, endpoint: str, values: dict[str, int], returned: approvals.Returned, now: datetime
) -> WorkItem:
    """An award the approver sent back: the buyer revises and resubmits it, reading the approver's comment."""
    comment = returned.comment if len(returned.comment) <= 160 else returned.comment[:157].rstrip() + "..."
    return item(
        "Revise and resubmit the returned award",
        subject,
        endpoint,
        now,
        values=values,
        detail=f"Returned by {returned.by}: {comment}",
        label="Returned",
        urgency=Urgency.TODAY,
    )


def direct_award_items(user: User, now: datetime) -> list[WorkItem]:
    awards = db.session.scalars(
        select(DirectAward)
        .where(
            DirectAward.buyer_organisation_id == user.buyer_organisation_id,
            DirectAward.cancelled_at.is_(None),
            DirectAward.accepted_at.is_(None),
        )
        .options(joinedload(DirectAward.lot).joinedload(Lot.framework))
    ).all()
    sent_back = approvals.returned(direct_award_ids=[a.id for a in awards if a.recommended_at is None])
    items = []
    for a in awards:
        subject, values = named(a.reference, a.title), {"direct_award_id": a.id}
        if ("direct_award", a.id) in sent_back:
            items.append(_returned_item(subject, "direct_awards.award", values, sent_back[("direct_award", a.id)], now))
        elif a.recommended_at is None:
            items.append(
                item("Finish the direct award", subject, "direct_awards.show", now, values=values, label="Draft")
            )
        elif a.approved_at is None:
            continue  # waiting on an approver: approver.py
        elif a.standstill_started_at is None and standstill_rules.starts_with_award_notice(a):
            notice = law_for(a.lot.framework.regime).notices[0]  # its name and code from the law table
            items.append(
                item(
                    f"Publish the {notice.name.lower()} ({notice.code})",
                    subject,
                    "notices.index",
                    now,
                    values=values,
                    detail="The standstill starts when it is published",
                    label="Notice due",
                )
            )
        elif a.standstill_ends_at is not None and now < a.standstill_ends_at:
            items.append(
                item(
                    "Standstill period ends",
                    subject,
                    "direct_awards.show",
                    now,
                    values=values,
                    due_at=a.standstill_ends_at,
                    detail="The supplier accepts the award after it",
                )
            )
    return items


def items_for(user: User, now: datetime) -> list[WorkItem]:
    """Everything the buying organisation's procurement officers have to do (approver.py adds the approver's)."""
    assert user.buyer_organisation_id is not None  # a procurement officer belongs to one buying organisation
    return [
        *competition_items(user, now),
        *direct_award_items(user, now),
        *contracts.uk7_due(user.buyer_organisation_id, now),
    ]
