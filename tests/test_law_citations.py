"""One place for the law (portal.domain.law): the table, the Act's working day, and every document citing only its
own regime's law.

Each document type (award and unsuccessful letters with their assessment summaries, evaluation report, contract for
a competition and for a direct award, direct award record, bid receipt) and the bidder's outcome page is rendered
for a PCR 2015 and a PA 2023 call-off. The strings a document must carry and must never carry come from the table
itself (`RegimeLaw.citations()` and `instruments`), so this test cannot drift from the wording the portal uses.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import fields
from datetime import UTC, date, datetime

import pytest

from portal.domain import working_days as wd
from portal.domain.canonical import canonical_json
from portal.domain.framework_term import Regime
from portal.domain.law import LAW, RegimeLaw, law_for
from portal.extensions import db
from portal.seed.call_off_terms import terms_for
from portal.services.bids import submission as bid_submission
from portal.services.contracts import call_offs
from portal.services.direct_awards import decisions
from portal.services.direct_awards import shortlist as shortlists
from portal.services.documents import contract, contract_data, direct_award_record, letters, receipts, render, report
from tests.factories import make_user
from tests.test_award_services import approved_world
from tests.test_direct_award_world import build_world, ready_award

REGIMES = [r.value for r in Regime]


def _other(regime: str) -> RegimeLaw:
    return next(law for r, law in LAW.items() if r.value != regime)


def _forbidden(regime: str) -> list[str]:
    """What a call-off under `regime` must never cite: the other regime's citations and legislation."""
    other = _other(regime)
    return [*other.citations(), *other.instruments]


def _text(markup: str) -> str:
    """Readable text of rendered HTML: tags dropped, entities decoded, whitespace folded."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def _render(template: str, data: dict) -> str:
    """The document's pages as its PDF would show them: the template fed the data read back from canonical JSON."""
    meta = render.DocumentMeta(title="t", subject="s", reference="r", generated_at=datetime(2026, 3, 10, tzinfo=UTC))
    return _text(render.render_html(template, json.loads(canonical_json(data)), meta))


def _assert_cites_only(text: str, regime: str, *expected: str) -> None:
    for wanted in expected:
        assert wanted in text, wanted
    for unwanted in _forbidden(regime):
        assert unwanted not in text, f"{regime} document cites {unwanted!r}"


# --- The table ----------------------------------------------------------------------------------------------------


def test_every_regime_has_every_entry():
    assert set(LAW) == set(Regime)
    for regime, law in LAW.items():
        assert law.regime is regime and law_for(regime.value) is law
        for field in fields(law):
            value = getattr(law, field.name)
            if field.name != "large_contract":  # only the Act has duties above a value threshold
                assert value not in (None, "", ()), (regime, field.name)
        assert all(c for c in law.citations())
        # The letter's sentence names the standstill's provision as the table cites it.
        assert law.standstill.basis.citation in law.standstill_letter_basis("A buyer", law.standstill.length)
        assert law.name in law.instruments


def test_no_citation_is_shared_between_the_regimes():
    pa, pcr = LAW[Regime.PA_2023], LAW[Regime.PCR_2015]
    for citation in pa.citations():
        assert not any(instrument in citation for instrument in pcr.instruments), citation
    for citation in pcr.citations():
        assert not any(instrument in citation for instrument in pa.instruments), citation


def test_the_acts_notices_standstill_and_duties():
    pa = LAW[Regime.PA_2023]
    assert [n.code for n in pa.notices] == ["UK6", "UK7"]
    assert "30 days" in pa.notices[1].when
    assert pa.standstill.length == 8 and not pa.standstill.mandatory_for_call_offs
    assert pa.standstill.basis.citation.endswith("section 51(3)")
    assert "section 123" in pa.standstill.working_day.citation
    assert pa.large_contract is not None
    assert pa.large_contract.threshold_pence_incl_vat == 5_000_000_00 and pa.large_contract.min_kpis == 3
    assert "regulation 31" in pa.assessment_summary.provision.citation
    assert pa.framework_term.max_months == 48 and not pa.framework_term.longer_if_justified


def test_the_regulations_voluntary_standstill_and_contracts_finder():
    pcr = LAW[Regime.PCR_2015]
    assert [n.code for n in pcr.notices] == [""] and "Contracts Finder" in pcr.notices[0].platform
    assert pcr.standstill.length == 10 and pcr.standstill.roll_to_working_day
    assert "regulation 86" in pcr.assessment_summary.provision.citation
    assert pcr.large_contract is None
    assert pcr.framework_term.max_months == 48 and pcr.framework_term.longer_if_justified


