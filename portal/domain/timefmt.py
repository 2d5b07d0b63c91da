"""Times are stored in UTC and shown in Europe/London."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def london(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LONDON)


def _parsed(value: str) -> date | datetime:
    """An ISO 8601 date or timestamp, as documents carry them in their JSON data."""
    return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)


def format_datetime(value: datetime | str | None) -> str:
    """'22 November 2026, 2:05pm' in London time."""
    if not value:
        return ""
    moment = _parsed(value) if isinstance(value, str) else value
    if not isinstance(moment, datetime):
        raise TypeError(f"a date and time is needed, not the date {moment}")
    local = london(moment)
    # GOV.UK style: "midday" and "midnight", never 12am/12pm; a period ending at 00:00 ends with the day before.
    exact = (local.second, local.microsecond) == (0, 0)  # set times (deadlines, period ends), not events
    if exact and (local.hour, local.minute) == (0, 0):
        previous = local.date() - timedelta(days=1)
        return f"midnight at the end of {previous.day} {previous:%B %Y}"
    if exact and (local.hour, local.minute) == (12, 0):
        return f"{local.day} {local:%B %Y}, midday"
    hour = local.strftime("%I").lstrip("0") or "12"
    return f"{local.day} {local:%B %Y}, {hour}:{local:%M}{local.strftime('%p').lower()}"


def format_date(value: date | datetime | str | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = _parsed(value)
    if isinstance(value, datetime):
        value = london(value).date()
    return f"{value.day} {value:%B %Y}"


def today_london() -> date:
    return datetime.now(LONDON).date()
