"""Supplier bid pages: what each shows, what each form does, and bad input that never loses what was typed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Bid, BidSubmission, Invitation
from portal.models.base import utcnow
from portal.services.bids import drafting
from portal.services.bids import submission as bid_submission
from tests.factories import make_supplier
from tests.factories_bidding import complete_draft, make_world
from tests.factories_competition import make_competition


@pytest.fixture
def world(auth):
    world = make_world()
    auth.login(world.user.email)
    return world


def _deadline_passed(world) -> None:
    world.competition.clarification_deadline_at = utcnow() - timedelta(hours=2)
    world.competition.submission_deadline_at = utcnow() - timedelta(seconds=1)
    db.session.commit()


def _url(world, path=""):
    return f"/bids/competitions/{world.competition.id}{path}"


def test_the_list_shows_invitations_with_deadline_state_and_bid_status(client, world):
    other = make_competition(suppliers=[make_supplier()])
    db.session.commit()
    page = client.get("/bids").get_data(as_text=True)
    assert world.competition.title in page and world.competition.buyer_organisation.name in page
    assert other.title not in page
    assert "Open for bids" in page and "Not decided" in page and "No bid" in page
    assert "days" in page and "left" in page


def test_the_competition_page_shows_what_was_published(client, world):
    page = client.get(_url(world)).get_data(as_text=True)
    for text in [
        "Channel management",
        "Critical incidents",
        "Cyber Essentials Plus held",
        "Quality: 60%",
        "Price: 40%",
        "relative to the lowest price",
        "the higher quality score, then the lower total price",
        "Excellent: exceeds the requirement",
        "a lower score disqualifies the bid",
        "Licence",
        "Decide whether to bid",
    ]:
        assert text in page, text


def test_deciding_to_bid_redirects_to_the_task_list(client, world):
    response = client.post(_url(world, "/decision"), data={"decision": "bidding"})
    assert response.status_code == 302 and response.headers["Location"].endswith(_url(world) + "#your-bid")
    page = client.get(_url(world)).get_data(as_text=True)
    assert "You are bidding" in page and "Check and submit your bid" in page and "Not yet started" in page


def test_a_decision_must_be_chosen(client, world):
    response = client.post(_url(world, "/decision"), data={"decision": "maybe", "reason": "Thinking"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Select whether you will bid" in page and "Thinking" in page


def test_declining_with_a_reason(client, world):
    client.post(_url(world, "/decision"), data={"decision": "declined", "reason": "No capacity"})
    invitation = db.session.scalar(select(Invitation).where(Invitation.supplier_id == world.supplier.id))
    assert invitation.response == "declined" and invitation.decline_reason == "No capacity"
    assert "No capacity" in client.get(_url(world)).get_data(as_text=True)


def test_saving_an_answer_persists_and_shows_the_word_count_component(client, world):
    drafting.respond(world.user, world.competition.id, "bidding")
    criterion = world.quality[0]
    page = client.get(_url(world, f"/questions/{criterion.id}")).get_data(as_text=True)
    assert 'data-module="govuk-character-count"' in page and 'data-maxwords="500"' in page
    response = client.post(_url(world, f"/questions/{criterion.id}"), data={"text": "Our answer"})
    assert response.status_code == 302
    assert "Draft saved: Channel management" in client.get(_url(world)).get_data(as_text=True)
    bid = drafting.own_bid(world.user, world.competition)
    assert [a.text for a in drafting.draft_answers(bid).values()] == ["Our answer"]


def test_an_answer_over_the_word_limit_is_refused_and_kept_on_the_page(client, world):
    drafting.respond(world.user, world.competition.id, "bidding")
    criterion = world.quality[0]
    long_answer = "word " * 500 + "overflowing"
    response = client.post(_url(world, f"/questions/{criterion.id}"), data={"text": long_answer})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Error:" in page and "Answer for Channel management must be 500 words or fewer" in page
    assert "overflowing" in page
    assert drafting.own_bid(world.user, world.competition).answers == []


def test_a_pass_fail_answer_is_saved_with_evidence(client, world):
    drafting.respond(world.user, world.competition.id, "bidding")
    criterion = world.pass_fail[0]
    client.post(_url(world, f"/questions/{criterion.id}"), data={"passed": "yes", "text": "Cert 42"})
    [answer] = drafting.draft_answers(drafting.own_bid(world.user, world.competition)).values()
    assert (answer.passed, answer.text) == (True, "Cert 42")
    response = client.post(_url(world, f"/questions/{criterion.id}"), data={"passed": "perhaps", "text": "Cert 43"})
    assert "Select yes or no" in response.get_data(as_text=True) and "Cert 43" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "Unit price for Licence must be more than £0"),
        ("-1", "Unit price for Licence must be an amount in pounds"),
        ("abc", "Unit price for Licence must be an amount in pounds"),
        ("1.234", "Unit price for Licence must be an amount in pounds"),
    ],
)
def test_prices_that_are_not_positive_amounts_are_refused_and_kept(client, world, typed, message):
    drafting.respond(world.user, world.competition.id, "bidding")
    licence, onboarding = world.lines
    response = client.post(_url(world, "/prices"), data={f"price_{licence.id}": typed, f"price_{onboarding.id}": "750"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page and "Error:" in page
    assert f'value="{typed}"' in page and 'value="750"' in page
    assert drafting.own_bid(world.user, world.competition).prices == []


def test_prices_save_and_the_total_is_shown(client, world):
    drafting.respond(world.user, world.competition.id, "bidding")
    licence, onboarding = world.lines
    response = client.post(_url(world, "/prices"), data={f"price_{licence.id}": "10", f"price_{onboarding.id}": ""})
    assert response.status_code == 302
    assert "Draft prices saved: total £1,200.00" in client.get(_url(world)).get_data(as_text=True)
    page = client.get(_url(world, "/prices")).get_data(as_text=True)
    assert 'value="10.00"' in page and "Not priced" in page and "£1,200.00" in page


def test_check_page_lists_what_is_missing(client, world):
    drafting.respond(world.user, world.competition.id, "bidding")
    response = client.post(_url(world, "/submit"), data={})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Error: Check your bid" in page
    assert "Enter an answer for Channel management" in page and "Enter a unit price for Onboarding" in page
    assert db.session.scalar(select(func.count(BidSubmission.id))) == 0


def test_submitting_leads_to_the_receipt(client, world):
    complete_draft(world)
    response = client.post(_url(world, "/submit"), data={})
    submission = db.session.scalar(select(BidSubmission))
    assert response.headers["Location"].endswith(f"/bids/submissions/{submission.id}/receipt")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bid received: version 1" in page
    assert submission.content_sha256 in page and "£2,700.00" in page
    assert "Channel management" in page and "5 words" in page
    listing = client.get("/bids").get_data(as_text=True)
    assert "Submitted" in listing and "Version 1" in listing


def test_a_late_submission_is_refused_with_a_clear_message_and_the_draft_kept(client, world):
    complete_draft(world)
    _deadline_passed(world)
    response = client.post(_url(world, "/submit"), data={})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The submission deadline has passed" in page and "bids can no longer be submitted" in page
    assert db.session.scalar(select(func.count(BidSubmission.id))) == 0
    assert drafting.own_bid(world.user, world.competition).status == "draft"


def test_withdrawing_through_the_confirmation_page(client, world):
    complete_draft(world)
    bid_submission.submit(world.user, world.competition.id)
    assert "Are you sure" in client.get(_url(world, "/withdraw")).get_data(as_text=True)
    response = client.post(_url(world, "/withdraw"), data={})
    assert response.status_code == 302
    assert db.session.scalar(select(Bid.status)) == "withdrawn"
    assert "Version 1 of your bid has been withdrawn" in client.get(_url(world)).get_data(as_text=True)


def test_withdrawing_with_nothing_submitted_says_so(client, world):
    complete_draft(world)
    response = client.post(_url(world, "/withdraw"), data={})
    assert response.status_code == 200 and "You have no submitted bid to withdraw" in response.get_data(as_text=True)


def test_editing_pages_need_a_decision_to_bid(client, world):
    assert client.get(_url(world, "/prices")).status_code == 404
    assert client.get(_url(world, f"/questions/{world.quality[0].id}")).status_code == 404


def test_a_question_of_another_competition_is_not_found(client, world):
    drafting.respond(world.user, world.competition.id, "bidding")
    other = make_competition(suppliers=[world.supplier])
    db.session.commit()
    other_criterion = next(c for c in other.criteria if c.kind == "quality")
    assert client.get(_url(world, f"/questions/{other_criterion.id}")).status_code == 404


def test_after_the_deadline_the_page_says_bids_can_no_longer_change(client, world):
    complete_draft(world)
    _deadline_passed(world)
    page = client.get(_url(world)).get_data(as_text=True)
    assert "Bids can no longer be changed" in page and "Check and submit your bid" not in page
    response = client.post(_url(world, f"/questions/{world.quality[0].id}"), data={"text": "Too late"})
    assert response.status_code == 200 and "The submission deadline has passed" in response.get_data(as_text=True)
