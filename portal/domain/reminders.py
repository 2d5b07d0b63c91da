"""When a reminder is due: pure window rules over a deadline, a planned date or a waiting time.

A reminder is computed from state each time the reminders run (every few minutes), and sent once per recipient,
object and window (portal/models/notification.py, SentReminder). Each rule answers "which window is due now?";
the window's key names the date it was computed against, so a moved date (an extended deadline, a renewed
accreditation, a re-planned evaluation) earns fresh reminders instead of being silenced by the old ones.

Rules
    Submission deadline: "3d" from three days before the deadline, "1d" from one day before, until the deadline.
        When both are due (the reminders first run inside the last day) only the nearer one, "1d", is sent.
    Scores due: "2wd" from the second working day before the planned evaluation date, "day" on it and after
        (scores still outstanding once the planned day has come are worth one more reminder, not one a day).
    Approval waiting: due once more than two working days have passed since the day of the recommendation.
    Standstill ending: due in the last 24 hours before the standstill ends.
    Accreditation expiring: "60d" from 60 days before it expires, "30d" from 30 days before, up to the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from portal.domain.working_days import Region, is_working_day


@dataclass(frozen=True)
class Window:
    label: str
    before: timedelta


DEADLINE_WINDOWS = (Window("3d", timedelta(days=3)), Window("1d", timedelta(days=1)))
ACCREDITATION_WINDOWS = (Window("60d", timedelta(days=60)), Window("30d", timedelta(days=30)))
SCORES_DUE_WORKING_DAYS_BEFORE = 2
APPROVAL_WAITING_WORKING_DAYS = 2
STANDSTILL_NOTICE = timedelta(days=1)


def nearest_window(remaining: timedelta, windows: tuple[Window, ...]) -> str | None:
    """The label of the narrowest window that `remaining` falls in (remaining must not be negative), or None."""
    due = [window for window in windows if remaining <= window.before]
    return min(due, key=lambda window: window.before).label if due else None


def deadline_window(deadline: datetime, now: datetime) -> str | None:
    """Which submission-deadline window is due at `now`, if any (none once the deadline has passed)."""
    if now >= deadline:
        return None
    return nearest_window(deadline - now, DEADLINE_WINDOWS)


def deadline_key(label: str, deadline: datetime) -> str:
    """The window's key, naming the deadline itself: an extended deadline earns its own reminders."""
    return f"{label}@{deadline.astimezone(UTC).strftime('%Y-%m-%dT%H:%MZ')}"


def working_days_before(day: date, n: int, region: str | Region) -> date:
    """The n-th working day before `day` (day itself never counted); n must be 0 or more."""
    if n < 0:
        raise ValueError("n must be 0 or more")
    while n:
        day -= timedelta(days=1)
        if is_working_day(day, region):
            n -= 1
    return day


def working_days_between(start_on: date, end_on: date, region: str | Region) -> int:
    """How many working days after `start_on` up to and including `end_on` (0 when end_on is not later)."""
    count = 0
    day = start_on
    while day < end_on:
        day += timedelta(days=1)
        if is_working_day(day, region):
            count += 1
    return count


def scores_due_window(planned_on: date, today: date, region: str | Region) -> str | None:
    """Which scores-due window is due on `today` (a London date) for an evaluation planned for `planned_on`."""
    if today >= planned_on:
        return "day"
    if today >= working_days_before(planned_on, SCORES_DUE_WORKING_DAYS_BEFORE, region):
        return "2wd"
    return None


def approval_overdue(recommended_on: date, today: date, region: str | Region) -> bool:
    """Whether an approval has waited more than two working days since the day it was asked for."""
    return working_days_between(recommended_on, today, region) > APPROVAL_WAITING_WORKING_DAYS


def standstill_ending(ends_at: datetime, now: datetime) -> bool:
    """Whether the standstill ends within the next day (and has not ended yet)."""
    return ends_at - STANDSTILL_NOTICE <= now < ends_at


def accreditation_window(expires_on: date, today: date) -> str | None:
    """Which accreditation-expiry window is due on `today`; none once it has expired."""
    if today > expires_on:
        return None
    return nearest_window(expires_on - today, ACCREDITATION_WINDOWS)


def date_key(label: str, day: date) -> str:
    return f"{label}@{day.isoformat()}"


def instant_key(label: str, instant: datetime) -> str:
    return f"{label}@{instant.astimezone(UTC).strftime('%Y-%m-%dT%H:%MZ')}"
