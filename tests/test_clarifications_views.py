"""View tests for clarification questions: supplier and buyer pages, bad input, deadlines and access."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.models import Clarification
from portal.models.base import utcnow
from portal.services.competitions import clarifications, publication
from tests.test_competition_builder_support import complete, start, world


@pytest.fixture
def published():
    w = world()
    competition = complete(start(w), w.buyer)
    publication.publish(w.buyer, competition.id)
    return w, competition


def signed_in(auth, user):
    assert auth.login(user.email).status_code == 302


def test_supplier_asks_and_sees_published_answers_without_asker(client, auth, published):
    w, competition = published
    signed_in(auth, w.supplier_users[0])
    page_url = f"/clarifications/competitions/{competition.id}"
    assert "You can ask questions until" in client.get(page_url).get_data(as_text=True)
    empty = client.post(page_url, data={"question": ""})
    assert empty.status_code == 200 and "Enter your question" in empty.get_data(as_text=True)
    response = client.post(page_url, data={"question": "Is single sign-on required?"})
    assert response.status_code == 302
    question = db.session.query(Clarification).one()
    clarifications.answer(w.buyer, question.id, answer="Yes, SAML.", audience="all")
    auth.logout()
    signed_in(auth, w.supplier_users[1])
    page = client.get(page_url).get_data(as_text=True)
    assert "Is single sign-on required?" in page and "Yes, SAML." in page
    assert "Alpha" not in page


def test_question_after_the_deadline_shows_a_clear_error(client, auth, published):
    w, competition = published
    competition.clarification_deadline_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    signed_in(auth, w.supplier_users[0])
    page_url = f"/clarifications/competitions/{competition.id}"
    response = client.post(page_url, data={"question": "Late question"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "clarification deadline has passed" in page
    assert "Late question" in page  # nothing typed is lost
    assert db.session.query(Clarification).count() == 0


def test_buyer_sees_asker_and_answers_privately_with_reason(client, auth, published):
    w, competition = published
    question = clarifications.ask(w.supplier_users[0], competition.id, "Can we reuse our pricing?")
    signed_in(auth, w.buyer)
    page = client.get(f"/clarifications/competitions/{competition.id}/questions").get_data(as_text=True)
    assert "Can we reuse our pricing?" in page and "Alpha" in page
    answer_url = f"/clarifications/{question.id}/answer"
    bad = client.post(answer_url, data={"answer": "Yes", "audience": "private"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "There is a problem" in text and "why the answer is private" in text
    assert ">Yes</textarea>" in text
    ok = client.post(answer_url, data={"answer": "Yes", "audience": "private", "private_reason": "Their pricing"})
    assert ok.status_code == 302 and question.audience == "private"
    assert client.post(answer_url, data={}).status_code == 200


def test_access_rules(client, auth, published):
    w, competition = published
    question = clarifications.ask(w.supplier_users[0], competition.id, "Q?")
    supplier_url = f"/clarifications/competitions/{competition.id}"
    buyer_url = f"/clarifications/competitions/{competition.id}/questions"
    signed_in(auth, w.supplier_users[2])  # suspended, so not invited
    assert client.get(supplier_url).status_code == 404
    assert client.get(buyer_url).status_code == 403
    auth.logout()
    signed_in(auth, w.other_buyer)
    assert client.get(buyer_url).status_code == 404
    assert client.get(f"/clarifications/{question.id}/answer").status_code == 404
    assert client.get(supplier_url).status_code == 403
    auth.logout()
    signed_in(auth, w.evaluator)
    assert client.get(buyer_url).status_code == 403
