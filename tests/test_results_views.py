"""Results, price review, recommendation, approval and the bidder's outcome page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import PriceExplanation
from portal.models.base import utcnow
from portal.services.evaluation import award, summaries
from tests.factories import make_user
from tests.factories_competition import declare_officers
from tests.test_award_services import approved_world, moderated_world, recommended_world
from tests.test_evaluation_services import evaluation_world, moderate_all, score_all


def _url(world, tail=""):
    return f"/evaluation/{world.competition.id}{tail}"


def test_results_page_numbers_robustness_and_chart(client, auth):
    world = moderated_world()
    auth.login(world.buyer.email)
    response = client.get(_url(world, "/results"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Highest-scoring compliant bid: Bravo" in page
    assert "87.69" in page and "82.00" in page and "27.69" in page and "40.00" in page
    assert "£3,900.00" in page  # prices are visible to buyers here
    assert "unless the Quality weight moves" in page and "9.36" in page
    assert "below the minimum acceptable score of 2" in page  # Charlie's disqualification
    assert "rounded, to 2 decimal places" in page
    assert "30.76 % below the mean of the other compliant bids" in page
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg and "style=" not in svg
    assert "Bravo: Quality 60.00, Price 27.69, total 87.69" in svg
    assert "Margins by competitor" in page


def test_results_during_evaluation_are_provisional_or_explain_what_is_missing(client, auth):
    world = evaluation_world()
    auth.login(world.approver.email)
    page = client.get(_url(world, "/results")).get_data(as_text=True)
    assert "provisional" in page and "has no moderated score" in page
    score_all(world)
    moderate_all(world)
    page = client.get(_url(world, "/results")).get_data(as_text=True)
    assert "provisional" in page and "87.69" in page


def test_results_before_opening_are_not_available(client, auth):
    world = evaluation_world(opened=False)
    auth.login(world.buyer.email)
    response = client.get(_url(world, "/results"))
    assert response.status_code == 409 and "once the bids have been opened" in response.get_data(as_text=True)


def test_price_explanation_workflow_through_the_pages(client, auth):
    world = moderated_world()
    alpha = world.bids["Alpha"]
    auth.login(world.buyer.email)
    base = _url(world, f"/bids/{alpha.id}/price-explanation")
    assert "Request an explanation" in client.get(base).get_data(as_text=True)
    response = client.post(base + "/decide", data={"decide-outcome": "rejected", "decide-reason": "Too cheap"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "requested and recorded" in page and "Too cheap" in page
    assert client.post(base + "/request", data={}).status_code == 302
    response = client.post(base + "/record", data={"record-explanation": ""})
    assert "Enter the supplier" in response.get_data(as_text=True)
    client.post(base + "/record", data={"record-explanation": "We own the platform outright."})
    response = client.post(base + "/decide", data={"decide-outcome": "accepted", "decide-reason": ""})
    assert response.status_code == 302
    assert db.session.scalar(select(PriceExplanation)).outcome == "accepted"
    assert client.get(_url(world, f"/bids/{world.bids['Bravo'].id}/price-explanation")).status_code == 404


def test_supplier_can_type_its_own_explanation(client, auth):
    world = moderated_world()
    alpha_user = make_user("supplier", supplier=world.suppliers["Alpha"])
    bravo_user = make_user("supplier", supplier=world.suppliers["Bravo"])
    db.session.commit()
    award.request_explanation(world.buyer, world.competition.id, world.bids["Alpha"].id)
    url = f"/evaluation/outcomes/{world.competition.id}/price-explanation"
    auth.login(bravo_user.email)
    assert client.get(url).status_code == 404
    auth.logout()
    auth.login(alpha_user.email)
    response = client.post(url, data={"explanation": ""})
    assert response.status_code == 200 and "Enter the supplier" in response.get_data(as_text=True)
    assert client.post(url, data={"explanation": "Our platform is paid for."}).status_code == 302
    assert "Our platform is paid for." in client.get(url).get_data(as_text=True)


def test_recommend_page_refuses_a_non_top_bid_and_keeps_the_note(client, auth):
    world = moderated_world()
    auth.login(world.buyer.email)
    url = _url(world, "/recommend")
    response = client.post(url, data={"bid_id": str(world.bids["Alpha"].id), "note": "Cheaper"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "must follow the published criteria" in page and "Cheaper" in page
    response = client.post(url, data={"bid_id": str(world.bids["Bravo"].id), "note": "Best value"})
    assert response.status_code == 302
    db.session.refresh(world.competition)
    assert world.competition.recommended_bid_id == world.bids["Bravo"].id


@pytest.mark.parametrize("regime", ["pa2023", "pcr2015"])
def test_the_buyer_chooses_a_voluntary_standstill_where_the_act_leaves_it_to_them(client, auth, regime):
    world = moderated_world(regime=regime)
    auth.login(world.buyer.email)
    url = _url(world, "/recommend")
    page = client.get(url).get_data(as_text=True)
    assert ("Apply a voluntary standstill period?" in page) is (regime == "pa2023")
    if regime == "pa2023":
        assert "section 51(3)" in page and "Regulations 2015" not in page
    data = {"bid_id": str(world.bids["Bravo"].id), "note": "Best value", "standstill": "no"}
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(world.competition)
    # Under PCR 2015 the portal always applies the voluntary standstill, whatever is posted.
    assert world.competition.standstill_applies is (regime == "pcr2015")


def test_approve_page_refuses_the_recommender_and_approves_for_another(client, auth):
    world = moderated_world()
    other_approver = make_user("approver", organisation=world.buyer.buyer_organisation)
    declare_officers(world.competition, other_approver, roles=("approver",))
    db.session.commit()
    award.recommend(world.approver, world.competition.id, world.bids["Bravo"].id)
    auth.login(world.approver.email)
    response = client.post(_url(world, "/approve"), data={})
    assert response.status_code == 200 and "cannot also approve it" in response.get_data(as_text=True)
    auth.logout()
    auth.login(other_approver.email)
    assert world.suppliers["Bravo"].legal_name in client.get(_url(world, "/approve")).get_data(as_text=True)
    response = client.post(_url(world, "/approve"), data={})
    assert response.status_code == 302
    page = client.get(_url(world)).get_data(as_text=True)
    assert "Standstill" in page


def test_confirm_award_after_standstill(client, auth):
    world = approved_world(regime="pcr2015")
    auth.login(world.buyer.email)
    response = client.post(_url(world, "/confirm-award"), data={}, follow_redirects=True)
    assert "until the standstill period ends" in response.get_data(as_text=True)
    world.competition.standstill_ends_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.post(_url(world, "/confirm-award"), data={}, follow_redirects=True)
    assert "Contract award confirmed" in response.get_data(as_text=True)


def test_outcome_page_for_a_loser_shows_reg31_content_and_hides_other_losers(client, auth):
    world = approved_world()
    alpha_user = make_user("supplier", supplier=world.suppliers["Alpha"])
    outsider = make_user("supplier")
    db.session.commit()
    auth.login(alpha_user.email)
    response = client.get(f"/evaluation/outcomes/{world.competition.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Your bid was not successful" in page and "Bravo" in page
    assert "Agreed 4 for Alpha." in page  # the moderator's rationale for its own score
    assert "5 out of 5" in page and "87.69" in page and "82.00" in page  # the winner's scores and its own total
    assert (
        "Relative to the lowest price" in page
        and "begins with the day the contract award notice (UK6) is published" in page
    )
    assert "Charlie" not in page
    # reg 31: the winning tender's scores and the reasons, the scales, both parties' identifiers and a contact
    assert "Agreed 5 for Bravo." in page and "The winning tender&#39;s scores and the reasons for them" in page
    assert "The scoring scales" in page
    assert world.suppliers["Alpha"].companies_house_number in page
    assert f"go to {world.buyer.name}" in page and world.buyer.email in page
    auth.logout()
    auth.login(outsider.email)
    assert client.get(f"/evaluation/outcomes/{world.competition.id}").status_code == 404


def test_outcome_for_a_disqualified_bidder_gives_the_reason(client, auth):
    world = approved_world()
    charlie_user = make_user("supplier", supplier=world.suppliers["Charlie"])
    db.session.commit()
    auth.login(charlie_user.email)
    page = client.get(f"/evaluation/outcomes/{world.competition.id}").get_data(as_text=True)
    assert "Why your bid was disqualified" in page and "below the minimum acceptable score" in page
    assert "Alpha" not in page


def test_outcome_of_a_pcr2015_competition_gives_the_winners_relative_advantages(client, auth):
    world = approved_world(regime="pcr2015")
    alpha_user = make_user("supplier", supplier=world.suppliers["Alpha"])
    db.session.commit()
    auth.login(alpha_user.email)
    page = client.get(f"/evaluation/outcomes/{world.competition.id}").get_data(as_text=True)
    assert "Characteristics and relative advantages of the successful tender" in page and "Agreed 5 for Bravo." in page
    assert "Public Contracts Regulations 2015" in page and "Procurement Regulations 2024" not in page


def test_outcome_after_approval_waits_for_the_summaries(client, auth):
    world = approved_world(send=False)
    alpha_user = make_user("supplier", supplier=world.suppliers["Alpha"])
    db.session.commit()
    auth.login(alpha_user.email)
    page = client.get(f"/evaluation/outcomes/{world.competition.id}").get_data(as_text=True)
    assert "has not been decided yet" in page and "87.69" not in page
    assert client.get(f"/evaluation/outcomes/{world.competition.id}/letter").status_code == 404


def test_outcome_before_approval_says_not_decided(client, auth):
    world = recommended_world()
    bravo_user = make_user("supplier", supplier=world.suppliers["Bravo"])
    db.session.commit()
    auth.login(bravo_user.email)
    page = client.get(f"/evaluation/outcomes/{world.competition.id}").get_data(as_text=True)
    assert "has not been decided yet" in page and "87.69" not in page


def test_bidders_find_their_outcome_from_the_competition_page(client, auth):
    world = recommended_world()
    bravo_user = make_user("supplier", supplier=world.suppliers["Bravo"])
    db.session.commit()
    auth.login(bravo_user.email)
    link = f'href="/evaluation/outcomes/{world.competition.id}"'
    assert link not in client.get(f"/bids/competitions/{world.competition.id}").get_data(as_text=True)
    award.approve(world.approver, world.competition.id)
    assert link not in client.get(f"/bids/competitions/{world.competition.id}").get_data(as_text=True)
    summaries.send_assessment_summaries(world.buyer, world.competition.id)
    assert link in client.get(f"/bids/competitions/{world.competition.id}").get_data(as_text=True)
