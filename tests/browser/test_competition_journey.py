"""In the browser: a buyer, three suppliers, three evaluators and an approver run a mini-competition from draft to
awarded contract, each signed in through the sign-in page, and every page they see passes axe-core (WCAG 2.2 AA)
with no console errors.

Time passing is the one shortcut: the server's clock decides deadlines and the standstill, so the test moves the
competition's submission deadline and standstill end into the past in the database the live server shares.
"""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from portal.domain.timefmt import today_london
from portal.models import Bid, BidSubmission, Competition, OutboxMessage
from portal.seed import demo
from tests.browser import competition_award as award
from tests.browser import competition_bids as bids
from tests.browser import competition_build as build
from tests.browser import competition_evaluate as evaluate
from tests.browser.journey import Cast

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(app):
    demo.seed()


@pytest.fixture
def cast(request, app, browser, live_server, seeded, monkeypatch):
    # Let the browser cache the CSS and JavaScript rather than ask again on each of some 300 pages.
    monkeypatch.setitem(app.config, "SEND_FILE_MAX_AGE_DEFAULT", 3600)
    failed, started = request.session.testsfailed, time.monotonic()
    people = Cast(browser, live_server)
    yield people
    people.close(screenshots=request.session.testsfailed > failed)
    print(
        f"\n{people.pages} pages, axe on {len(people.checked)} page states ({people.axe_seconds:.0f} s), "
        f"{time.monotonic() - started:.0f} s in all"
    )


def test_mini_competition_from_draft_to_awarded_contract(cast, db):
    buyer = cast(build.BUYER)
    competition_id, invited = build.build_and_publish(buyer, today_london())
    assert {"Orlo", "Softcat", "Beacon Engage"} <= {name.split(" (")[0] for name in invited}, invited

    softcat = cast(bids.SOFTCAT.email)
    bids.open_invitation(softcat)
    bids.ask(softcat)
    bids.answer_to_all(buyer, competition_id, bids.SOFTCAT.name)
    receipts = {b.name: bids.bid(cast(b.email), b) for b in bids.BIDDERS}
    bids.read_answer(softcat, asked=True)
    for other in (bids.ORLO, bids.BEACON):
        bids.read_answer(cast(other.email), asked=False)
    beacon = cast(bids.BEACON.email)
    beacon.visit("/bids").follow(build.TITLE)
    receipts[bids.BEACON.name] = bids.amend(beacon, receipts[bids.BEACON.name])

    evaluate.pass_the_deadline(db, competition_id)
    evaluate.sealed_until_opened(softcat)
    evaluate.evaluate(buyer, cast, competition_id)
    award.award(buyer, cast, db, competition_id)
    assert cast.problems == [], "\n".join(cast.problems)
    _awarded_as_shown(db, competition_id, receipts)


def _awarded_as_shown(db, competition_id: int, receipts: dict[str, str]) -> None:
    """The database agrees with what the pages said: awarded to Orlo, and each bid's counting submission is the
    one whose SHA-256 its receipt showed."""
    db.session.expire_all()
    competition = db.session.get(Competition, competition_id)
    assert competition.awarded_at is not None and competition.approved_by_id != competition.recommended_by_id
    winner = db.session.get(Bid, competition.recommended_bid_id)
    assert winner.supplier.short_name == bids.ORLO.name
    for bid in db.session.scalars(select(Bid).where(Bid.competition_id == competition_id)):
        latest = db.session.scalars(
            select(BidSubmission).where(BidSubmission.bid_id == bid.id).order_by(BidSubmission.version.desc())
        ).first()
        assert latest.content_sha256 == receipts[bid.supplier.short_name], bid.supplier.short_name
    unsuccessful = db.session.scalars(
        select(OutboxMessage.recipient).where(OutboxMessage.subject.like(f"Outcome of {competition.reference}%"))
    ).all()
    assert sorted(unsuccessful) == [bids.BEACON.email, bids.SOFTCAT.email]
