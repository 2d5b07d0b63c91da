"""Transparency notices: UK6 and UK7 (PA 2023) and the Contracts Finder award (PCR 2015), for a mini-competition and
a direct award; every release and its package validates against the carried UK schema; publication is recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.domain import notices as build
from portal.extensions import db
from portal.models import AuditEvent
from portal.models.base import utcnow
from portal.services.contracts import kpis, signing
from portal.services.contracts.kpis import KpiInput
from portal.services.documents import contract
from portal.services.errors import ConflictError, NotFoundError, ValidationError
from portal.services.evaluation import summaries
from portal.services.notices import lifecycle, validation
from tests.contract_support import approved_direct_award, awarded_competition, publish_award_notice


def _valid(notice) -> dict:
    release = lifecycle.release_of(notice)
    assert validation.release_errors(release) == []
    package = build.release_package([release], "https://portal.example/ocds/1.json", utcnow(), "Framework Portal")
    assert validation.package_errors(package) == []
    assert lifecycle.errors(notice) == []
    return release


def _sign_both(world):
    unsigned = contract.generate(world.buyer, world.kind, world.id)
    signing.sign(world.supplier_user, unsigned.id, "Sam Supplier", "Director", True)
    return signing.sign(world.approver, unsigned.id, "Ada Approver", "Head of Procurement", True).signed


def _with_cpv(world):
    world.call_off.lot.cpv_code = "72000000-5"
    db.session.commit()


def test_competition_uk6_carries_the_uk_fields_and_validates(app):
    world = awarded_competition(confirm=False, ready_to_sign=True)
    _with_cpv(world)
    # The Act: every assessed supplier has its assessment summary before the contract award notice.
    with pytest.raises(ConflictError, match="once the assessment summaries have been sent"):
        lifecycle.prepare(world.buyer, "competition", world.id, build.UK6)
    sent = summaries.send_assessment_summaries(world.buyer, world.id).assessment_summaries_sent_at
    notice = lifecycle.prepare(world.buyer, "competition", world.id, build.UK6)
    release = _valid(notice)
    assert release["ocid"] == f"ocds-h6vhtk-{world.call_off.reference}" and release["tag"] == ["award"]
    [document] = release["documents"]
    assert document["noticeType"] == "UK6" and "section 50" in document["description"]
    [award] = release["awards"]
    assert award["value"] == {"amount": 3900.0, "amountGross": 4680.0, "currency": "GBP"}
    assert award["suppliers"][0]["name"] == world.winner.legal_name
    assert "standstillPeriod" in award
    assert award["assessmentSummariesDateSent"] == build.stamp(sent)
    assert release["tender"]["competitive"] is True
    assert release["tender"]["techniques"] == {"hasFrameworkAgreement": True}
    assert release["tender"]["items"][0]["classification"] == {"scheme": "CPV", "id": "72000000-5"}
    framework = world.call_off.lot.framework
    assert release["relatedProcesses"][0] == {
        "id": "framework", "relationship": ["framework"], "title": framework.name, "scheme": "ocid",
        "identifier": f"ocds-h6vhtk-{framework.reference}",
    }  # fmt: skip
    roles = {p["name"]: p["roles"] for p in release["parties"]}
    assert roles[world.call_off.buyer_organisation.legal_name] == ["buyer", "procuringEntity"]
    assert notice.status == "prepared"
    # Preparing again with nothing changed is the same release.
    assert lifecycle.prepare(world.buyer, "competition", world.id, build.UK6).release_id == notice.release_id


def test_direct_award_uk6_and_uk7_validate_and_the_uk7_is_due_30_days_after_signing(app):
    world = approved_direct_award(standstill_over=False, ready_to_sign=True)
    uk6 = lifecycle.prepare(world.buyer, "direct_award", world.id, build.UK6)
    release = _valid(uk6)
    assert release["tender"]["competitive"] is False and release["tender"]["awardCriteria"] == "costOnly"
    assert release["awards"][0]["value"]["amount"] == 3400.0
    with pytest.raises(ConflictError, match="both parties have signed"):
        lifecycle.prepare(world.buyer, "direct_award", world.id, build.UK7)
    call_off = lifecycle.call_off_for(world.buyer, "direct_award", world.id)
    assert lifecycle.uk7_due(call_off) is None
    publish_award_notice(world)
    signed = _sign_both(world)
    uk7 = lifecycle.prepare(world.buyer, "direct_award", world.id, build.UK7)
    release = _valid(uk7)
    assert release["tag"] == ["contract"] and release["documents"][0]["noticeType"] == "UK7"
    [signed_contract] = release["contracts"]
    assert signed_contract["value"]["amountGross"] == 4080.0 and signed_contract["dateSigned"]
    due = lifecycle.uk7_due(call_off)
    assert due is not None and due.state == "due" and due.due_on == signed.signed_at.date() + timedelta(days=30)
    assert lifecycle.uk7_due(call_off, today=due.due_on + timedelta(days=1)).state == "overdue"


def test_competition_uk7_validates(app):
    world = awarded_competition(ready_to_sign=True)
    kpis.add(world.buyer, "competition", world.id, KpiInput("Availability", "Uptime per month", "99.9%"))
    _sign_both(world)
    _valid(lifecycle.prepare(world.buyer, "competition", world.id, build.UK7))


def test_pcr_call_offs_get_a_contracts_finder_award_without_uk_notice_wording(app):
    world = awarded_competition(confirm=False, ready_to_sign=True)
    world.call_off.lot.framework.regime = "pcr2015"
    db.session.commit()
    with pytest.raises(ConflictError, match="does not apply"):
        lifecycle.prepare(world.buyer, "competition", world.id, build.UK6)
    notice = lifecycle.prepare(world.buyer, "competition", world.id, build.CONTRACTS_FINDER_AWARD)
    _valid(notice)
    text = notice.release_json
    assert "noticeType" not in text and "UK6" not in text and "Procurement Act" not in text
    assert "assessmentSummariesDateSent" not in text and "Contracts Finder" in text


def test_pcr_direct_award_release_validates(app):
    world = approved_direct_award(standstill_over=False, ready_to_sign=True)
    world.call_off.lot.framework.regime = "pcr2015"
    db.session.commit()
    _valid(lifecycle.prepare(world.buyer, "direct_award", world.id, build.CONTRACTS_FINDER_AWARD))


def test_publication_is_recorded_by_the_buyer_checked_and_audited(app):
    world = approved_direct_award(standstill_over=False, ready_to_sign=True)
    notice = lifecycle.prepare(world.buyer, "direct_award", world.id, build.UK6)
    args = (world.buyer, "direct_award", world.id, build.UK6)
    with pytest.raises(ValidationError, match="like 2026/S 000-012345"):
        lifecycle.record_publication(*args, "12345", utcnow())
    with pytest.raises(ValidationError, match="future"):
        lifecycle.record_publication(*args, "2026/S 000-012345", utcnow() + timedelta(hours=1))
    assert notice.status == "prepared"
    lifecycle.record_publication(*args, " 2026/S 000-012345 ", utcnow())
    assert notice.published and notice.platform_notice_id == "2026/S 000-012345"
    events = db.session.query(AuditEvent).filter_by(event_type="notice.publication_recorded").all()
    assert len(events) == 1
    with pytest.raises(ConflictError, match="published"):
        lifecycle.prepare(*args)
    with pytest.raises(ConflictError, match="already been recorded"):
        lifecycle.record_publication(*args, "2026/S 000-012346", utcnow())


def test_an_invalid_notice_cannot_be_recorded(app):
    world = approved_direct_award(standstill_over=False, ready_to_sign=True)
    notice = lifecycle.prepare(world.buyer, "direct_award", world.id, build.UK6)
    notice.release_json = notice.release_json.replace('"tag":["award"]', '"tag":["awarded"]')
    db.session.commit()
    with pytest.raises(ValidationError, match="tag/0"):
        lifecycle.record_publication(world.buyer, "direct_award", world.id, build.UK6, "2026/S 000-012345", utcnow())
    assert not notice.published


def test_only_the_buying_organisations_officers_reach_notices(app):
    world = approved_direct_award(standstill_over=False, ready_to_sign=True)
    for outsider in (world.other_buyer, world.supplier_user, world.staff):
        with pytest.raises(NotFoundError):
            lifecycle.prepare(outsider, "direct_award", world.id, build.UK6)
    lifecycle.prepare(world.approver, "direct_award", world.id, build.UK6)
