"""In a browser, a bid answer is saved as the supplier types (autosave.mjs), with its CSRF token, and the status
line says so; the page passes axe."""

from __future__ import annotations

from portal.extensions import db
from portal.services.bids import drafting
from tests.browser.helpers import axe_violations, sign_in
from tests.conftest import TEST_PASSWORD
from tests.factories_bidding import make_world


def test_typing_an_answer_saves_the_draft(page, live_server, app):
    world = make_world()
    drafting.respond(world.user, world.competition.id, "bidding")
    criterion = world.quality[0]
    sign_in(page, live_server, world.user.email, TEST_PASSWORD)
    page.goto(f"{live_server}/bids/competitions/{world.competition.id}/questions/{criterion.id}")
    page.fill("#text", "We answer every call within the hour")
    status = page.locator("[data-autosave-status]")
    status.filter(has_text="Draft saved automatically at").wait_for(timeout=15_000)
    db.session.expire_all()
    bid = drafting.own_bid(world.user, world.competition)
    assert drafting.draft_answers(bid)[criterion.id].text == "We answer every call within the hour"
    assert axe_violations(page) == [] and page.console_errors == []