def test_the_worked_example_ends_at_the_end_of_friday_20_march_2026():
    # 17 March 2026 is a bank holiday in Northern Ireland only: not a working day under s.123.
    notice_at = datetime(2026, 3, 10, 10, tzinfo=UTC)
    assert wd.standstill_last_day(notice_at, Regime.PA_2023, "england-and-wales") == date(2026, 3, 20)
    assert wd.standstill_end(notice_at, Regime.PA_2023, "england-and-wales") == datetime(2026, 3, 21, tzinfo=UTC)
    assert not wd.is_uk_working_day(date(2026, 3, 17)) and wd.is_working_day(date(2026, 3, 17), "england-and-wales")


def test_pa_working_days_ignore_the_framework_region():
    notice_at = datetime(2025, 12, 29, 9, tzinfo=UTC)
    ends = {wd.standstill_end(notice_at, Regime.PA_2023, region) for region in wd.Region}
    assert ends == {datetime(2026, 1, 10, tzinfo=UTC)}


# --- Every document, both regimes ---------------------------------------------------------------------------------


@pytest.fixture(params=REGIMES)
def competition_world(request):
    """An approved competition (Bravo wins) on a framework under the regime, ready for its contract."""
    world = approved_world(regime=request.param)
    world.regime = request.param
    world.competition.planned_start_on = date(2027, 4, 1)
    world.competition.term_months = 12
    world.competition.lot.framework.call_off_terms = terms_for(request.param)
    db.session.commit()
    return world


def test_letters_and_assessment_summaries_cite_only_their_regimes_law(competition_world):
    world, regime = competition_world, competition_world.regime
    law = law_for(regime)
    summaries = letters.competition_summaries(world.competition)
    assert {s.is_winner for s in summaries} == {True, False}
    for summary in summaries:
        template = "award_letter.html" if summary.is_winner else "unsuccessful_letter.html"
        text = _render(template, letters.letter_data(summary))
        _assert_cites_only(text, regime, law.assessment_summary.provision.wording, law.standstill.basis.citation)


def test_the_evaluation_report_cites_only_its_regimes_conflicts_provision(competition_world):
    world, regime = competition_world, competition_world.regime
    text = _render(report.TEMPLATE, report.report_data(world.buyer, world.competition))
    _assert_cites_only(text, regime, law_for(regime).conflicts.citation)


def test_the_competition_contract_cites_only_its_regimes_law(competition_world):
    world, regime = competition_world, competition_world.regime
    data = contract_data.build(world.buyer, call_offs.of_document("competition", world.competition.id))
    text = _render(contract.TEMPLATE, data)
    _assert_cites_only(text, regime, law_for(regime).standstill.basis.citation, law_for(regime).name)


def test_bid_receipts_cite_no_other_regimes_law(competition_world):
    world, regime = competition_world, competition_world.regime
    bid = world.bids["Alpha"]
    user = make_user("supplier", supplier=bid.supplier)
    db.session.commit()
    receipt = bid_submission.receipt(user, bid.submissions[0].id)
    _assert_cites_only(_render("bid_receipt.html", receipts.receipt_data(receipt)), regime)


def test_the_outcome_page_cites_only_its_regimes_law(competition_world, client, auth):
    world, regime = competition_world, competition_world.regime
    user = make_user("supplier", supplier=world.suppliers["Alpha"])
    db.session.commit()
    auth.login(user.email)
    response = client.get(f"/evaluation/outcomes/{world.competition.id}")
    assert response.status_code == 200
    _assert_cites_only(
        _text(response.get_data(as_text=True)), regime, law_for(regime).assessment_summary.provision.wording
    )


@pytest.fixture(params=REGIMES)
def direct_award_world(request):
    """An approved direct award to Alpha on a framework under the regime."""
    world = build_world(regime=request.param)
    world.regime = request.param
    world.lot.framework.call_off_terms = terms_for(request.param)
    award_ = ready_award(world)
    shortlists.freeze(world.buyer, award_)
    decisions.recommend(world.buyer, award_.id, world.suppliers["alpha"].id, "Lowest whole-life cost.")
    decisions.approve(world.approver, award_.id)
    world.award = award_
    return world


def test_the_direct_award_record_and_contract_cite_only_their_regimes_law(direct_award_world):
    world, regime = direct_award_world, direct_award_world.regime
    law = law_for(regime)
    record = _render(direct_award_record.TEMPLATE, direct_award_record.record_data(world.award))
    _assert_cites_only(record, regime, law.direct_award.citation, law.standstill.basis.citation)
    data = contract_data.build(world.buyer, call_offs.of_document("direct_award", world.award.id))
    _assert_cites_only(_render(contract.TEMPLATE, data), regime, law.standstill.basis.citation)
