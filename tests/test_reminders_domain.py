"""The reminder window rules (portal/domain/reminders.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from portal.domain import reminders as rules

DEADLINE = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
EW = "england-and-wales"


def test_deadline_windows():
    assert rules.deadline_window(DEADLINE, DEADLINE - timedelta(days=4)) is None
    assert rules.deadline_window(DEADLINE, DEADLINE - timedelta(days=3)) == "3d"
    assert rules.deadline_window(DEADLINE, DEADLINE - timedelta(days=1, seconds=1)) == "3d"
    assert rules.deadline_window(DEADLINE, DEADLINE - timedelta(days=1)) == "1d"  # both due: only the nearer
    assert rules.deadline_window(DEADLINE, DEADLINE - timedelta(minutes=1)) == "1d"
    assert rules.deadline_window(DEADLINE, DEADLINE) is None
    assert rules.deadline_window(DEADLINE, DEADLINE + timedelta(days=1)) is None


def test_deadline_key_names_the_deadline_so_an_extension_earns_fresh_reminders():
    assert rules.deadline_key("3d", DEADLINE) == "3d@2026-03-20T12:00Z"
    assert rules.deadline_key("3d", DEADLINE + timedelta(days=2)) != rules.deadline_key("3d", DEADLINE)
    assert len(rules.deadline_key("1d", DEADLINE)) <= 60  # fits SentReminder.window


def test_working_days_before_and_between_skip_weekends_and_bank_holidays():
    # Good Friday 3 April 2026 and Easter Monday 6 April 2026 are bank holidays in England and Wales.
    assert rules.working_days_before(date(2026, 4, 7), 2, EW) == date(2026, 4, 1)
    assert rules.working_days_before(date(2026, 3, 18), 0, EW) == date(2026, 3, 18)
    assert rules.working_days_between(date(2026, 4, 2), date(2026, 4, 7), EW) == 1
    assert rules.working_days_between(date(2026, 4, 7), date(2026, 4, 2), EW) == 0


def test_scores_due_windows():
    planned = date(2026, 3, 18)  # a Wednesday
    assert rules.scores_due_window(planned, date(2026, 3, 13), EW) is None
    assert rules.scores_due_window(planned, date(2026, 3, 16), EW) == "2wd"  # Monday: two working days before
    assert rules.scores_due_window(planned, date(2026, 3, 17), EW) == "2wd"
    assert rules.scores_due_window(planned, planned, EW) == "day"
    assert rules.scores_due_window(planned, date(2026, 3, 25), EW) == "day"
    assert rules.scores_due_window(date(2026, 3, 16), date(2026, 3, 12), EW) == "2wd"  # Thursday before a Monday


def test_approval_overdue_after_more_than_two_working_days():
    monday = date(2026, 3, 16)
    assert not rules.approval_overdue(monday, date(2026, 3, 18), EW)  # two working days
    assert rules.approval_overdue(monday, date(2026, 3, 19), EW)
    friday = date(2026, 3, 13)
    assert not rules.approval_overdue(friday, date(2026, 3, 17), EW)  # Monday, Tuesday
    assert rules.approval_overdue(friday, date(2026, 3, 18), EW)


def test_standstill_ending_in_the_last_day():
    ends = datetime(2026, 3, 21, 0, 0, tzinfo=UTC)
    assert not rules.standstill_ending(ends, ends - timedelta(days=1, seconds=1))
    assert rules.standstill_ending(ends, ends - timedelta(days=1))
    assert rules.standstill_ending(ends, ends - timedelta(seconds=1))
    assert not rules.standstill_ending(ends, ends)


def test_accreditation_windows():
    expires = date(2026, 6, 30)
    assert rules.accreditation_window(expires, expires - timedelta(days=61)) is None
    assert rules.accreditation_window(expires, expires - timedelta(days=60)) == "60d"
    assert rules.accreditation_window(expires, expires - timedelta(days=31)) == "60d"
    assert rules.accreditation_window(expires, expires - timedelta(days=30)) == "30d"
    assert rules.accreditation_window(expires, expires) == "30d"
    assert rules.accreditation_window(expires, expires + timedelta(days=1)) is None
    assert rules.date_key("60d", expires) == "60d@2026-06-30"
