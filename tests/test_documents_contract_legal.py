"""The contract a legal team signs: data protection schedule, no empty schedule, law by nation, definitions."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.domain import call_off_terms as terms
from portal.domain.contract_readiness import including_vat
from portal.extensions import db
from portal.models import AuditEvent, Bid, BidSubmission
from portal.seed.call_off_terms import terms_for
from portal.services.bids import crypto
from portal.services.contracts import data_protection, signing
from portal.services.contracts.data_protection import DataProtectionInput
from portal.services.documents import contract, register
from portal.services.errors import ConflictError, ValidationError
from tests.contract_support import approved_direct_award, awarded_competition, make_ready_to_sign
from tests.documents_support import pdf_text
from tests.factories import make_user

PARTICULARS = DataProtectionInput(
    True, "Hosting the social media accounts", "The term and 3 months of exit", "Publishing messages to the public",
    "Names, social media handles", "Members of the public", law_enforcement_processing=True,
)  # fmt: skip


def _sign(user, document):
    return signing.sign(user, document.id, "Sam Signer", "Director", True)


def test_particulars_are_printed_and_the_clause_points_at_the_schedule():
    world = awarded_competition()
    data_protection.save(world.buyer, "competition", world.id, PARTICULARS)
    text = pdf_text(register.pdf_bytes(contract.generate(world.buyer, "competition", world.id)))
    assert "Schedule 5: Data protection" in text and "Article 28(3) of the UK GDPR" in text
    for particular in ("Hosting the social media accounts", "The term and 3 months of exit", "Names, social media"):
        assert particular in text
    assert "Part 3 of the Data Protection Act 2018 applies" in text
    assert "are those in the Data Protection Schedule" in text
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "call_off.data_protection_schedule_saved")
    ).all()
    assert len(events) == 1


def test_no_personal_data_is_an_explicit_answer_and_particulars_are_required_otherwise():
    world = approved_direct_award()
    with pytest.raises(ValidationError, match="Select whether"):
        data_protection.save(world.buyer, "direct_award", world.id, DataProtectionInput(None))
    with pytest.raises(ValidationError, match="Enter the subject matter"):
        data_protection.save(world.buyer, "direct_award", world.id, DataProtectionInput(True))
    data_protection.save(world.buyer, "direct_award", world.id, DataProtectionInput(False))
    text = pdf_text(register.pdf_bytes(contract.generate(world.buyer, "direct_award", world.id)))
    assert "processes no Personal Data" in text


def test_signing_is_refused_without_the_data_protection_schedule_then_without_kpis():
    world = awarded_competition()
    document = contract.generate(world.buyer, "competition", world.id)
    with pytest.raises(ConflictError, match="data protection schedule has not been completed"):
        _sign(world.supplier_user, document)
    data_protection.save(world.buyer, "competition", world.id, PARTICULARS)
    document = contract.generate(world.buyer, "competition", world.id)
    with pytest.raises(ConflictError, match="rely on key performance indicators, but the KPI schedule is empty"):
        _sign(world.supplier_user, document)
    status = contract.status(world.buyer, "competition", world.id)
    assert [g.fix for g in status.gaps] == ["kpis"] and not status.can_sign


def test_over_five_million_including_vat_the_act_needs_three_kpis():
    assert including_vat(4_166_667_00) > 5_000_000_00 >= including_vat(4_166_666_00)
    world = awarded_competition()
    submission = db.session.scalar(
        select(BidSubmission).where(BidSubmission.bid_id == world.call_off.recommended_bid_id)
    )
    bid = db.session.get_one(Bid, submission.bid_id)
    frozen = crypto.submission_json(bid.competition_id, bid.id, submission.version, submission.content_sealed)
    crypto.seal_submission(bid, submission, frozen, 4_200_000_00)  # the total alone, as this test always changed
    db.session.commit()
    make_ready_to_sign(world, kpis_count=2)
    status = contract.status(world.supplier_user, "competition", world.id)
    assert "at least 3 KPIs (Procurement Act 2023, section 52); it has 2" in status.gaps[0].message


@pytest.mark.parametrize(
    ("region", "law", "courts"),
    [
        ("england-and-wales", "England and Wales", "the courts of England and Wales"),
        ("scotland", "Scotland", "the Scottish courts"),
        ("northern-ireland", "Northern Ireland", "the courts of Northern Ireland"),
    ],
)
def test_governing_law_and_courts_follow_the_frameworks_nation(region, law, courts):
    world = approved_direct_award()
    world.call_off.lot.framework.bank_holiday_region = region
    db.session.commit()
    text = pdf_text(register.pdf_bytes(contract.generate(world.buyer, "direct_award", world.id)))
    assert f"governed by the law of {law}" in text and f"exclusive jurisdiction of {courts}" in text
    others = {"England and Wales", "Scotland", "Northern Ireland"} - {law}
    assert not any(f"law of {other}" in text for other in others)


# Capitalised phrases that are names, not defined terms: legislation, bodies, schemes and standards.
PROPER_NAMES = {
    "Data Protection Act", "Freedom of Information Act", "Environmental Information Regulations", "Procurement Act",
    "Cyber Essentials Plus", "National Cyber Security Centre", "Non Police Personnel Vetting", "England and Wales",
    "Northern Ireland", "Public Contracts Regulations", "United Kingdom", "Information Act", "Part A", "Part B",
    "Personal Data", "Working Days",
}  # fmt: skip
_PHRASE = re.compile(r"(?<![.:\n] )(?<!^)\b([A-Z][a-z]+(?:[- ][A-Z][a-z]+)+)\b")


@pytest.mark.parametrize("regime", ["pcr2015", "pa2023"])
def test_every_capitalised_term_the_contract_uses_is_defined(regime):
    text = terms.fill(terms_for(regime), {name: name for name in terms.PLACEHOLDERS})
    defined = terms.defined_in(text) | set(terms.DEFINITIONS)
    phrases = {m.removeprefix("The ") for m in _PHRASE.findall(text)}
    used = {
        m
        for m in phrases
        if (" " in m or "-" in m) and not any(m.startswith(p) or p.startswith(m) for p in PROPER_NAMES)
    }
    undefined = {u for u in used if not any(u == d or u.rstrip("s") == d for d in defined)}
    assert undefined == set()
    for term in ("Call-Off Contract", "Buyer", "Supplier", "Good Industry Practice", "Data Protection Schedule"):
        assert term in defined


def test_the_data_protection_form_shows_errors_keeps_answers_and_refuses_others(client, auth):
    world = approved_direct_award()
    url = f"/contracts/direct-awards/{world.id}/data-protection"
    auth.login(world.buyer.email)
    assert "Data protection schedule" in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"processes_personal_data": "yes", "subject_matter": "Kept text"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "govuk-error-summary" in page and 'href="#duration"' in page
    assert "Enter the duration of the processing" in page and "Kept text" in page
    response = client.post(url, data={"processes_personal_data": "no"})
    assert response.status_code == 302
    assert data_protection.schedule_of(contract.status(world.buyer, "direct_award", world.id).call_off) is not None
    auth.logout()
    auth.login(world.supplier_user.email)
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login(world.other_buyer.email)
    assert client.get(url).status_code == 404
    evaluator = make_user("evaluator", organisation=world.call_off.buyer_organisation)
    auth.logout()
    auth.login(evaluator.email)
    assert client.get(url).status_code == 403
