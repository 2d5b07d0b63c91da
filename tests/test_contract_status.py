"""A contract's status is derived from its dates and events on a London calendar day."""

from __future__ import annotations

from datetime import date

import pytest

from portal.domain.contract_status import ContractStatus, parse, status_on

START, END = date(2026, 4, 1), date(2028, 3, 31)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 3, 31), ContractStatus.NOT_STARTED),
        (START, ContractStatus.ACTIVE),
        (date(2027, 9, 30), ContractStatus.ACTIVE),  # six months and a day before the end
        (date(2027, 10, 1), ContractStatus.ENDING_SOON),  # the end is now within six months
        (END, ContractStatus.ENDING_SOON),  # the last day is still in the term
        (date(2028, 4, 1), ContractStatus.ENDED),
    ],
)
def test_status_follows_the_dates(today, expected):
    assert status_on(today, START, END) is expected


def test_a_termination_wins_from_the_day_it_takes_effect():
    assert status_on(date(2026, 6, 1), START, END, terminated_on=date(2026, 6, 2)) is ContractStatus.ACTIVE
    assert status_on(date(2026, 6, 2), START, END, terminated_on=date(2026, 6, 2)) is ContractStatus.TERMINATED
    assert status_on(date(2029, 1, 1), START, END, terminated_on=date(2026, 6, 2)) is ContractStatus.TERMINATED


def test_no_agreed_start_is_not_started_and_no_end_stays_active():
    assert status_on(date(2026, 6, 1), None, None) is ContractStatus.NOT_STARTED
    assert status_on(date(2030, 6, 1), START, None) is ContractStatus.ACTIVE


def test_labels_and_filter_values():
    assert [s.label for s in ContractStatus] == [
        "Not started", "Active", "Ending within 6 months", "Ended", "Terminated",
    ]  # fmt: skip
    assert parse("ending_soon") is ContractStatus.ENDING_SOON
    assert parse("nonsense") is None
    assert all(s.tag_class.startswith("govuk-tag--") for s in ContractStatus)


def test_vat_at_the_standard_rate_rounds_half_up():
    from portal.domain.money import vat_pence

    assert vat_pence(100_000) == 20_000
    assert vat_pence(3) == 1  # 0.6p rounds up
    assert vat_pence(2) == 0  # 0.4p rounds down
