"""Autosave of a bid answer: the answer page's script posts the form to the autosave address, which saves the draft
through the same audited, sealed save as the button and answers in JSON; refusals come back as JSON errors."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, BidAnswer
from portal.services.bids import drafting
from tests.factories_bidding import make_world


@pytest.fixture
def world(auth):
    world = make_world()
    drafting.respond(world.user, world.competition.id, "bidding")
    auth.login(world.user.email)
    return world


def _url(world, criterion) -> str:
    return f"/bids/competitions/{world.competition.id}/questions/{criterion.id}/autosave"


def test_the_answer_page_offers_autosave_and_it_saves_the_draft(client, world):
    criterion = world.quality[0]
    page = client.get(f"/bids/competitions/{world.competition.id}/questions/{criterion.id}").get_data(as_text=True)
    assert 'data-module="app-autosave"' in page and f'data-autosave-url="{_url(world, criterion)}"' in page
    assert "data-autosave-status" in page
    response = client.post(_url(world, criterion), data={"text": "Typed so far"})
    assert response.status_code == 200 and response.get_json()["saved"] is True
    assert response.headers["Cache-Control"] == "no-store"
    bid = drafting.own_bid(world.user, world.competition)
    assert drafting.draft_answers(bid)[criterion.id].text == "Typed so far"
    stored = db.session.scalar(select(BidAnswer).where(BidAnswer.bid_id == bid.id))
    assert "Typed so far" not in stored.text_sealed  # sealed at rest, as the button's save
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "bid.answer_saved"))
    assert json.loads(event.after_json) == {"criterion_id": criterion.id}


def test_a_refused_autosave_says_why_in_json(client, world):
    criterion = world.quality[0]
    response = client.post(_url(world, criterion), data={"text": "word " * 600})
    assert response.status_code == 400 and "words or fewer" in response.get_json()["error"]
    assert drafting.own_bid(world.user, world.competition).answers == []


def test_another_supplier_cannot_autosave_into_a_competition_it_was_not_invited_to(client, auth):
    world = make_world()
    outsider = make_world()
    auth.login(outsider.user.email)
    assert client.post(_url(world, world.quality[0]), data={"text": "x"}).status_code == 404
