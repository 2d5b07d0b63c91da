"""Evaluation pages: opening, declarations, scoring and moderation forms (bad input keeps values), access rules."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, ConflictDeclaration, ModeratedScore, Score
from portal.models.base import utcnow
from tests.factories import make_organisation, make_user
from tests.test_evaluation_services import evaluation_world, moderate_all, score_all


def _url(world, tail=""):
    return f"/evaluation/{world.competition.id}{tail}"


def test_index_lists_competitions_after_the_deadline_with_the_next_step(client, auth):
    world = evaluation_world(opened=False)
    auth.login(world.buyer.email)
    page = client.get("/evaluation/").get_data(as_text=True)
    assert world.competition.reference in page and "Open the bids" in page
    auth.logout()
    auth.login(world.evaluators[0].email)
    page = client.get("/evaluation/").get_data(as_text=True)
    assert world.competition.reference in page and "Still to score" in page


def test_opening_is_started_by_one_officer_and_confirmed_by_another_in_their_own_session(client, auth):
    world = evaluation_world(opened=False)
    auth.login(world.buyer.email)
    page = client.get(_url(world, "/open")).get_data(as_text=True)
    assert "Start the opening" in page and "witness" not in page.lower()
    response = client.post(_url(world, "/open/start"))
    assert response.status_code == 302 and response.headers["Location"].endswith(_url(world, "/open"))
    page = client.get(_url(world, "/open")).get_data(as_text=True)
    assert "Waiting for a colleague to confirm" in page and "Cancel the opening" in page
    assert "Confirm and open" not in page
    response = client.post(_url(world, "/open/confirm"))  # the starter tries to confirm their own opening
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in page
    assert "a different officer must confirm it" in page and 'href="#submit"' in page
    auth.logout()
    auth.login(world.colleague.email)
    page = client.get(_url(world)).get_data(as_text=True)
    assert "Confirm the opening of bids" in page and "Started by Bea Buyer" in page  # the work comes to them
    assert "Confirm the opening of bids" in client.get("/evaluation/").get_data(as_text=True)
    page = client.get(_url(world, "/open")).get_data(as_text=True)
    assert "Confirm and open the bids started by Bea Buyer" in page
    response = client.post(_url(world, "/open/confirm"))
    assert response.status_code == 302 and response.headers["Location"].endswith(_url(world))
    db.session.refresh(world.competition)
    assert world.competition.opened_by_id == world.buyer.id
    assert world.competition.opening_confirmed_by_id == world.colleague.id
    page = client.get(_url(world)).get_data(as_text=True)
    assert "Bids opened" in page and "by Bea Buyer, confirmed by Cole Colleague" in page


def test_opening_before_the_deadline_says_the_deadline_is_and_refuses(client, auth):
    world = evaluation_world(opened=False)
    world.competition.submission_deadline_at = utcnow() + timedelta(days=2)
    db.session.commit()
    auth.login(world.buyer.email)
    page = client.get(_url(world, "/open")).get_data(as_text=True)
    assert "The submission deadline is " in page and "deadline was" not in page
    assert "Start the opening" not in page
    response = client.post(_url(world, "/open/start"))
    assert response.status_code == 200 and "before the submission deadline" in response.get_data(as_text=True)
    world.competition.submission_deadline_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = client.get(_url(world, "/open")).get_data(as_text=True)
    assert "The submission deadline was " in page and "deadline is" not in page


def test_an_undeclared_evaluator_is_sent_to_the_declaration_first(client, auth):
    world = evaluation_world(declared=None)
    eve = world.evaluators[0]
    auth.login(eve.email)
    bid, criterion = world.bids["Alpha"], world.criteria[0]
    for url in (_url(world, "/scoring"), _url(world, f"/bids/{bid.id}/criteria/{criterion.id}/score")):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].endswith(_url(world, "/declaration"))
    page = client.get(_url(world, "/declaration")).get_data(as_text=True)
    assert "conflict of interest with Alpha" in page and "Our answer" not in page  # the bidders, never a bid
    alpha, bravo, charlie = (world.suppliers[n] for n in ("Alpha", "Bravo", "Charlie"))
    response = client.post(
        _url(world, "/declaration"), data={f"conflict_{alpha.id}": "yes", f"conflict_{bravo.id}": "no"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in page
    assert f"Enter details of the conflict of interest with {alpha.legal_name}" in page
    assert f"Select yes if you have a conflict of interest with {charlie.legal_name}" in page
    assert f'name="conflict_{bravo.id}" type="radio" value="no" checked' in page  # nothing entered is lost
    answers = {f"conflict_{s.id}": "no" for s in (bravo, charlie)}
    answers |= {f"conflict_{alpha.id}": "yes", f"details_{alpha.id}": "My brother works at Alpha"}
    response = client.post(_url(world, "/declaration"), data=answers)
    assert response.status_code == 302
    made = db.session.scalars(select(ConflictDeclaration).where(ConflictDeclaration.user_id == eve.id)).all()
    assert sorted(d.has_conflict for d in made) == [False, False, True]


def test_a_conflicted_evaluator_is_told_why_a_bid_is_missing(client, auth):
    world = evaluation_world(declared=True)
    auth.login(world.evaluators[0].email)
    page = client.get(_url(world, "/scoring")).get_data(as_text=True)
    assert "You declared a conflict of interest with this supplier" in page and "Our answer" not in page
    bid, criterion = world.bids["Alpha"], world.criteria[0]
    response = client.get(_url(world, f"/bids/{bid.id}/criteria/{criterion.id}/score"), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "You declared a conflict of interest with Alpha" in page
    assert "Our answer" not in page


def test_score_form_shows_descriptors_hides_prices_and_keeps_bad_input(client, auth):
    world = evaluation_world()
    auth.login(world.evaluators[0].email)
    bid, criterion = world.bids["Alpha"], world.criteria[0]
    url = _url(world, f"/bids/{bid.id}/criteria/{criterion.id}/score")
    page = client.get(url).get_data(as_text=True)
    assert "Our answer on Channel management." in page and "5: Excellent" in page and 'type="radio"' in page
    assert "£" not in page and "270,000" not in page
    response = client.post(url, data={"score": "", "justification": "Clear and evidenced"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Select a score" in page and "Clear and evidenced" in page
    response = client.post(url, data={"score": "4", "justification": ""})
    page = response.get_data(as_text=True)
    assert "Enter a justification for the score" in page and 'value="4" checked' in page
    response = client.post(url, data={"score": "9", "justification": "x"})
    assert response.status_code == 200 and "whole number from 0 to 5" in response.get_data(as_text=True)
    response = client.post(url, data={"score": "4", "justification": "Clear and evidenced"})
    assert response.status_code == 302
    page = client.get(_url(world, "/scoring")).get_data(as_text=True)
    assert "You have scored 1 of 6" in page


def test_evaluators_never_see_each_others_scores(client, auth):
    world = evaluation_world()
    score_all(world)
    auth.login(world.evaluators[0].email)
    bid, criterion = world.bids["Alpha"], world.criteria[0]
    page = client.get(_url(world, f"/bids/{bid.id}/criteria/{criterion.id}/score")).get_data(as_text=True)
    assert world.evaluators[2].name not in page
    assert client.get(_url(world, "/moderation")).status_code == 403


def test_moderation_shows_every_score_and_the_disagreement(client, auth):
    world = evaluation_world()
    score_all(world)
    auth.login(world.buyer.email)
    page = client.get(_url(world, "/moderation")).get_data(as_text=True)
    assert "0 of 6 moderated scores recorded" in page and "Disagreement" in page
    bid, criterion = world.bids["Alpha"], world.criteria[0]
    url = _url(world, f"/bids/{bid.id}/criteria/{criterion.id}/moderate")
    page = client.get(url).get_data(as_text=True)
    assert all(person.name in page for person in world.evaluators) and "The evaluators disagree" in page
    response = client.post(url, data={"score": "3", "rationale": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Enter the rationale" in page and 'value="3" checked' in page
    assert client.post(url, data={"score": "3", "rationale": "Panel agreed 3"}).status_code == 302
    assert db.session.scalar(select(ModeratedScore)).rationale == "Panel agreed 3"
    page = client.get(_url(world, "/moderation/complete")).get_data(as_text=True)
    assert "5 still to do" in page and 'name="confirmed"' not in page  # no button until every score is recorded
    response = client.post(_url(world, "/moderation/complete"), data={"confirmed": "yes"}, follow_redirects=True)
    assert "5 still to do" in response.get_data(as_text=True)


def test_completing_moderation_asks_for_confirmation_first(client, auth):
    world = evaluation_world()
    score_all(world)
    moderate_all(world)
    auth.login(world.buyer.email)
    board = client.get(_url(world, "/moderation")).get_data(as_text=True)
    # The board only links to the confirmation page: it has no form that completes moderation.
    complete = _url(world, "/moderation/complete")
    assert f'href="{complete}"' in board and f'action="{complete}"' not in board
    page = client.get(_url(world, "/moderation/complete")).get_data(as_text=True)
    assert "Are you sure you want to complete moderation?" in page
    assert "Once completed, moderated scores cannot be changed." in page
    assert 'name="confirmed" type="hidden" value="yes"' in page and f'href="{_url(world, "/moderation")}"' in page
    # A POST without the confirmation (as the old board's button sent) completes nothing: it asks to confirm.
    response = client.post(_url(world, "/moderation/complete"), data={})
    assert response.status_code == 302 and response.headers["Location"].endswith(_url(world, "/moderation/complete"))
    db.session.expire_all()
    assert world.competition.moderated_at is None
    response = client.post(_url(world, "/moderation/complete"), data={"confirmed": "yes"}, follow_redirects=True)
    assert "Moderation complete: the results are final" in response.get_data(as_text=True)
    db.session.expire_all()
    assert world.competition.moderated_at is not None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "competition.moderation_completed"))
    # Once completed there is nothing left to confirm: the page sends the officer back to the board.
    response = client.get(_url(world, "/moderation/complete"))
    assert response.status_code == 302 and response.headers["Location"].endswith(_url(world, "/moderation"))
    auth.logout()
    auth.login(world.evaluators[0].email)
    assert client.get(_url(world, "/moderation/complete")).status_code == 403


def test_wrong_roles_and_organisations_are_refused(client, auth):
    world = evaluation_world()
    stranger = make_user("buyer", organisation=make_organisation())
    supplier_user = make_user("supplier", supplier=world.suppliers["Alpha"])
    db.session.commit()
    auth.login(world.evaluators[0].email)
    for tail in ("/open", "/evaluators", "/results", "/recommend", "/approve"):
        assert client.get(_url(world, tail)).status_code == 403, tail
    auth.logout()
    auth.login(stranger.email)
    for tail in ("", "/open", "/evaluators", "/results", "/moderation"):
        assert client.get(_url(world, tail)).status_code == 404, tail
    assert client.get(_url(world, "/scoring")).status_code == 404
    auth.logout()
    auth.login(supplier_user.email)
    assert client.get("/evaluation/").status_code == 403
    assert client.get(_url(world, "/results")).status_code == 403
    auth.logout()
    auth.login(world.buyer.email)
    assert client.get(_url(world, "/approve")).status_code == 403
    assert client.get(_url(world, "/scoring")).status_code == 404  # not assigned as an evaluator


def test_assigning_an_evaluator_through_the_page(client, auth):
    world = evaluation_world(evaluators=0)
    person = make_user("evaluator", organisation=world.buyer.buyer_organisation, name="Nina New")
    db.session.commit()
    auth.login(world.buyer.email)
    page = client.get(_url(world, "/evaluators")).get_data(as_text=True)
    assert "Three independent evaluators is ideal" in page and "Nina New" in page
    response = client.post(_url(world, "/evaluators"), data={"user_id": ""})
    assert response.status_code == 200 and "Choose an evaluator" in response.get_data(as_text=True)
    response = client.post(_url(world, "/evaluators"), data={"user_id": str(person.id)})
    assert "Select the criteria this evaluator will score" in response.get_data(as_text=True)
    chosen = {"user_id": str(person.id), "criterion_ids": [str(world.criteria[0].id)]}
    response = client.post(_url(world, "/evaluators"), data=chosen, follow_redirects=True)
    assert "Nina New assigned as an evaluator" in response.get_data(as_text=True)
    assert "Not declared yet" in response.get_data(as_text=True)


def test_empty_posts_never_500(client, auth):
    world = evaluation_world()
    bid, criterion = world.bids["Alpha"], world.criteria[0]
    auth.login(world.buyer.email)
    for tail in (
        "/open",
        "/evaluators",
        f"/evaluators/{world.evaluators[0].id}/remove",
        "/moderation/complete",
        f"/bids/{bid.id}/criteria/{criterion.id}/moderate",
        f"/bids/{bid.id}/price-explanation/request",
        f"/bids/{bid.id}/price-explanation/record",
        f"/bids/{bid.id}/price-explanation/decide",
        "/recommend",
        "/confirm-award",
    ):
        assert client.post(_url(world, tail), data={}).status_code < 500, tail
    assert db.session.scalar(select(Score)) is None
