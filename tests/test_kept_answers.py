"""A bid answer posted after its writer's session timed out is kept, sealed under a key only their browser holds,
and put back in the form once the same supplier user signs in again; nobody else gets it, and it expires."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import KeptAnswer
from portal.services.bids import drafting, kept_answers
from tests.conftest import TEST_PASSWORD
from tests.factories_bidding import make_world

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TYPED = "Our channel team answers within the hour, every hour of the year, and the secret sauce is"


@pytest.fixture
def world(app, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 30)
    with time_machine.travel(START, tick=False):
        world = make_world()
        world.competition.submission_deadline_at = START + timedelta(days=30)
        drafting.respond(world.user, world.competition.id, "bidding")
        drafting.respond(world.rival_user, world.competition.id, "bidding")
        db.session.commit()
    return world


def _sign_in(client, email: str) -> None:
    assert client.post("/sign-in", data={"email": email, "password": TEST_PASSWORD}).status_code == 302


def _question(world) -> str:
    return f"/bids/competitions/{world.competition.id}/questions/{world.quality[0].id}"


def _kept_count() -> int:
    return db.session.scalar(select(func.count(KeptAnswer.id)))


def _post_after_time_out(app, world, clock):
    client = app.test_client()
    _sign_in(client, world.user.email)
    assert client.get(_question(world)).status_code == 200
    clock.move_to(START + timedelta(minutes=45))  # idle for longer than the 30 minutes allowed
    response = client.post(_question(world), data={"text": TYPED})
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    return client


def test_the_answer_survives_the_time_out_and_comes_back_after_signing_in(app, world):
    with time_machine.travel(START, tick=False) as clock:
        client = _post_after_time_out(app, world, clock)
        cookie = client.get_cookie(kept_answers.COOKIE, path="/bids/")
        assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
        row = db.session.scalar(select(KeptAnswer))
        assert row.user_id == world.user.id
        # Sealed: neither the text nor the competition is readable from the row.
        assert b"secret sauce" not in row.sealed and str(world.competition.id).encode() not in row.sealed[:5]
        assert drafting.own_bid(world.user, world.competition).answers == []  # nothing saved to the bid
        assert "We kept the answer you were typing" in client.get("/sign-in").get_data(as_text=True)

        _sign_in(client, world.user.email)
        page = client.get(_question(world)).get_data(as_text=True)
        assert TYPED in page and "We kept the answer you were typing" in page
        assert _kept_count() == 0  # consumed, and the cookie dropped
        assert client.get_cookie(kept_answers.COOKIE, path="/bids/") is None
        assert TYPED not in client.get(_question(world)).get_data(as_text=True)


def test_another_suppliers_user_cannot_get_it(app, world):
    with time_machine.travel(START, tick=False) as clock:
        client = _post_after_time_out(app, world, clock)
        token = client.get_cookie(kept_answers.COOKIE, path="/bids/").value
        # The rival's user signs in on the same browser (a shared computer): the cookie is there, the answer is not.
        _sign_in(client, world.rival_user.email)
        page = client.get(_question(world)).get_data(as_text=True)
        assert TYPED not in page and "We kept" not in page
        # Nor with a copy of the cookie in their own browser.
        rival = app.test_client()
        _sign_in(rival, world.rival_user.email)
        rival.set_cookie(kept_answers.COOKIE, token, path="/bids/")
        assert TYPED not in rival.get(_question(world)).get_data(as_text=True)
        assert kept_answers.take(world.rival_user, token, world.competition.id, world.quality[0].id) is None
        assert _kept_count() == 1  # still waiting for its writer
        # Without the browser's token the writer's row does not open either.
        assert kept_answers.take(world.user, "guessed-token", world.competition.id, world.quality[0].id) is None


def test_a_kept_answer_expires(app, world):
    with time_machine.travel(START, tick=False) as clock:
        client = _post_after_time_out(app, world, clock)
        clock.move_to(START + timedelta(minutes=45) + kept_answers.KEEP_FOR + timedelta(minutes=1))
        _sign_in(client, world.user.email)
        page = client.get(_question(world)).get_data(as_text=True)
        assert TYPED not in page and "We kept" not in page
        # The next answer kept purges the expired one.
        kept_answers.keep(world.rival_user, world.competition.id, world.quality[0].id, "Another", None)
        assert db.session.scalars(select(KeptAnswer.user_id)).all() == [world.rival_user.id]


def test_only_a_timed_out_session_keeps_anything(app, world):
    with time_machine.travel(START, tick=False):
        client = app.test_client()
        _sign_in(client, world.user.email)
        assert client.post("/sign-out").status_code == 302
        response = client.post(_question(world), data={"text": TYPED})
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
        anonymous = app.test_client().post(_question(world), data={"text": TYPED})
        assert anonymous.status_code == 302
    assert _kept_count() == 0
