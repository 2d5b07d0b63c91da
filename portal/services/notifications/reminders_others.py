"""The reminders about direct awards (waiting for approval, standstill ending) and suppliers' accreditations
(expiring in 60 and 30 days). Sending, once only and after a re-check, is reminders.py."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.domain import reminders as rules
from portal.domain.timefmt import format_date, format_datetime
from portal.domain.working_days import london_date
from portal.extensions import db
from portal.models import Accreditation, DirectAward, Lot
from portal.services.notifications import recipients
from portal.services.notifications.links import path_for
from portal.services.notifications.reminders import Due

LONGEST_ACCREDITATION_WINDOW = max(window.before for window in rules.ACCREDITATION_WINDOWS)


def _direct_awards(only: int | None, *conditions) -> list[DirectAward]:
    query = (
        select(DirectAward)
        .where(DirectAward.cancelled_at.is_(None), *conditions)
        .options(joinedload(DirectAward.lot).joinedload(Lot.framework))
        .execution_options(populate_existing=True)
        .order_by(DirectAward.id)
    )
    if only is not None:
        query = query.where(DirectAward.id == only)
    return list(db.session.scalars(query).unique())


def direct_award_approval_reminders(now: datetime, only: int | None = None) -> list[Due]:
    """To the organisation's approvers (not the recommender) when a direct award has waited more than two working
    days for approval."""
    today = london_date(now)
    due = []
    for award in _direct_awards(only, DirectAward.recommended_at.is_not(None), DirectAward.approved_at.is_(None)):
        asked = award.recommended_at
        if asked is None or not rules.approval_overdue(
            london_date(asked), today, award.lot.framework.bank_holiday_region
        ):
            continue
        people = [p for p in recipients.approvers(award.buyer_organisation_id) if p.id != award.recommended_by_id]
        if people:
            due.append(
                Due(
                    "reminder_approval_waiting",
                    f"direct_award:{award.id}",
                    rules.instant_key("asked", asked),
                    tuple(person.id for person in people),
                    f"A direct award has waited for approval since {format_date(asked)}: {award.reference} "
                    f"{award.title}",
                    f"The direct award was recommended on {format_datetime(asked)} and is waiting for an approver.",
                    path_for("direct_awards.approve", direct_award_id=award.id),
                )
            )
    return due


def direct_award_standstill_reminders(now: datetime, only: int | None = None) -> list[Due]:
    """To the organisation's procurement officers in the last day of a direct award's standstill period."""
    due = []
    for award in _direct_awards(
        only,
        DirectAward.standstill_ends_at > now,
        DirectAward.standstill_ends_at <= now + rules.STANDSTILL_NOTICE,
    ):
        ends = award.standstill_ends_at
        if ends is None or not rules.standstill_ending(ends, now):
            continue
        people = recipients.procurement_officers(award.buyer_organisation_id)
        if people:
            due.append(
                Due(
                    "reminder_standstill_ending",
                    f"direct_award:{award.id}",
                    rules.instant_key("ends", ends),
                    tuple(person.id for person in people),
                    f"Standstill ends {format_datetime(ends)}: {award.reference} {award.title}",
                    f"The standstill period of the direct award ends at {format_datetime(ends)}.",
                    path_for("direct_awards.show", direct_award_id=award.id),
                )
            )
    return due


def accreditation_reminders(now: datetime, only: int | None = None) -> list[Due]:
    """To the supplier's users 60 and 30 days before one of its accreditations expires (a renewed one, with a
    later expiry date, earns its own reminders)."""
    today = london_date(now)
    query = (
        select(Accreditation)
        .where(
            Accreditation.expires_on >= today,
            Accreditation.expires_on <= today + timedelta(days=LONGEST_ACCREDITATION_WINDOW.days),
        )
        .execution_options(populate_existing=True)
        .order_by(Accreditation.id)
    )
    if only is not None:
        query = query.where(Accreditation.id == only)
    due = []
    for accreditation in db.session.scalars(query):
        expires = accreditation.expires_on
        window = rules.accreditation_window(expires, today) if expires else None
        if expires is None or window is None:
            continue
        people = recipients.supplier_users([accreditation.supplier_id])
        if people:
            due.append(
                Due(
                    "reminder_accreditation_expiring",
                    f"accreditation:{accreditation.id}",
                    rules.date_key(window, expires),
                    tuple(person.id for person in people),
                    f"Accreditation expiring on {format_date(expires)}: {accreditation.scheme}",
                    f"Your organisation's {accreditation.scheme} accreditation expires on {format_date(expires)}.\n\n"
                    "Renew it and update its expiry date on your profile, so buyers' searches still find you.",
                    path_for("supplier.edit_accreditation", accreditation_id=accreditation.id),
                )
            )
    return due
