"""In the browser (issue 15, approvals that can send work back): an approver returns a mini-competition's award
recommendation and a direct award with a comment, the buyer sees the comment on the award page, revises and
resubmits, and the approver approves, seeing every step. Every page passes axe-core with no console errors.

Set-up goes through the services on the demo data (tests/browser/pa_award.py): a competition recommended by the
buyer (the demo's `decide`, stopped before approval) and a direct award with its shortlist frozen.
"""

from __future__ import annotations

from unittest import mock

import pytest

from portal.seed import competitions as seeded_competitions
from portal.seed import demo
from tests.browser import pa_award as pa
from tests.browser.journey import Cast, Persona

pytestmark = pytest.mark.browser

COMMENT = "Say in the note why the lower-priced bid's quality scores justify the difference in price."


@pytest.fixture
def cast(app, browser, live_server, monkeypatch):
    demo.seed()
    monkeypatch.setitem(app.config, "SEND_FILE_MAX_AGE_DEFAULT", 3600)  # cache CSS and JavaScript between pages
    people = Cast(browser, live_server)
    yield people
    people.close()


def _recommended_competition() -> pa.CallOff:
    """The demo's `decide` up to the buyer's recommendation: approval, the letters and the dating held back."""
    with (
        mock.patch.object(seeded_competitions.awards, "approve"),
        mock.patch.object(seeded_competitions.summaries, "send_assessment_summaries"),
        mock.patch.object(seeded_competitions, "date_lifecycle"),
    ):
        competition = seeded_competitions.decide(pa.COMPETITION, days_ago=20)
    assert competition.recommended_at is not None and competition.approved_at is None
    return pa.CallOff("competition", competition.id)


def _return(approver: Persona, approve_page: str) -> None:
    approver.visit(approve_page)
    approver.press("Return to the buyer")
    assert approver.errors() == ["Enter a comment saying what the buyer should change"]
    approver.fill("#return-comment", COMMENT).press("Return to the buyer")
    assert "returned to the buyer with your comment" in approver.success()


def _sees_the_return(buyer: Persona) -> None:
    banner = buyer.page.locator("[data-testid=returned-banner]").inner_text()
    assert "Returned with a comment" in banner and COMMENT in banner, banner


def _approves_seeing_the_history(approver: Persona, approve_page: str) -> None:
    approver.visit(approve_page)
    history = approver.page.locator("[data-testid=approval-history]").inner_text()
    assert history.count("Recommended") == 2 and "Returned to the buyer" in history and COMMENT in history, history
    approver.press("Approve the award")
    assert "Award approved" in approver.success()


def test_an_approver_returns_the_buyer_resubmits_the_approver_approves(cast, db):
    competition, direct = _recommended_competition(), pa.shortlisted_direct_award()
    buyer, approver = cast(pa.BUYER), cast(pa.APPROVER)

    _return(approver, f"/evaluation/{competition.id}/approve")
    buyer.visit(f"/evaluation/{competition.id}/recommend")
    _sees_the_return(buyer)
    assert buyer.page.locator("input[name=bid_id]").count() == 1  # only the top-ranked bid is offered
    buyer.page.locator("input[name=bid_id] + label").click()
    buyer.fill("#note", "Quality outweighs the price difference: see the moderated scores.")
    buyer.press("Recommend award")
    assert "Award recommended" in buyer.success()
    _approves_seeing_the_history(approver, f"/evaluation/{competition.id}/approve")

    pa.recommend_direct_award(buyer, direct)
    _return(approver, f"/direct-awards/{direct.id}/approve")
    buyer.visit(f"/direct-awards/{direct.id}").follow("Recommend the award")
    _sees_the_return(buyer)
    assert buyer.page.locator("input[name=supplier_id]").count() == 1  # only the mechanism's selection
    buyer.page.locator("input[name=supplier_id] + label").click()
    buyer.press("Recommend the award")
    assert "Award recommended" in buyer.success()
    _approves_seeing_the_history(approver, f"/direct-awards/{direct.id}/approve")

    assert cast.problems == [], "\n".join(cast.problems)
    assert competition.subject().approved_at is not None and direct.subject().approved_at is not None
