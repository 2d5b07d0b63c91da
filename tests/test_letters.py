"""Award and unsuccessful letters: their reg 31 content, archival PDF with the data embedded, who may read them,
and that none exists before the award is approved."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from portal.domain.canonical import canonical_json
from portal.domain.timefmt import format_date, format_datetime
from portal.extensions import db
from portal.services.documents import letters as document_letters
from portal.services.documents import register
from portal.services.errors import ConflictError, NotFoundError
from portal.services.evaluation import results
from tests.documents_support import assert_archival, embedded_data, pdf_text
from tests.factories import make_user
from tests.test_award_services import approved_world, recommended_world


@pytest.fixture
def world():
    world = approved_world()
    world.approver.job_title = "Head of Procurement"
    for name, supplier in world.suppliers.items():
        supplier.registered_address = f"1 {name} Street\nGuildford\nGU1 1AA"
    world.people = {
        "alpha": make_user("supplier", supplier=world.suppliers["Alpha"]),
        "bravo": make_user("supplier", supplier=world.suppliers["Bravo"]),
        "charlie": make_user("supplier", supplier=world.suppliers["Charlie"]),
        "outsider": make_user("supplier"),
        "other_org": make_user("buyer"),
        "staff": make_user("staff"),
    }
    db.session.commit()
    return world


def _letters(world, *names: str) -> dict[str, object]:
    """Issue the named bidders' letters (every bidder's by default) as the background job does."""
    summaries = document_letters.competition_summaries(world.competition)
    return {
        s.bid.supplier.trading_name: document_letters.issue_letter(world.buyer, s)
        for s in summaries
        if not names or s.bid.supplier.trading_name in names
    }


def test_every_assessed_bidder_gets_one_letter_the_winner_an_award_letter(world):
    letters = _letters(world)
    assert {name: d.kind for name, d in letters.items()} == {
        "Alpha": "unsuccessful_letter",
        "Bravo": "award_letter",
        "Charlie": "unsuccessful_letter",
    }
    bravo = world.suppliers["Bravo"]
    assert letters["Bravo"].series_key == f"award_letter:competition:{world.competition.id}:supplier:{bravo.id}"
    assert next(d.id for d in document_letters.letters(world.buyer, world.competition)) == letters["Bravo"].id


def test_unsuccessful_letter_carries_the_assessment_summary_and_standstill(world):
    competition = world.competition
    pdf = register.pdf_bytes(_letters(world, "Alpha")["Alpha"])
    text = pdf_text(pdf)
    assert "Outcome of your bid: unsuccessful" in text
    assert "Alpha" in text and "1 Alpha Street" in text and world.suppliers["Alpha"].companies_house_number in text
    assert world.competition.buyer_organisation.name in text and competition.reference in text
    assert f"The contract is to be awarded to {world.suppliers['Bravo'].legal_name}" in text
    assert "4 out of 5" in text and "Agreed 4 for Alpha." in text  # own score and the moderator's rationale
    # reg 31: the same for the winning tender, its scores and the reasons by reference to it
    assert "5 out of 5" in text and "Agreed 5 for Bravo." in text
    assert "The winning tender's scores and the reasons for them" in text
    assert "0 to 5" in text  # the scoring scale with its descriptors
    assert f"Questions about this assessment summary during the standstill period go to {world.buyer.name}" in text
    assert "Charlie" not in text  # no other bidder's scores
    assert "82.00 out of 100" in text and "Winning bid\N{RIGHT SINGLE QUOTATION MARK}s total score" in text
    # Under the Act the letters go before the UK6, so the standstill has not started: the letter says how it runs.
    assert competition.standstill_ends_at is None
    assert "The standstill period begins with the day the contract award notice (UK6) is published" in text
    assert "8 working days" in text and "Procurement Act 2023" in text
    assert format_date(competition.approved_at) in text and "Ada Approver" in text
    assert "Head of Procurement, for and on behalf of" in text  # the approver's job title
    assert "regulation 31 of the Procurement Regulations 2024" in text


def test_a_pcr_letter_gives_the_standstill_end_the_letters_started():
    world = approved_world(regime="pcr2015")
    world.approver.job_title = "Head of Procurement"
    db.session.commit()
    competition = world.competition
    text = pdf_text(register.pdf_bytes(_letters(world, "Alpha")["Alpha"]))
    ends = format_datetime(competition.standstill_ends_at)
    last_day = format_date(competition.standstill_ends_at - timedelta(seconds=1))
    assert f"The standstill period ends {ends} (UK time), at the end of {last_day}" in text
    assert "calendar days" in text and "regulation 87" in text and "Procurement Act" not in text


def test_a_disqualified_bidder_is_told_why(world):
    text = pdf_text(register.pdf_bytes(_letters(world, "Charlie")["Charlie"]))
    assert "Why your bid was disqualified" in text
    assert "Critical incidents" in text and "Not scored: disqualified" in text


def test_award_letter_tells_the_winner_without_comparing_with_itself(world):
    text = pdf_text(register.pdf_bytes(_letters(world, "Bravo")["Bravo"]))
    assert "Award decision: your bid was successful" in text
    assert "intends to award the contract to" in text
    assert "Winning bid\N{RIGHT SINGLE QUOTATION MARK}s score" not in text
    assert "Agreed 5 for Bravo." in text


def test_letter_is_archival_and_embeds_the_data_it_shows(world):
    summary = results.assessment_summary(world.people["alpha"], world.competition.id)
    document = document_letters.issue_own_letter(world.people["alpha"], world.competition.id)
    pdf = register.pdf_bytes(document)
    title = f"Unsuccessful bidder letter: {world.competition.reference} to {summary.bid.supplier.legal_name}"
    assert_archival(pdf, title)
    expected = json.loads(canonical_json(document_letters.letter_data(summary)))
    assert embedded_data(pdf) == expected
    assert expected["groups"][0]["criteria"][0]["own_score"] == "4 out of 5"


def test_the_job_and_the_supplier_get_the_same_letter(world):
    """The summaries scored once for the whole competition equal each supplier's own on-screen summary."""
    issued = _letters(world)
    for name in ("alpha", "bravo", "charlie"):
        own = document_letters.issue_own_letter(world.people[name], world.competition.id)
        assert own.id == issued[name.title()].id and own.version == 1


