"""In the browser, the Procurement Act 2023 way from approval to a signed call-off (issue 14's "done when"): a Surrey
buyer takes a mini-competition and a direct award on PDS-DPCE-2025 through the assessment summaries, the contract
award notice (UK6) whose publication starts the standstill, the refusals while it runs, the award, the data
protection schedule and KPIs, both signatures and the contract details notice (UK7). Every page passes axe-core
(WCAG 2.2 AA) with no console errors.

Set-up (an approved competition, a direct award with its shortlist frozen) goes through the services; time passing
is the one shortcut afterwards (tests/browser/pa_award.py says which).
"""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from portal.domain import notices as build
from portal.domain.timefmt import today_london
from portal.models import ContractSignature, Document, TransparencyNotice
from portal.seed import demo
from tests.browser import pa_award as pa
from tests.browser.journey import Cast

pytestmark = pytest.mark.browser


@pytest.fixture
def cast(request, app, browser, live_server, monkeypatch):
    demo.seed()
    monkeypatch.setitem(app.config, "SEND_FILE_MAX_AGE_DEFAULT", 3600)  # cache CSS and JavaScript between pages
    failed, started = request.session.testsfailed, time.monotonic()
    people = Cast(browser, live_server)
    yield people
    people.close(screenshots=request.session.testsfailed > failed)
    print(
        f"\n{people.pages} pages, axe on {len(people.checked)} page states ({people.axe_seconds:.0f} s), "
        f"{time.monotonic() - started:.0f} s in all"
    )


def test_pa_competition_and_direct_award_from_approval_to_signed_contract(cast, db):
    competition, direct = pa.approved_competition(), pa.shortlisted_direct_award()
    buyer, approver = cast(pa.BUYER), cast(pa.APPROVER)
    year = today_london().year

    pa.recommend_direct_award(buyer, direct)
    pa.approve_direct_award(approver, direct)
    pa.send_summaries(buyer, competition)

    for call_off, number, kpis in ((competition, 12345, 3), (direct, 12346, 1)):
        pa.generate(buyer, call_off)
        pa.refused_before_the_notice(approver, call_off)
        ends = pa.publish_award_notice(buyer, call_off, f"{year}/S 000-{number:06d}")
        buyer.screenshot(f"{call_off.kind}-after-uk6", height=2000)  # the call-off's page, to look at
        pa.refused_in_standstill(buyer, approver, call_off, ends)
        pa.end_standstill(call_off)
        if call_off.kind == "competition":
            pa.confirm(buyer, call_off)
        pa.complete_schedules(buyer, call_off, kpis)
        pa.sign(cast(pa.winner_email(call_off)), call_off, "supplier", "Director", last=False)
        pa.sign(approver, call_off, "buyer", "Head of Procurement", last=True)
        pa.publish_contract_notice(buyer, call_off, f"{year}/S 000-{number + 100:06d}")

    assert cast.problems == [], "\n".join(cast.problems)
    for call_off in (competition, direct):
        _signed_with_both_notices(db, call_off)


def _signed_with_both_notices(db, call_off: pa.CallOff) -> None:
    """The database agrees with the pages: both notices published, the standstill began with the UK6's publication,
    and the contract is signed by both parties."""
    db.session.expire_all()
    subject = call_off.subject()
    owner = TransparencyNotice.competition_id if call_off.kind == "competition" else TransparencyNotice.direct_award_id
    notices = {n.notice_type: n for n in db.session.scalars(select(TransparencyNotice).where(owner == call_off.id))}
    assert set(notices) == {build.UK6, build.UK7}
    assert all(n.status == "published" and n.platform_notice_id for n in notices.values())
    assert subject.standstill_started_at == notices[build.UK6].published_at
    assert notices[build.UK6].published_at <= notices[build.UK7].published_at
    signed = db.session.scalars(
        select(Document).where(
            Document.kind == "call_off_contract",
            Document.subject_type == call_off.kind,
            Document.subject_id == call_off.id,
            Document.signed_at.is_not(None),
        )
    ).all()
    assert len(signed) == 1, signed
    parties = db.session.scalars(
        select(ContractSignature.party).where(ContractSignature.document_id == signed[0].signed_from_id)
    ).all()
    assert sorted(parties) == ["buyer", "supplier"]
    if call_off.kind == "competition":
        assert subject.awarded_at is not None and subject.awarded_at < signed[0].signed_at
