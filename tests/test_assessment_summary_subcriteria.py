"""Assessment summaries with criteria split into sub-criteria and three groups, under both regimes: every criterion
and sub-criterion with its score and reasons, a criterion's sub-total, the group sub-totals and total, for the
supplier and for the winner; on the outcome page, in the letter PDF and in the letter's embedded data.

The world (tests.test_evaluation_services, sub_criteria=True), by hand:

    Quality 60: Channel management 30 (Publishing 15, 0-5; Monitoring 15, 0-10), Critical incidents 30 (0-5, min 2)
    Price 30 (relative to the lowest); Social value 10: Local employment 10 (0-5)
    Alpha: Publishing 4 -> 12, Monitoring 6 -> 9: Channel management 21; Critical 3 -> 18; Quality 39;
           price 270,000p (lowest) -> 30; Local employment 2 -> 4.                                  Total 73
    Bravo: Publishing 5 -> 15, Monitoring 9 -> 13.5: Channel management 28.5; Critical 5 -> 30; Quality 58.5;
           price 390,000p -> 270/390 x 30 = 20.77; Local employment 4 -> 8.               Total 87.27 (winner)
    Charlie: Critical incidents 1, below the minimum of 2: disqualified.
"""

from __future__ import annotations

import pytest

from portal.domain.law import law_for
from portal.domain.timefmt import format_datetime
from portal.extensions import db
from portal.models import CompetitionCriterion
from portal.services.competitions.scales import default_descriptors
from portal.services.documents import letters, register
from portal.services.evaluation import results
from portal.services.evaluation.summary_lines import published_descriptors
from tests.documents_support import embedded_data, pdf_text
from tests.factories import make_user
from tests.test_award_services import approved_world
from tests.test_law_citations import _assert_cites_only, _text

ARROW = " \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} "  # a sub-criterion's path: Channel management > Publishing
MONITORING_BESIDE = f"Channel management{ARROW}Monitoring 9 out of 10 6 out of 10 Agreed 9 for Bravo."
# (title, own score, own weighted, winner's score, winner's weighted), Alpha beside Bravo
ALPHA_LINES = [
    ("Channel management", "", "21.00", "", "28.50"),
    (f"Channel management{ARROW}Publishing", "4 out of 5", "12.00", "5 out of 5", "15.00"),
    (f"Channel management{ARROW}Monitoring", "6 out of 10", "9.00", "9 out of 10", "13.50"),
    ("Critical incidents", "3 out of 5", "18.00", "5 out of 5", "30.00"),
    ("Price", "Total price £2,700.00", "30.00", "Total price £3,900.00", "20.77"),
    ("Local employment", "2 out of 5", "4.00", "4 out of 5", "8.00"),
]


@pytest.fixture(params=["pa2023", "pcr2015"])
def world(request):
    world = approved_world(regime=request.param, sub_criteria=True)
    world.regime = request.param
    world.approver.job_title = "Head of Procurement"
    world.suppliers["Bravo"].ppon = "PXXB-7538-XLDD"
    world.people = {name: make_user("supplier", supplier=world.suppliers[name]) for name in ("Alpha", "Bravo")}
    db.session.commit()
    return world


def _letter(world, name: str) -> bytes:
    summary = next(s for s in letters.competition_summaries(world.competition) if s.bid.supplier.trading_name == name)
    return register.pdf_bytes(letters.issue_letter(world.buyer, summary))


def test_the_summary_gives_each_criterion_and_sub_criterion_and_their_sub_totals_beside_the_winners(world):
    summary = results.assessment_summary(world.people["Alpha"], world.competition.id)
    got = [(x.title, x.own_score, x.own_weighted, x.winner_score, x.winner_weighted) for x in summary.lines]
    assert got == ALPHA_LINES
    channel = summary.lines[0]
    assert channel.is_subtotal and channel.depth == 1 and channel.rationale == "" and channel.descriptors == ()
    assert [line.depth for line in summary.lines[1:3]] == [2, 2]
    assert (
        summary.lines[1].rationale == "Agreed 4 for Alpha."
        and summary.lines[1].winner_rationale == "Agreed 5 for Bravo."
    )
    groups = {group.name: group.key for group in summary.groups}
    assert [(summary.own_subtotal(key), summary.winner_subtotal(key)) for key in groups.values()] == [
        ("39.00", "58.50"),
        ("30.00", "20.77"),
        ("4.00", "8.00"),
    ]
    assert list(groups) == ["Quality", "Price", "Social value"]
    assert (summary.own.total, summary.winner.rank) == (73, 1)
    # The scales list the scored criteria, not the one split into sub-criteria.
    assert [(scale.top, len(scale.criteria)) for scale in summary.scales] == [(5, 3), (10, 1)]