@pytest.mark.parametrize(
    ("persona", "readable"),
    [
        ("alpha", True),
        ("bravo", False),
        ("charlie", False),
        ("outsider", False),
        ("buyer", True),
        ("approver", True),
        ("evaluator", False),
        ("other_org", False),
        ("staff", True),
    ],
)
def test_who_may_read_a_letter(world, persona, readable):
    letter = _letters(world, "Alpha")["Alpha"]
    user = {"buyer": world.buyer, "approver": world.approver, "evaluator": world.evaluators[0]}.get(persona)
    user = user or world.people[persona]
    if readable:
        assert register.get_readable(user, letter.id) == letter
    else:
        with pytest.raises(NotFoundError):
            register.get_readable(user, letter.id)


def test_no_letter_before_approval():
    world = recommended_world()
    supplier = make_user("supplier", supplier=world.suppliers["Alpha"])
    db.session.commit()
    with pytest.raises(ConflictError, match="once the award has been approved"):
        document_letters.competition_summaries(world.competition)
    with pytest.raises(NotFoundError):
        document_letters.issue_own_letter(supplier, world.competition.id)


def test_a_pcr_2015_letter_states_the_voluntary_standstill():
    world = approved_world(regime="pcr2015")
    competition = world.competition
    text = pdf_text(register.pdf_bytes(_letters(world, "Bravo")["Bravo"]))
    assert f"The standstill period ends {format_datetime(competition.standstill_ends_at)}" in text
    assert "voluntary standstill period of 10 calendar days" in text and "Procurement Act" not in text


def test_a_pcr_2015_unsuccessful_letter_gives_the_winners_relative_advantages_and_a_contact():
    world = approved_world(regime="pcr2015")
    world.approver.job_title = "Head of Commercial"
    db.session.commit()
    text = pdf_text(register.pdf_bytes(_letters(world, "Alpha")["Alpha"]))
    assert f"The contract is to be awarded to {world.suppliers['Bravo'].legal_name}" in text  # the winner's name
    assert "Characteristics and relative advantages of the successful tender" in text
    assert "Agreed 5 for Bravo." in text and "Agreed 4 for Alpha." in text  # its reasons beside the supplier's own
    assert "Questions about this letter during the standstill period go to" in text and world.buyer.email in text
    assert "Head of Commercial, for and on behalf of" in text
    assert "regulation 86 of the Public Contracts Regulations 2015" in text
    assert "Procurement Act" not in text and "Procurement Regulations 2024" not in text


def test_letters_wait_for_the_summaries_to_be_sent():
    world = approved_world(send=False)
    with pytest.raises(ConflictError, match="assessment summaries have been sent"):
        document_letters.competition_summaries(world.competition)
