"""Opening the bids under dual control: one officer starts the opening, a different officer of the same buying
organisation confirms it in their own session within OPENING_CONFIRM_MINUTES, and only the confirmation opens the
bids. Either may cancel; a request nobody confirms in time lapses. Services, then pages."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent
from portal.models.base import utcnow
from portal.services.errors import ConflictError, NotFoundError, PermissionDeniedError
from portal.services.evaluation import opening
from tests.factories import make_organisation, make_user
from tests.test_evaluation_services import evaluation_world


def _events(event_type: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event_type == event_type)))


def _url(world, tail=""):
    return f"/evaluation/{world.competition.id}/open{tail}"


# --- Services ------------------------------------------------------------------------------------------------------


def test_starting_records_a_pending_request_and_audits_it_but_opens_nothing():
    world = evaluation_world(opened=False)
    competition = opening.start(world.buyer, world.competition.id)
    assert competition.opened_at is None and competition.opening_started_by_id == world.buyer.id
    assert competition.opening_started_at is not None
    (event,) = _events("competition.opening_started")
    assert event.actor_id == world.buyer.id and json.loads(event.after_json)["started_by"] == world.buyer.id
    assert not _events("competition.bids_opened")
    request = opening.live_request(competition)
    assert request is not None and request.confirm_by == competition.opening_started_at + timedelta(minutes=30)


def test_the_officer_who_started_cannot_confirm_their_own_opening():
    world = evaluation_world(opened=False)
    opening.start(world.buyer, world.competition.id)
    with pytest.raises(ConflictError, match="You started this opening, so a different officer must confirm it"):
        opening.confirm(world.buyer, world.competition.id)
    assert world.competition.opened_at is None


def test_confirming_opens_the_bids_naming_both_officers_and_audits_both_ids():
    world = evaluation_world(opened=False)
    opening.start(world.buyer, world.competition.id)
    competition = opening.confirm(world.colleague, world.competition.id)
    assert competition.opened_at is not None and competition.evaluation_started_at is not None
    assert competition.opened_by_id == world.buyer.id and competition.opening_confirmed_by_id == world.colleague.id
    (event,) = _events("competition.bids_opened")
    after = json.loads(event.after_json)
    assert event.actor_id == world.colleague.id
    assert after["opened_by"] == world.buyer.id and after["confirmed_by"] == world.colleague.id
    assert after["bid_count"] == 3 and world.bids["Alpha"].submissions[0].content_sha256 in event.after_json
    # A second confirmation (the row lock makes it wait for the first) finds the bids opened: no second opening.
    with pytest.raises(ConflictError, match="already been opened"):
        opening.confirm(world.approver, world.competition.id)
    assert len(_events("competition.bids_opened")) == 1


def test_an_officer_of_another_organisation_cannot_confirm_and_evaluators_cannot_start_or_confirm():
    world = evaluation_world(opened=False)
    opening.start(world.buyer, world.competition.id)
    outsider = make_user("buyer", organisation=make_organisation("Another force"))
    db.session.commit()
    with pytest.raises(NotFoundError):
        opening.confirm(outsider, world.competition.id)
    with pytest.raises(PermissionDeniedError):
        opening.confirm(world.evaluators[0], world.competition.id)
    with pytest.raises(PermissionDeniedError):
        opening.start(world.evaluators[0], world.competition.id)
    assert world.competition.opened_at is None


def test_a_request_lapses_after_the_window_and_must_be_started_again(app):
    world = evaluation_world(opened=False)
    opening.start(world.buyer, world.competition.id)
    world.competition.opening_started_at = utcnow() - timedelta(minutes=31)
    db.session.commit()
    assert opening.live_request(world.competition) is None
    with pytest.raises(ConflictError, match=r"lapsed at .* it must be started again"):
        opening.confirm(world.colleague, world.competition.id)
    assert world.competition.opened_at is None
    app.config["OPENING_CONFIRM_MINUTES"] = 45  # the window is configurable
    try:
        assert opening.live_request(world.competition) is not None
    finally:
        app.config["OPENING_CONFIRM_MINUTES"] = 30
    opening.start(world.colleague, world.competition.id)  # a lapsed request is replaced, by anyone
    assert world.competition.opening_started_by_id == world.colleague.id
    assert opening.confirm(world.buyer, world.competition.id).opened_at is not None


def test_a_live_request_cannot_be_started_twice():
    world = evaluation_world(opened=False)
    opening.start(world.buyer, world.competition.id)
    with pytest.raises(ConflictError, match="already started the opening"):
        opening.start(world.buyer, world.competition.id)
    with pytest.raises(ConflictError, match="A colleague has already started the opening"):
        opening.start(world.colleague, world.competition.id)


def test_either_officer_may_cancel_and_the_cancellation_is_audited():
    world = evaluation_world(opened=False)
    with pytest.raises(ConflictError, match="no opening"):
        opening.cancel(world.buyer, world.competition.id)
    opening.start(world.buyer, world.competition.id)
    opening.cancel(world.colleague, world.competition.id)  # the colleague who was asked to confirm
    assert world.competition.opening_started_at is None and world.competition.opening_started_by_id is None
    with pytest.raises(ConflictError, match="Nobody has started the opening"):
        opening.confirm(world.colleague, world.competition.id)
    opening.start(world.buyer, world.competition.id)
    opening.cancel(world.buyer, world.competition.id)  # the starter
    events = _events("competition.opening_cancelled")
    assert [e.actor_id for e in events] == [world.colleague.id, world.buyer.id]
    assert all(json.loads(e.before_json)["started_by"] == world.buyer.id for e in events)
    assert world.competition.opened_at is None


# --- Pages ---------------------------------------------------------------------------------------------------------


def test_the_opening_routes_are_for_the_organisations_procurement_officers_only(client, auth):
    world = evaluation_world(opened=False)
    outsider = make_user("buyer", organisation=make_organisation("Another force"))
    db.session.commit()
    auth.login(world.evaluators[0].email)
    for tail in ("", "/start", "/confirm", "/cancel"):
        assert client.open(_url(world, tail), method="POST" if tail else "GET").status_code == 403
    auth.logout()
    auth.login(outsider.email)
    for tail in ("", "/start", "/confirm", "/cancel"):
        assert client.open(_url(world, tail), method="POST" if tail else "GET").status_code == 404
    assert world.competition.opening_started_at is None


def test_the_opening_forms_need_a_csrf_token(app, client, auth):
    world = evaluation_world(opened=False)
    auth.login(world.buyer.email)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert 'name="csrf_token"' in client.get(_url(world)).get_data(as_text=True)
        for tail in ("/start", "/confirm", "/cancel"):
            assert client.post(_url(world, tail)).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    db.session.refresh(world.competition)
    assert world.competition.opening_started_at is None and not _events("competition.opening_started")


def test_the_opening_page_says_nothing_about_the_bids_before_they_are_opened(client, auth):
    world = evaluation_world(opened=False)  # three suppliers have submitted
    auth.login(world.buyer.email)
    for page in (client.get(_url(world)).get_data(as_text=True), client.get(f"/evaluation/{world.competition.id}")):
        text = page if isinstance(page, str) else page.get_data(as_text=True)
        assert "3 bids" not in text and "bids were submitted" not in text and "submitted bids" not in text


def test_the_starter_sees_the_window_and_a_lapsed_request_is_shown_clearly(client, auth):
    world = evaluation_world(opened=False)
    opening.start(world.buyer, world.competition.id)
    auth.login(world.buyer.email)
    page = client.get(_url(world)).get_data(as_text=True)
    assert "Waiting for a colleague to confirm" in page and "Must be confirmed by" in page and "UK time" in page
    world.competition.opening_started_at = utcnow() - timedelta(minutes=40)
    db.session.commit()
    page = client.get(_url(world)).get_data(as_text=True)
    assert "lapsed at" in page and "Start it again" in page and "Start the opening" in page
    assert "Waiting for a colleague" not in page


def test_a_colleague_may_cancel_from_the_confirmation_page(client, auth):
    world = evaluation_world(opened=False)
    opening.start(world.buyer, world.competition.id)
    auth.login(world.colleague.email)
    page = client.get(_url(world)).get_data(as_text=True)
    assert "Confirm the opening of bids" in page and 'formaction="/evaluation/' in page
    response = client.post(_url(world, "/cancel"))
    assert response.status_code == 302
    db.session.refresh(world.competition)
    assert world.competition.opening_started_at is None and world.competition.opened_at is None


# --- Concurrency (PostgreSQL: SQLite ignores FOR UPDATE) --------------------------------------------------------------


def test_two_simultaneous_confirmations_open_the_bids_once(app, is_postgres):
    if not is_postgres:
        pytest.skip("row-lock races need PostgreSQL (SQLite ignores FOR UPDATE); set TEST_DATABASE_URL to run them")
    from portal.models import User
    from tests.test_bid_concurrency import _run_in_threads

    world = evaluation_world(opened=False)
    opening.start(world.buyer, world.competition.id)
    confirmers, competition_id = [world.colleague.id, world.approver.id], world.competition.id

    def confirm(i: int):
        return opening.confirm(db.session.get_one(User, confirmers[i]), competition_id).opened_at

    results = _run_in_threads(app, 2, confirm)
    assert sum(1 for r in results if isinstance(r, ConflictError) and "already been opened" in r.message) == 1, results
    assert len(_events("competition.bids_opened")) == 1
