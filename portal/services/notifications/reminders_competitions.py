"""The reminders about mini-competitions: the submission deadline (to suppliers), scores due (to evaluators), an
award waiting for approval (to approvers) and the standstill ending (to the buying organisation's officers).

Each function lists the reminders due at `now` (optionally for one competition, read afresh); the sending, once
only and after a re-check, is portal/services/notifications/reminders.py.

The seal: a deadline reminder is computed from one supplier's own bid and goes only to that supplier's users;
nobody on the buying side learns from a reminder whether, or when, anyone bid.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from portal.domain import reminders as rules
from portal.domain.competition_state import CompetitionState
from portal.domain.timefmt import format_date, format_datetime
from portal.domain.working_days import london_date
from portal.extensions import db
from portal.models import Bid, Competition, Lot, User
from portal.services.bids.changes import changed_since
from portal.services.bids.seal import latest_submission
from portal.services.competitions import access
from portal.services.evaluation import overview
from portal.services.notifications import recipients
from portal.services.notifications.links import path_for
from portal.services.notifications.reminders import Due

LONGEST_DEADLINE_WINDOW = max(window.before for window in rules.DEADLINE_WINDOWS)


def _competitions(query: Select, only: int | None) -> list[Competition]:
    if only is not None:
        query = query.where(Competition.id == only)
    query = query.options(joinedload(Competition.lot).joinedload(Lot.framework)).execution_options(
        populate_existing=True
    )
    return list(db.session.scalars(query.order_by(Competition.id)).unique())


def _ref(competition: Competition) -> str:
    return f"competition:{competition.id}"


def _name(competition: Competition) -> str:
    return f"{competition.reference} {competition.title}"


def deadline_reminders(now: datetime, only: int | None = None) -> list[Due]:
    """To each invited supplier that has not declined and has no submitted bid, or has changed its submitted bid
    without submitting it again: three days and one day before the submission deadline."""
    competitions = _competitions(
        select(Competition)
        .options(selectinload(Competition.invitations))
        .where(
            Competition.published_at.is_not(None),
            Competition.cancelled_at.is_(None),
            Competition.submission_deadline_at > now,
            Competition.submission_deadline_at <= now + LONGEST_DEADLINE_WINDOW,
        ),
        only,
    )
    due = []
    for competition in competitions:
        deadline = competition.submission_deadline_at
        window = rules.deadline_window(deadline, now) if deadline else None
        if deadline is None or window is None or access.state(competition, now) is not CompetitionState.PUBLISHED:
            continue
        bids = {
            bid.supplier_id: bid
            for bid in db.session.scalars(
                select(Bid)
                .where(Bid.competition_id == competition.id)
                .options(selectinload(Bid.submissions))
                .execution_options(populate_existing=True)
            )
        }
        for invitation in competition.invitations:
            if invitation.response == "declined":
                continue
            reason = _bid_reason(bids.get(invitation.supplier_id))
            if reason is None:
                continue
            people = recipients.supplier_users([invitation.supplier_id])
            if not people:
                continue
            due.append(
                Due(
                    "reminder_deadline",
                    _ref(competition),
                    rules.deadline_key(window, deadline),
                    tuple(person.id for person in people),
                    f"Submission deadline {_in_words(deadline - now)}: {_name(competition)}",
                    f"The deadline for bids is {format_datetime(deadline)}.\n\n{reason} A bid that is not submitted "
                    "by the deadline cannot be considered.",
                    path_for("bids.competition", competition_id=competition.id),
                )
            )
    return due


def _bid_reason(bid: Bid | None) -> str | None:
    if bid is None or bid.status != "submitted":
        return "Your organisation has not submitted a bid."
    if changed_since(bid, latest_submission(bid)):
        return (
            "Your organisation has changed its bid since submitting it, and the changes count only if you submit "
            "it again."
        )
    return None


def _in_words(remaining: timedelta) -> str:
    if remaining <= timedelta(days=1):
        return "in less than a day"
    return f"in {remaining.days} day{'s' if remaining.days != 1 else ''}"


def scores_due_reminders(now: datetime, only: int | None = None) -> list[Due]:
    """To each panel evaluator with declarations or scores still to enter, before the planned evaluation date."""
    today = london_date(now)
    competitions = _competitions(
        select(Competition).where(
            Competition.evaluation_started_at.is_not(None),
            Competition.moderated_at.is_(None),
            Competition.cancelled_at.is_(None),
            Competition.planned_evaluation_on.is_not(None),
        ),
        only,
    )
    due = []
    for competition in competitions:
        planned = competition.planned_evaluation_on
        if planned is None or access.state(competition, now) is not CompetitionState.IN_EVALUATION:
            continue
        window = rules.scores_due_window(planned, today, competition.lot.framework.bank_holiday_region)
        if window is None:
            continue
        outstanding = [person for person in recipients.panel(competition.id) if _has_outstanding(person, competition)]
        if outstanding:
            due.append(
                Due(
                    "reminder_scores_due",
                    _ref(competition),
                    rules.date_key(window, planned),
                    tuple(person.id for person in outstanding),
                    f"Scores due {'today' if window == 'day' and today == planned else 'by ' + format_date(planned)}: "
                    f"{_name(competition)}",
                    f"The evaluation is planned to finish on {format_date(planned)}.\n\nYou still have conflict of "
                    "interest declarations or scores to enter.",
                    path_for("evaluation.scoring", competition_id=competition.id),
                )
            )
    return due


def _has_outstanding(person: User, competition: Competition) -> bool:
    total, done = overview._evaluator_progress(person, competition)
    return done < total


def approval_reminders(now: datetime, only: int | None = None) -> list[Due]:
    """To the organisation's approvers (not the recommender) when an award has waited more than two working days."""
    today = london_date(now)
    competitions = _competitions(
        select(Competition).where(
            Competition.recommended_at.is_not(None),
            Competition.approved_at.is_(None),
            Competition.cancelled_at.is_(None),
        ),
        only,
    )
    due = []
    for competition in competitions:
        asked = competition.recommended_at
        region = competition.lot.framework.bank_holiday_region
        if asked is None or not rules.approval_overdue(london_date(asked), today, region):
            continue
        if access.state(competition, now) is not CompetitionState.AWARD_RECOMMENDED:
            continue
        people = [
            p for p in recipients.approvers(competition.buyer_organisation_id) if p.id != competition.recommended_by_id
        ]
        if people:
            due.append(
                Due(
                    "reminder_approval_waiting",
                    _ref(competition),
                    rules.instant_key("asked", asked),
                    tuple(person.id for person in people),
                    f"An award has waited for approval since {format_date(asked)}: {_name(competition)}",
                    f"The award was recommended on {format_datetime(asked)} and is waiting for an approver.",
                    path_for("evaluation.approve", competition_id=competition.id),
                )
            )
    return due


def standstill_reminders(now: datetime, only: int | None = None) -> list[Due]:
    """To the organisation's procurement officers in the last day of a standstill period."""
    competitions = _competitions(
        select(Competition).where(
            Competition.standstill_ends_at > now,
            Competition.standstill_ends_at <= now + rules.STANDSTILL_NOTICE,
            Competition.awarded_at.is_(None),
            Competition.cancelled_at.is_(None),
        ),
        only,
    )
    due = []
    for competition in competitions:
        ends = competition.standstill_ends_at
        if ends is None or not rules.standstill_ending(ends, now):
            continue
        people = recipients.procurement_officers(competition.buyer_organisation_id)
        if people:
            due.append(
                Due(
                    "reminder_standstill_ending",
                    _ref(competition),
                    rules.instant_key("ends", ends),
                    tuple(person.id for person in people),
                    f"Standstill ends {format_datetime(ends)}: {_name(competition)}",
                    f"The standstill period ends at {format_datetime(ends)}. After that the contract award can be "
                    "confirmed, unless a challenge has been made.",
                    path_for("evaluation.competition", competition_id=competition.id),
                )
            )
    return due
