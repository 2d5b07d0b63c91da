"""The Procurement Act demo call-offs (portal/seed/pa_call_offs.py): a mini-competition signed by both parties with
its UK6 and UK7 published, one in standstill, a direct award with its UK6; every standstill computed from the UK6's
publication by the services' code, every notice valid against the carried schema."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from sqlalchemy import select

from portal.domain import notices as build
from portal.domain.working_days import standstill_end
from portal.extensions import db
from portal.models import Competition, ContractSignature, DirectAward, TransparencyNotice
from portal.models.base import utcnow
from portal.seed import demo
from portal.services.notices import lifecycle

DEMO_TODAY = date(2026, 11, 22)


@pytest.fixture
def seeded():
    with time_machine.travel(DEMO_TODAY, tick=False):
        demo.seed()


def _notices(**owner) -> dict[str, TransparencyNotice]:
    column = TransparencyNotice.competition_id if "competition_id" in owner else TransparencyNotice.direct_award_id
    found = db.session.scalars(select(TransparencyNotice).where(column == next(iter(owner.values()))))
    return {n.notice_type: n for n in found}


def _by_reference(model, reference: str):
    return db.session.scalars(select(model).where(model.reference == reference)).one()


def _standstill_from(notice: TransparencyNotice, subject) -> None:
    framework = subject.lot.framework
    assert framework.regime == "pa2023"
    assert subject.standstill_started_at == notice.published_at
    assert subject.standstill_ends_at == standstill_end(notice.published_at, "pa2023", framework.bank_holiday_region)
    assert lifecycle.errors(notice) == []


def test_the_signed_pa_call_off_went_through_uk6_standstill_signature_and_uk7(seeded):
    competition = _by_reference(Competition, "SUR-MC-PA-1")
    notices = _notices(competition_id=competition.id)
    assert {t: n.status for t, n in notices.items()} == {build.UK6: "published", build.UK7: "published"}
    _standstill_from(notices[build.UK6], competition)
    assert competition.assessment_summaries_sent_at < notices[build.UK6].published_at
    assert competition.awarded_at > competition.standstill_ends_at
    parties = set(db.session.scalars(select(ContractSignature.party)))
    assert parties == {"buyer", "supplier"}
    assert lifecycle.errors(notices[build.UK7]) == []


def test_one_pa_call_off_is_in_standstill_and_the_direct_award_has_its_uk6(seeded):
    with time_machine.travel(DEMO_TODAY, tick=False):
        competition = _by_reference(Competition, "SUR-MC-PA-2")
        notice = _notices(competition_id=competition.id)[build.UK6]
        _standstill_from(notice, competition)
        assert competition.awarded_at is None and competition.standstill_ends_at > utcnow()
    award = _by_reference(DirectAward, "DA-DEMO-PA-1")
    notice = _notices(direct_award_id=award.id)[build.UK6]
    _standstill_from(notice, award)
    assert notice.published_at > award.approved_at


def test_pcr_demo_standstills_are_computed_not_typed(seeded):
    competition = _by_reference(Competition, "SUR-MC-DEMO-3")
    framework = competition.lot.framework
    assert framework.regime == "pcr2015"
    assert competition.standstill_started_at == competition.assessment_summaries_sent_at
    expected = standstill_end(
        competition.standstill_started_at,
        "pcr2015",
        framework.bank_holiday_region,
        voluntary_days=competition.voluntary_standstill_days,
    )
    assert competition.standstill_ends_at == expected
    award = _by_reference(DirectAward, "DA-DEMO-0001")
    assert award.standstill_started_at == award.approved_at
    assert award.standstill_ends_at == standstill_end(award.approved_at, "pcr2015", framework.bank_holiday_region)


def test_a_second_run_creates_nothing(seeded):
    from portal.models import AuditEvent
    from portal.seed.pa_call_offs import seed_pa_call_offs

    events = db.session.query(AuditEvent).count()
    with time_machine.travel(DEMO_TODAY, tick=False):
        assert seed_pa_call_offs() == "Procurement Act demo call-offs already loaded: nothing new created."
    assert db.session.query(AuditEvent).count() == events