def test_the_letter_shows_sub_criteria_and_sub_totals_for_the_supplier_and_the_winner(world):
    pdf = _letter(world, "Alpha")
    text = pdf_text(pdf)
    assert "Channel management Split into 2 sub-criteria" in text
    assert "Sub-total of its sub-criteria, below 21.00 28.50" in text
    assert "Publishing Scored from 0 to 5" in text and "Monitoring Scored from 0 to 10" in text
    assert "6 out of 10 Agreed 6 for Alpha. 9.00 9 out of 10 13.50" in text
    assert "Quality sub-total 39.00 58.50" in text
    assert "Price sub-total 30.00 20.77" in text and "Social value sub-total 4.00 8.00" in text
    assert "73.00 out of 100" in text and "87.27 out of 100" in text
    # The winning tender's reasons on every scored criterion, beside the supplier's own score, and who won.
    assert "Agreed 9 for Bravo." in text and "Agreed 4 for Bravo." in text
    assert f"The successful tender is {world.suppliers['Bravo'].legal_name}\N{RIGHT SINGLE QUOTATION MARK}s" in text
    assert "GB-PPON PXXB-7538-XLDD" in text
    data = embedded_data(pdf)
    quality = data["groups"][0]
    assert [(c["name"], c["depth"], c["subtotal"]) for c in quality["criteria"]] == [
        ("Channel management", 1, True),
        ("Publishing", 2, False),
        ("Monitoring", 2, False),
        ("Critical incidents", 1, False),
    ]
    assert (quality["own_subtotal"], quality["winner_subtotal"]) == ("39.00", "58.50")
    assert data["winner"]["identifiers"][0] == {
        "scheme": "GB-PPON",
        "id": "PXXB-7538-XLDD",
        "label": "Public Procurement Organisation Number (PPON)",
    }
    _assert_cites_only(text, world.regime, law_for(world.regime).assessment_summary.provision.citation)


def test_the_winners_letter_shows_its_own_sub_criteria_and_sub_totals(world):
    text = pdf_text(_letter(world, "Bravo"))
    assert "Sub-total of its sub-criteria, below 28.50" in text
    assert "9 out of 10 Agreed 9 for Bravo. 13.50" in text
    assert "Quality sub-total 58.50" in text and "87.27 out of 100" in text
    assert "Agreed 4 for Alpha." not in text  # no other bidder's scores or reasons


def test_a_pcr_2015_letter_names_the_winner_its_relative_advantages_the_standstill_end_and_a_contact():
    world = approved_world(regime="pcr2015", sub_criteria=True)
    world.buyer.job_title = "Senior Procurement Officer"
    db.session.commit()
    text = pdf_text(_letter(world, "Alpha"))
    law = law_for("pcr2015")
    assert f"The contract is to be awarded to {world.suppliers['Bravo'].legal_name}" in text
    assert law.assessment_summary.winner_heading in text  # characteristics and relative advantages
    # Its score and reasons beside the supplier's own, criterion by criterion.
    assert MONITORING_BESIDE in text
    assert f"The standstill period ends {format_datetime(world.competition.standstill_ends_at)}" in text
    assert law.summary_contact(world.buyer.name, "Senior Procurement Officer", world.buyer.email) in text
    _assert_cites_only(text, "pcr2015", law.assessment_summary.provision.citation, law.standstill.basis.citation)


def test_the_outcome_page_shows_sub_criteria_and_sub_totals(world, client, auth):
    auth.login(world.people["Alpha"].email)
    response = client.get(f"/evaluation/outcomes/{world.competition.id}")
    assert response.status_code == 200
    text = _text(response.get_data(as_text=True))
    assert "Channel management Split into 2 sub-criteria" in text
    assert "Sub-total of its sub-criteria, below 21.00 28.50" in text
    monitoring = "Monitoring Scored from 0 to 10 against the published descriptors 15.00 6 out of 10"
    assert f"{monitoring} Agreed 6 for Alpha. 9.00 9 out of 10 13.50" in text
    assert "Quality sub-total 39.00 58.50" in text and "Social value sub-total 4.00 8.00" in text
    assert MONITORING_BESIDE in text
    assert "Public Procurement Organisation Number (PPON) PXXB-7538-XLDD" in text  # the winner, identified
    _assert_cites_only(text, world.regime, law_for(world.regime).assessment_summary.provision.wording)


def test_a_0_to_100_scale_is_described_in_its_published_bands():
    node = CompetitionCriterion(kind="quality", title="Approach", scale_max=100)
    node.descriptors = default_descriptors(100)
    points = [point for point, _ in published_descriptors(node, 100)]
    assert points == ["0 to 19", "20 to 39", "40 to 59", "60 to 79", "80 to 100"]
