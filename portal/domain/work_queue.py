"""Rules for a home page work queue: how urgent a due date is, how it reads, the order, and a waiting item's age.

Pure: no Flask, no database. A due moment is an aware UTC datetime (a deadline to the minute) or a date (a planned
day, an expiry); both are judged by their Europe/London day, as every date the portal shows is.

- Urgency: OVERDUE once the due day has gone (a datetime also once its instant has passed), TODAY on the day,
  SOON within SOON_DAYS days, LATER beyond, NONE without a due date.
- Wording: "Overdue by 3 days", "Overdue" (earlier today), "Due today", "Due tomorrow", "Due in 5 days".
- Order: by urgency, then due moment (a date counts as the end of its London day), then title, so dated items
  list soonest first, undated ones after them unless given an urgency (an approval waiting long), and the same
  work always lists in the same order.
- Age: working days since something started waiting (an approval), counted in the organisation's bank-holiday
  region; the day it started is not counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Protocol, TypeVar

from portal.domain.timefmt import london
from portal.domain.working_days import Region, end_of_london_day, is_working_day

SOON_DAYS = 7
DEFAULT_REGION = Region.ENGLAND_AND_WALES


class Urgency(StrEnum):
    OVERDUE = "overdue"
    TODAY = "today"
    SOON = "soon"
    LATER = "later"
    NONE = "none"

    @property
    def tag_class(self) -> str:
        """The GOV.UK tag colour for this urgency."""
        return TAG_CLASSES[self]


TAG_CLASSES = {
    Urgency.OVERDUE: "govuk-tag--red",
    Urgency.TODAY: "govuk-tag--orange",
    Urgency.SOON: "govuk-tag--yellow",
    Urgency.LATER: "govuk-tag--blue",
    Urgency.NONE: "govuk-tag--grey",
}

Due = date | datetime | None


def due_day(due: date | datetime) -> date:
    """The London day a due moment falls on."""
    return london(due).date() if isinstance(due, datetime) else due


def due_instant(due: date | datetime) -> datetime:
    """The instant a due moment runs out: a datetime itself, a date at the end of its London day."""
    return due if isinstance(due, datetime) else end_of_london_day(due)


def days_until(due: date | datetime, now: datetime) -> int:
    """Whole London days from today to the due day (negative once past)."""
    return (due_day(due) - london(now).date()).days


def urgency_of(due: Due, now: datetime) -> Urgency:
    if due is None:
        return Urgency.NONE
    days = days_until(due, now)
    if days < 0 or (isinstance(due, datetime) and now >= due):
        return Urgency.OVERDUE
    if days == 0:
        return Urgency.TODAY
    return Urgency.SOON if days <= SOON_DAYS else Urgency.LATER


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def due_wording(due: Due, now: datetime) -> str:
    """How the due date reads next to the item ("" without one)."""
    if due is None:
        return ""
    days = days_until(due, now)
    if days < 0:
        return f"Overdue by {_plural(-days, 'day')}"
    if urgency_of(due, now) is Urgency.OVERDUE:
        return "Overdue"
    if days == 0:
        return "Due today"
    if days == 1:
        return "Due tomorrow"
    return f"Due in {_plural(days, 'day')}"


class HasDue(Protocol):
    @property
    def due_at(self) -> Due: ...

    @property
    def urgency(self) -> Urgency: ...

    @property
    def title(self) -> str: ...


T = TypeVar("T", bound=HasDue)
RANK = {urgency: rank for rank, urgency in enumerate(Urgency)}  # OVERDUE first, NONE last
NEVER = datetime.max.replace(tzinfo=UTC)


def sort_key(due: Due, urgency: Urgency, title: str) -> tuple[int, datetime, str]:
    """Most urgent first, then soonest due: for dated items that is their due order; an undated item made urgent
    (an approval waiting too long) comes with the overdue ones, the others after every dated item."""
    return (RANK[urgency], NEVER if due is None else due_instant(due), title)


def in_order(items: Iterable[T]) -> list[T]:
    return sorted(items, key=lambda item: sort_key(item.due_at, item.urgency, item.title))


def region_of(value: str | None) -> Region:
    """The organisation's bank-holiday region; England and Wales when it names none the calendar knows."""
    try:
        return Region(value or DEFAULT_REGION)
    except ValueError:
        return DEFAULT_REGION


def working_days_between(start: date, end: date, region: str | Region) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, region):
            count += 1
    return count


def working_days_waiting(since: datetime, now: datetime, region: str | Region) -> int:
    """Working days something has waited since `since` (the day it started not counted)."""
    return working_days_between(london(since).date(), london(now).date(), region)


def age_wording(days: int) -> str:
    if days == 0:
        return "Waiting since today"
    return f"Waiting {_plural(days, 'working day')}"


def count_wording(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"
