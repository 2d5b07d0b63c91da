"""The pure rules of the work queue: urgency, wording, order and working-day age (portal/domain/work_queue.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from portal.domain import work_queue as rules
from portal.domain.work_queue import Urgency

# 10:00 UTC on Monday 7 December 2026 (GMT, so 10:00 in London too).
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def test_urgency_by_due_day_in_london():
    assert rules.urgency_of(None, NOW) is Urgency.NONE
    assert rules.urgency_of(date(2026, 12, 6), NOW) is Urgency.OVERDUE
    assert rules.urgency_of(date(2026, 12, 7), NOW) is Urgency.TODAY
    assert rules.urgency_of(date(2026, 12, 8), NOW) is Urgency.SOON
    assert rules.urgency_of(date(2026, 12, 14), NOW) is Urgency.SOON  # seven days ahead
    assert rules.urgency_of(date(2026, 12, 15), NOW) is Urgency.LATER


def test_a_deadline_earlier_today_is_overdue_and_one_later_today_is_due_today():
    assert rules.urgency_of(datetime(2026, 12, 7, 9, 0, tzinfo=UTC), NOW) is Urgency.OVERDUE
    assert rules.due_wording(datetime(2026, 12, 7, 9, 0, tzinfo=UTC), NOW) == "Overdue"
    assert rules.urgency_of(datetime(2026, 12, 7, 17, 0, tzinfo=UTC), NOW) is Urgency.TODAY
    assert rules.due_wording(datetime(2026, 12, 7, 17, 0, tzinfo=UTC), NOW) == "Due today"


def test_a_utc_instant_counts_on_its_london_day():
    summer_now = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    # 23:30 UTC on 1 July is 00:30 on 2 July in London (BST): tomorrow, not today.
    assert rules.due_wording(datetime(2026, 7, 1, 23, 30, tzinfo=UTC), summer_now) == "Due tomorrow"


def test_wording():
    assert rules.due_wording(None, NOW) == ""
    assert rules.due_wording(date(2026, 12, 4), NOW) == "Overdue by 3 days"
    assert rules.due_wording(date(2026, 12, 6), NOW) == "Overdue by 1 day"
    assert rules.due_wording(date(2026, 12, 7), NOW) == "Due today"
    assert rules.due_wording(date(2026, 12, 8), NOW) == "Due tomorrow"
    assert rules.due_wording(date(2026, 12, 12), NOW) == "Due in 5 days"


@dataclass(frozen=True)
class Row:
    title: str
    due_at: date | datetime | None
    urgency: Urgency


def _row(title: str, due: date | datetime | None, urgency: Urgency | None = None) -> Row:
    return Row(title, due, urgency or rules.urgency_of(due, NOW))


def test_order_is_by_due_date_then_title_and_undated_last():
    rows = [
        _row("b undated", None),
        _row("later", date(2027, 1, 30)),
        _row("a undated", None),
        _row("deadline tomorrow 9am", datetime(2026, 12, 8, 9, 0, tzinfo=UTC)),
        _row("planned tomorrow", date(2026, 12, 8)),  # the end of the London day: after 9am that day
        _row("overdue", date(2026, 12, 1)),
    ]
    assert [r.title for r in rules.in_order(rows)] == [
        "overdue",
        "deadline tomorrow 9am",
        "planned tomorrow",
        "later",
        "a undated",
        "b undated",
    ]


def test_an_undated_item_made_urgent_comes_with_the_overdue_ones():
    rows = [_row("dated", date(2026, 12, 20)), _row("old approval", None, Urgency.OVERDUE)]
    assert [r.title for r in rules.in_order(rows)] == ["old approval", "dated"]


def test_working_days_waiting_skip_weekends_and_bank_holidays():
    friday = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    assert rules.working_days_waiting(friday, NOW, "england-and-wales") == 1  # Monday only
    assert rules.working_days_waiting(NOW, NOW, "england-and-wales") == 0
    # 24 December 2026 (Thursday) to 29 December (Tuesday): Christmas (Fri 25) and Boxing Day (substitute Mon 28)
    # are bank holidays, so only Tuesday counts.
    assert (
        rules.working_days_waiting(
            datetime(2026, 12, 24, 12, tzinfo=UTC), datetime(2026, 12, 29, 12, tzinfo=UTC), "england-and-wales"
        )
        == 1
    )
    # St Andrew's Day (Monday 30 November 2026) is a bank holiday in Scotland only.
    start, end = datetime(2026, 11, 27, 12, tzinfo=UTC), datetime(2026, 12, 1, 12, tzinfo=UTC)
    assert rules.working_days_waiting(start, end, "england-and-wales") == 2
    assert rules.working_days_waiting(start, end, "scotland") == 1


def test_region_defaults_to_england_and_wales():
    assert rules.region_of("") is rules.Region.ENGLAND_AND_WALES
    assert rules.region_of("South East") is rules.Region.ENGLAND_AND_WALES
    assert rules.region_of("scotland") is rules.Region.SCOTLAND


def test_age_and_count_wording():
    assert rules.age_wording(0) == "Waiting since today"
    assert rules.age_wording(1) == "Waiting 1 working day"
    assert rules.age_wording(4) == "Waiting 4 working days"
    assert rules.count_wording(1, "score") == "1 score"
    assert rules.count_wording(3, "score") == "3 scores"


def test_tag_colours_differ_by_urgency():
    assert Urgency.OVERDUE.tag_class == "govuk-tag--red"
    assert len({u.tag_class for u in Urgency}) == len(Urgency)
