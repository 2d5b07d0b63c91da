"""Reminders computed from state: find what is due now and send each reminder once.

    summary = reminders.send_due()          # `flask reminders send-due`, or the RQ job (portal/jobs.py)

Each source (reminders_competitions.py, reminders_others.py) answers one question, "which reminders are due
now?", optionally for one object only; the answer is a list of `Due` (kind, object, window, recipients, text). For
each recipient of each due reminder not yet in SentReminder this module, in one transaction per reminder:

1. inserts the SentReminder row first, as the first write of the reminder's own transaction. Two runs at once
   (cron overlapping a slow run, two RQ workers) both try; the unique constraint lets one win (on PostgreSQL the
   second insert waits for the first transaction) and the other gets an IntegrityError, rolls back its claim and
   moves on, so nobody is reminded twice;
2. asks the source again about that one object, with its rows read afresh, so nothing is sent about something
   that moved on since it was found (a bid submitted, a competition cancelled, the scores entered, the award
   approved): then the claim is rolled back too, so a later change back (a draft changed again) still reminds;
3. calls notify() and commits the claim, the notification and its e-mail together.

Running it again, or twice at once, sends nothing more. Contract and option ending reminders wait for contract
management (a later issue).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import SentReminder, User
from portal.models.base import utcnow
from portal.services.mail import outbox
from portal.services.notifications import notify

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    kind: str
    object_ref: str  # "competition:12"
    window: str  # "3d@2026-03-10T12:00Z"
    recipients: tuple[int, ...]  # user ids
    subject: str
    body: str
    link: str = ""


# A source lists the reminders due at `now`; given an object id, only that object's (read afresh).
Source = Callable[[datetime, int | None], list[Due]]


@dataclass
class Summary:
    sent: int = 0
    already_sent: int = 0
    moved_on: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        kinds = ", ".join(f"{key} {count}" for key, count in sorted(self.by_kind.items())) or "none"
        return (
            f"Reminders: {self.sent} sent ({kinds}); {self.already_sent} already sent by another run; "
            f"{self.moved_on} no longer due"
        )


def sources() -> list[tuple[str, Source]]:
    from portal.services.notifications import reminders_competitions as competitions
    from portal.services.notifications import reminders_others as others

    return [
        ("competition", competitions.deadline_reminders),
        ("competition", competitions.scores_due_reminders),
        ("competition", competitions.approval_reminders),
        ("competition", competitions.standstill_reminders),
        ("direct_award", others.direct_award_approval_reminders),
        ("direct_award", others.direct_award_standstill_reminders),
        ("accreditation", others.accreditation_reminders),
    ]


def find_due(now: datetime | None = None) -> list[tuple[Source, Due]]:
    """Every reminder due at `now`, with the source that found it (to ask again before sending)."""
    now = now or utcnow()
    return [(source, due) for _, source in sources() for due in source(now, None)]


def send_due(now: datetime | None = None) -> Summary:
    """Send every reminder due at `now` that has not been sent; safe to run again and to run twice at once."""
    now = now or utcnow()
    summary = deliver(find_due(now), now)
    # Hand the e-mails to SMTP now, not when the app context ends (an RQ worker's lasts as long as the worker).
    outbox.deliver_committed()
    return summary


def deliver(found: list[tuple[Source, Due]], now: datetime) -> Summary:
    """Send each found reminder to each recipient once (see the module docstring for the three steps)."""
    summary = Summary()
    for source, due in found:
        for user_id in due.recipients:
            if _already_sent(due, user_id):
                continue
            outcome = _send_one(source, due, user_id, now)
            if outcome == "sent":
                summary.sent += 1
                summary.by_kind[due.kind] = summary.by_kind.get(due.kind, 0) + 1
            elif outcome == "claimed":
                summary.already_sent += 1
            else:
                summary.moved_on += 1
    return summary


def _already_sent(due: Due, user_id: int) -> bool:
    return (
        db.session.scalar(
            select(SentReminder.id).where(
                SentReminder.kind == due.kind,
                SentReminder.object_ref == due.object_ref,
                SentReminder.user_id == user_id,
                SentReminder.window == due.window,
            )
        )
        is not None
    )


def _send_one(source: Source, due: Due, user_id: int, now: datetime) -> str:
    claim = SentReminder(kind=due.kind, object_ref=due.object_ref, user_id=user_id, window=due.window, sent_at=now)
    # The claim is the first write of its own transaction (each reminder commits on its own), so rolling the
    # transaction back releases exactly the claim, as a savepoint would. No SAVEPOINT: SQLite's driver begins a
    # transaction lazily, and an outermost savepoint's release would commit the claim before the re-check.
    db.session.add(claim)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()  # another run claimed it first (and sends it)
        return "claimed"
    current = _still_due(source, due, user_id, now)
    user = db.session.get(User, user_id)
    if current is None or user is None or not user.active:
        db.session.rollback()  # moved on: release the claim, nothing sent
        return "moved_on"
    try:
        notify([user], current.kind, current.subject, current.body, link=current.link)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("reminder %s %s for user %s could not be sent", due.kind, due.object_ref, user_id)
        return "moved_on"
    return "sent"


def _still_due(source: Source, due: Due, user_id: int, now: datetime) -> Due | None:
    object_id = int(due.object_ref.rsplit(":", 1)[1])
    for again in source(now, object_id):
        same = (again.kind, again.object_ref, again.window) == (due.kind, due.object_ref, due.window)
        if same and user_id in again.recipients:
            return again
    return None
