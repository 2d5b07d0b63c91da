"""Opening the bids under dual control: one officer starts the opening, a different officer confirms it within a
time window, and only then are the bids opened (lifecycle OPEN_BIDS). A started opening that nobody confirms in
time lapses and must be started again; cancelling it is always possible until it is confirmed.

Pure rules: no Flask, no SQLAlchemy. The services in portal.services.evaluation.opening apply them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from portal.domain.timefmt import format_datetime


@dataclass(frozen=True)
class OpeningRequest:
    """A started opening: who started it, when, and until when a colleague may confirm it."""

    started_by_id: int
    started_at: datetime
    window_minutes: int

    @property
    def confirm_by(self) -> datetime:
        return self.started_at + timedelta(minutes=self.window_minutes)

    def lapsed(self, now: datetime) -> bool:
        return now >= self.confirm_by


def start_refusal(request: OpeningRequest | None, user_id: int, now: datetime) -> str | None:
    """Why `user_id` cannot start an opening now because one is already waiting (a lapsed one may be replaced)."""
    if request is None or request.lapsed(now):
        return None
    if request.started_by_id == user_id:
        ends = format_datetime(request.confirm_by)
        return f"You have already started the opening: a colleague can confirm it until {ends}"
    return "A colleague has already started the opening: confirm it or cancel it"


def confirm_refusal(request: OpeningRequest | None, user_id: int, now: datetime) -> str | None:
    """Why `user_id` cannot confirm the opening now, or None."""
    if request is None:
        return "Nobody has started the opening of the bids: an officer must start it before a colleague confirms it"
    if request.lapsed(now):
        return (
            f"The request to open the bids lapsed at {format_datetime(request.confirm_by)} because nobody confirmed it"
            " in time: it must be started again"
        )
    if request.started_by_id == user_id:
        return "You started this opening, so a different officer must confirm it"
    return None
