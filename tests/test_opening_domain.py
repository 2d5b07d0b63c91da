"""The rules of opening under dual control, without an app or a database (portal.domain.opening)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from portal.domain.opening import OpeningRequest, confirm_refusal, start_refusal

STARTED = datetime(2026, 11, 13, 9, 0, tzinfo=UTC)
STARTER, COLLEAGUE = 1, 2
REQUEST = OpeningRequest(STARTER, STARTED, 30)


def test_a_colleague_may_confirm_until_the_window_ends_and_not_at_its_end():
    assert REQUEST.confirm_by == STARTED + timedelta(minutes=30)
    assert confirm_refusal(REQUEST, COLLEAGUE, STARTED + timedelta(minutes=29, seconds=59)) is None
    refusal = confirm_refusal(REQUEST, COLLEAGUE, STARTED + timedelta(minutes=30))
    assert refusal is not None and "lapsed at 13 November 2026, 9:30am" in refusal and "started again" in refusal


def test_the_starter_never_confirms_and_nothing_is_confirmed_before_it_is_started():
    refusal = confirm_refusal(REQUEST, STARTER, STARTED)
    assert refusal == "You started this opening, so a different officer must confirm it"
    assert "Nobody has started the opening" in (confirm_refusal(None, COLLEAGUE, STARTED) or "")


def test_a_live_request_blocks_a_second_start_and_a_lapsed_one_does_not():
    assert "already started" in (start_refusal(REQUEST, STARTER, STARTED) or "")
    assert "A colleague has already started" in (start_refusal(REQUEST, COLLEAGUE, STARTED) or "")
    assert start_refusal(REQUEST, COLLEAGUE, STARTED + timedelta(minutes=31)) is None
    assert start_refusal(None, STARTER, STARTED) is None
