"""A supplier suspended or excluded after it was invited may not bid, and both sides are told; and a supplier that
changed its submitted bid is warned that the changes count only if it submits again."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import BidSubmission, LotMembership, User
from portal.models.base import utcnow
from portal.services.bids import changes, drafting
from portal.services.bids import submission as bid_submission
from portal.services.errors import ConflictError
from tests.factories import make_exclusion, make_membership
from tests.factories_bidding import complete_draft, make_world


def _suspend(world, supplier=None) -> None:
    supplier = supplier or world.supplier
    membership = db.session.scalar(
        select(LotMembership).where(
            LotMembership.supplier_id == supplier.id, LotMembership.lot_id == world.competition.lot_id
        )
    ) or make_membership(supplier, world.competition.lot)
    membership.status, membership.status_reason = "suspended", "Insurance lapsed"
    membership.status_changed_at = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    db.session.commit()


def _url(world, path=""):
    return f"/bids/competitions/{world.competition.id}{path}"


def _bid_count() -> int:
    return db.session.scalar(select(func.count(BidSubmission.id))) or 0


def test_a_suspended_supplier_cannot_start_a_bid_and_is_told_why(client, auth):
    world = make_world()
    _suspend(world)
    auth.login(world.user.email)
    with pytest.raises(ConflictError, match="suspended from this framework lot"):
        drafting.respond(world.user, world.competition.id, "bidding")
    page = client.post(_url(world, "/decision"), data={"decision": "bidding"}).get_data(as_text=True)
    assert "There is a problem" in page and "You cannot bid in this competition" in page
    assert "Insurance lapsed" in page and "Contact the framework manager" in page
    # Declining stays open to it.
    drafting.respond(world.user, world.competition.id, "declined", "Suspended")
    assert "You cannot bid in this competition" in client.get(_url(world)).get_data(as_text=True)


def test_a_supplier_suspended_mid_competition_cannot_save_submit_or_amend(client, auth):
    world = make_world()
    complete_draft(world)
    bid_submission.submit(world.user, world.competition.id)
    _suspend(world)
    criterion = world.quality[0]
    with pytest.raises(ConflictError, match="suspended"):
        drafting.save_answer(world.user, world.competition.id, criterion.id, "Changed")
    with pytest.raises(ConflictError, match="suspended"):
        drafting.save_prices(world.user, world.competition.id, {world.lines[0].id: "11.00"})
    with pytest.raises(ConflictError, match="suspended"):
        bid_submission.submit(world.user, world.competition.id)
    assert _bid_count() == 1
    auth.login(world.user.email)
    page = client.post(_url(world, f"/questions/{criterion.id}"), data={"text": "Typed"}).get_data(as_text=True)
    assert "You cannot bid in this competition" in page and "Typed" in page
    # The submitted bid stands as it was; withdrawing it is still allowed.
    bid_submission.withdraw(world.user, world.competition.id)


def test_an_excluded_supplier_cannot_submit(client, auth):
    world = make_world()
    complete_draft(world)
    make_exclusion(world.supplier, starts_on=today_london() - timedelta(days=1))
    db.session.commit()
    with pytest.raises(ConflictError, match="excluded from bidding"):
        bid_submission.submit(world.user, world.competition.id)
    assert _bid_count() == 0


def test_an_exclusion_that_ended_does_not_bar_bidding(client, auth):
    world = make_world()
    make_exclusion(world.supplier, starts_on=date(2020, 1, 1), ends_on=date(2020, 12, 31))
    db.session.commit()
    complete_draft(world)
    bid_submission.submit(world.user, world.competition.id)
    assert _bid_count() == 1


@pytest.mark.parametrize("has_bid", [False, True])
def test_the_buyer_is_warned_about_the_supplier_standing_alone(client, auth, has_bid):
    world = make_world()
    if has_bid:
        complete_draft(world)
        bid_submission.submit(world.user, world.competition.id)
    _suspend(world)
    buyer = db.session.get(User, world.competition.created_by_id)
    auth.login(buyer.email)
    page = client.get(f"/competitions/{world.competition.id}/suppliers").get_data(as_text=True)
    warning = "Suspended from the framework on 3 December 2026: it cannot bid"
    assert page.count(warning) == 2  # the warning above the list and the supplier's row
    assert world.supplier.display_name in page and "Insurance lapsed" not in page
    # Only the suspended supplier is flagged; the page says nothing of bids (the same with or without one).
    assert "Submitted" not in page and "draft" not in page.lower()


def _changed_world(client, auth):
    world = make_world()
    complete_draft(world)
    bid_submission.submit(world.user, world.competition.id)
    auth.login(world.user.email)
    return world


def test_a_submitted_bid_unchanged_has_no_warning(client, auth):
    world = _changed_world(client, auth)
    assert "You have changed your bid" not in client.get(_url(world)).get_data(as_text=True)
    assert "changed your bid" not in client.get("/dashboard").get_data(as_text=True)
    bid = drafting.own_bid(world.user, world.competition)
    assert not changes.changed_since(bid, bid.submissions[-1])


def test_changing_a_submitted_bid_warns_on_the_bid_page_list_and_home_page(client, auth):
    world = _changed_world(client, auth)
    criterion = world.quality[0]
    drafting.save_answer(world.user, world.competition.id, criterion.id, "A better answer")
    page = client.get(_url(world)).get_data(as_text=True)
    assert "You have changed your bid since you submitted version 1." in page
    assert "The changes count only if you submit again before" in page
    assert "changed your bid since you submitted version 1" in client.get("/dashboard").get_data(as_text=True)
    assert "Changed since version 1" in client.get("/bids").get_data(as_text=True)
    # Saving the submitted text again is no change; submitting again clears the warning.
    bid_submission.submit(world.user, world.competition.id)
    assert "You have changed your bid" not in client.get(_url(world)).get_data(as_text=True)
    drafting.save_answer(world.user, world.competition.id, criterion.id, "A better answer")
    assert "You have changed your bid" not in client.get(_url(world)).get_data(as_text=True)


def test_the_buyer_never_sees_the_change_warning(client, auth):
    world = _changed_world(client, auth)
    drafting.save_answer(world.user, world.competition.id, world.quality[0].id, "A better answer")
    buyer = db.session.get(User, world.competition.created_by_id)
    auth.logout()
    auth.login(buyer.email)
    for url in ("/dashboard", f"/competitions/{world.competition.id}/suppliers"):
        assert "changed your bid" not in client.get(url).get_data(as_text=True).lower()
    assert utcnow() < world.competition.submission_deadline_at
