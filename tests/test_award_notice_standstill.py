"""The Act's standstill begins with the day the contract award notice (UK6) is published; the buyer chooses whether a
voluntary one applies (PA 2023 s.51(3)); no contract is entered into before the UK6 and the standstill (s.50, s.51).
PCR 2015 call-offs keep their voluntary standstill from approval and the letters (services/notices/standstill.py).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from portal.domain import notices as build
from portal.domain.working_days import standstill_end
from portal.extensions import db
from portal.models import AuditEvent
from portal.models.base import utcnow
from portal.services.contracts import call_offs
from portal.services.direct_awards import decisions
from portal.services.errors import ConflictError
from portal.services.evaluation import award, summaries
from portal.services.notices import lifecycle
from tests.contract_support import approved_direct_award, awarded_competition, publish_award_notice

UK_WORKED_EXAMPLE = datetime(2026, 3, 10, 11, 0, tzinfo=UTC)  # Tuesday 10 March 2026, 11:00 London


def _refusal(world) -> str | None:
    return call_offs.for_officer(world.buyer, world.kind, world.id).signing_refusal()


def test_a_pa_competitions_standstill_waits_for_the_uk6_and_counts_from_its_publication():
    world = awarded_competition(confirm=False, ready_to_sign=True)
    competition = world.call_off
    assert competition.standstill_started_at is None
    with pytest.raises(ConflictError, match=r"until the contract award notice \(UK6\) has been published"):
        award.confirm(world.buyer, competition.id)
    assert "cannot be signed until the contract award notice (UK6)" in _refusal(world)
    summaries.send_assessment_summaries(world.buyer, competition.id)
    assert competition.standstill_started_at is None  # sending the summaries starts nothing under the Act
    notice = lifecycle.prepare(world.buyer, "competition", competition.id, build.UK6)
    stated = json.loads(notice.release_json)["awards"][0]["standstillPeriod"]
    framework = competition.lot.framework
    expected_end = standstill_end(notice.prepared_at, "pa2023", framework.bank_holiday_region)
    assert stated["endDate"] == build.stamp(expected_end)
    published = utcnow()
    lifecycle.record_publication(world.buyer, "competition", competition.id, build.UK6, "2026/S 000-012345", published)
    assert competition.standstill_started_at == published
    assert competition.standstill_ends_at == standstill_end(published, "pa2023", framework.bank_holiday_region)
    with pytest.raises(ConflictError, match="until the standstill period ends"):
        award.confirm(world.buyer, competition.id)
    event = db.session.query(AuditEvent).filter_by(event_type="notice.publication_recorded").one()
    assert "standstill period started" in event.summary


def test_the_worked_example_a_uk6_published_on_tuesday_10_march_2026_ends_at_the_end_of_friday_20_march():
    """17 March is a bank holiday in Northern Ireland only: under s.123 it is not a working day in England either."""
    world = approved_direct_award(standstill_over=False, ready_to_sign=True)
    publish_award_notice(world, published_at=UK_WORKED_EXAMPLE)
    award_ = world.call_off
    assert award_.lot.framework.bank_holiday_region == "england-and-wales"
    assert award_.standstill_started_at == UK_WORKED_EXAMPLE
    assert award_.standstill_ends_at == datetime(2026, 3, 21, 0, 0, tzinfo=UTC)  # 00:00 London, 21 March (GMT)
    assert _refusal(world) is None  # long over today


def test_a_pa_direct_award_needs_its_uk6_published_and_its_standstill_run_before_signing():
    world = approved_direct_award(standstill_over=False, ready_to_sign=True)
    award_ = world.call_off
    assert decisions.status(award_)[0] == "Approved: award notice due"
    assert "cannot be signed until the contract award notice (UK6)" in _refusal(world)
    publish_award_notice(world, days_ago=0)
    assert decisions.status(award_)[0] == "Approved: in standstill"
    assert "cannot be signed until the standstill period ends" in _refusal(world)
    award_.standstill_ends_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert _refusal(world) is None


def test_a_buyer_who_chooses_no_standstill_may_enter_the_contract_once_the_uk6_is_published_and_the_uk6_says_so():
    world = awarded_competition(confirm=False, ready_to_sign=True, standstill_applies=False)
    competition = world.call_off
    assert competition.standstill_applies is False
    summaries.send_assessment_summaries(world.buyer, competition.id)
    notice = lifecycle.prepare(world.buyer, "competition", competition.id, build.UK6)
    [award_json] = json.loads(notice.release_json)["awards"]
    assert "standstillPeriod" not in award_json
    assert "No standstill period applies" in award_json["description"] and "section 51(3)" in award_json["description"]
    assert lifecycle.errors(notice) == []
    with pytest.raises(ConflictError, match=r"contract award notice \(UK6\)"):
        award.confirm(world.buyer, competition.id)
    lifecycle.record_publication(world.buyer, "competition", competition.id, build.UK6, "2026/S 000-012345", utcnow())
    assert competition.standstill_started_at == competition.standstill_ends_at
    assert award.confirm(world.buyer, competition.id).awarded_at is not None
    assert _refusal(world) is None


def test_under_pcr_2015_the_buyer_has_no_choice_and_no_uk6_is_needed():
    world = approved_direct_award(standstill_over=False, regime="pcr2015", ready_to_sign=True)
    award_ = world.call_off
    assert award_.standstill_started_at == award_.approved_at and award_.standstill_ends_at is not None
    assert "cannot be signed until the standstill period ends" in _refusal(world)
    award_.standstill_ends_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert _refusal(world) is None  # a Contracts Finder award is published, but signing does not wait for it


def test_a_notice_published_in_the_minute_it_was_prepared_is_recorded():
    world = approved_direct_award(standstill_over=False, ready_to_sign=True)
    notice = lifecycle.prepare(world.buyer, "direct_award", world.id, build.UK6)
    minute = notice.prepared_at.replace(second=0, microsecond=0)  # the form gives the time to the minute
    lifecycle.record_publication(world.buyer, "direct_award", world.id, build.UK6, "2026/S 000-012345", minute)
    assert notice.published and world.call_off.standstill_started_at == minute


def test_a_cancelled_call_off_records_no_notice_and_the_notice_stays_as_it_was():
    world = approved_direct_award(standstill_over=False, ready_to_sign=True)
    lifecycle.prepare(world.buyer, "direct_award", world.id, build.UK6)
    world.call_off.cancelled_at, world.call_off.cancel_reason = utcnow(), "Budget withdrawn"
    db.session.commit()
    with pytest.raises(ConflictError, match="has been cancelled"):
        lifecycle.record_publication(world.buyer, "direct_award", world.id, build.UK6, "2026/S 000-012346", utcnow())
    notice = lifecycle.notices_of(lifecycle.call_off_for(world.buyer, "direct_award", world.id))[build.UK6]
    assert not notice.published and world.call_off.standstill_started_at is None
