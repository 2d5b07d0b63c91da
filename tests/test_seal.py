"""The seal: before the deadline only the bidding supplier can read a bid; after it, only once opened,
and then only the right people (portal/services/bids/seal.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.models import BidSubmission, ConflictDeclaration
from portal.models.base import utcnow
from portal.services.bids import crypto, seal
from portal.services.bids.content import serialise
from portal.services.evaluation import conflicts, panel
from tests.factories import make_organisation, make_supplier, make_user
from tests.factories_competition import assign_evaluator, make_bid, make_competition


@pytest.fixture
def world():
    org, other_org = make_organisation("Force A"), make_organisation("Force B")
    supplier, rival = make_supplier(), make_supplier()
    people = {
        "staff": make_user("staff"),
        "buyer": make_user("buyer", organisation=org),
        "approver": make_user("approver", organisation=org),
        "evaluator": make_user("evaluator", organisation=org),
        "conflicted_evaluator": make_user("evaluator", organisation=org),
        "undeclared_evaluator": make_user("evaluator", organisation=org),
        "unassigned_evaluator": make_user("evaluator", organisation=org),
        "other_buyer": make_user("buyer", organisation=other_org),
        "supplier": make_user("supplier", supplier=supplier),
        "rival": make_user("supplier", supplier=rival),
    }
    return org, supplier, rival, people


def _levels(bid, people, now=None):
    return {name: seal.access_level(user, bid, now) for name, user in people.items()}


def test_before_the_deadline_only_the_bidder_can_read(world):
    org, supplier, rival, people = world
    competition = make_competition(organisation=org, suppliers=[supplier, rival])
    assign_evaluator(competition, people["evaluator"])
    bid = make_bid(competition, supplier)
    db.session.commit()
    levels = _levels(bid, people)
    assert levels.pop("supplier") == "own"
    assert set(levels.values()) == {None}
    for name, user in people.items():
        if name != "supplier":
            with pytest.raises(seal.SealedError):
                seal.submitted_content(user, bid)
    assert seal.submitted_content(people["supplier"], bid)["total_price_pence"] > 0


def test_after_the_deadline_bids_stay_sealed_until_opened(world):
    org, supplier, _rival, people = world
    competition = make_competition(organisation=org, suppliers=[supplier], deadline_at=utcnow() - timedelta(hours=1))
    bid = make_bid(competition, supplier)
    db.session.commit()
    assert seal.access_level(people["buyer"], bid) is None
    assert seal.readable_submissions(people["buyer"], competition) == []


def test_once_opened_each_role_sees_what_it_may(world):
    org, supplier, rival, people = world
    competition = make_competition(organisation=org, suppliers=[supplier, rival], opened=True)
    assign_evaluator(competition, people["evaluator"], declared=False)
    assign_evaluator(competition, people["conflicted_evaluator"], declared=True)
    assign_evaluator(competition, people["undeclared_evaluator"], declared=None)
    bid = make_bid(competition, supplier)
    db.session.commit()
    assert _levels(bid, people) == {
        "staff": None,
        "buyer": "full",
        "approver": "full",
        "evaluator": "without_prices",
        "conflicted_evaluator": None,
        "undeclared_evaluator": None,
        "unassigned_evaluator": None,
        "other_buyer": None,
        "supplier": "own",
        "rival": None,
    }
    quality_view = seal.submitted_content(people["evaluator"], bid)
    assert "prices" not in quality_view and "total_price_pence" not in quality_view
    assert quality_view["answers"]
    assert seal.submitted_content(people["buyer"], bid)["prices"]


def test_a_supplier_never_reads_a_rivals_draft_or_history(world):
    org, supplier, rival, people = world
    competition = make_competition(organisation=org, suppliers=[supplier, rival])
    bid = make_bid(competition, supplier, submitted=False)
    db.session.commit()
    with pytest.raises(seal.SealedError):
        seal.own_draft(people["rival"], bid)
    with pytest.raises(seal.SealedError):
        seal.submission_versions(people["rival"], bid)
    assert seal.own_draft(people["supplier"], bid) is bid


def test_a_cancelled_competition_stays_sealed(world):
    org, supplier, _rival, people = world
    competition = make_competition(organisation=org, suppliers=[supplier], opened=True)
    bid = make_bid(competition, supplier)
    competition.cancelled_at = utcnow()
    competition.cancel_reason = "Requirement withdrawn"
    db.session.commit()
    assert seal.access_level(people["buyer"], bid) is None


def test_a_conflict_seals_that_suppliers_bid_until_the_buyer_mitigates_it(world):
    org, supplier, rival, people = world
    competition = make_competition(organisation=org, suppliers=[supplier, rival], opened=True)
    eve = people["evaluator"]
    assign_evaluator(competition, eve, conflict_with=[supplier])
    bid, rival_bid = make_bid(competition, supplier), make_bid(competition, rival)
    db.session.commit()
    assert seal.access_level(eve, bid) is None
    assert seal.access_level(eve, rival_bid) == "without_prices"
    assert seal.readable_submissions(eve, competition) == [rival_bid]
    with pytest.raises(seal.SealedError):
        seal.submitted_content(eve, bid)
    declaration = conflicts.declarations(eve.id, competition)[supplier.id]
    panel.record_mitigation(people["buyer"], competition.id, declaration.id, "Interest ended in 2019.")
    assert seal.access_level(eve, bid) == "without_prices"
    assert "prices" not in seal.submitted_content(eve, bid)


def test_an_evaluator_sees_nothing_until_declared_for_every_bidder(world):
    org, supplier, rival, people = world
    competition = make_competition(organisation=org, suppliers=[supplier, rival], opened=True)
    eve = people["evaluator"]
    assign_evaluator(competition, eve, declared=None)
    bid, rival_bid = make_bid(competition, supplier), make_bid(competition, rival)
    db.session.add(ConflictDeclaration(competition_id=competition.id, user_id=eve.id, supplier_id=rival.id,
                                       has_conflict=False))  # fmt: skip
    db.session.commit()
    assert seal.access_level(eve, bid) is None and seal.access_level(eve, rival_bid) is None


def _add_version(bid, version: int, total_pence: int, *, withdrawn: bool = False) -> None:
    previous = crypto.submission_content(bid, bid.submissions[-1])
    content = {**previous, "version": version, "total_price_pence": total_pence}
    text, digest = serialise(content)
    submission = BidSubmission(
        bid_id=bid.id,
        version=version,
        submitted_by_id=bid.submissions[-1].submitted_by_id,
        content_sha256=digest,
        withdrawn_at=utcnow() if withdrawn else None,
    )
    crypto.seal_submission(bid, submission, text, total_pence)
    db.session.add(submission)
    db.session.flush()
    db.session.refresh(bid)


def test_reading_many_bids_at_once_follows_the_same_seal(world):
    """submitted_contents (the results page's batch read) gives each role exactly what submitted_content gives,
    the version that counts included, and refuses whom it refuses."""
    org, supplier, rival, people = world
    competition = make_competition(organisation=org, suppliers=[supplier, rival], opened=True)
    assign_evaluator(competition, people["evaluator"], declared=False)
    assign_evaluator(competition, people["conflicted_evaluator"], declared=True)
    bids = [make_bid(competition, supplier), make_bid(competition, rival)]
    _add_version(bids[0], 2, 123_456)
    _add_version(bids[0], 3, 999_999, withdrawn=True)  # a withdrawn later version does not count
    db.session.commit()
    for name, user in people.items():
        try:
            one_by_one = [(bid, seal.submitted_content(user, bid)) for bid in bids]
        except seal.SealedError:
            with pytest.raises(seal.SealedError):
                list(seal.submitted_contents(user, competition, bids))
        else:
            assert list(seal.submitted_contents(user, competition, bids)) == one_by_one, name
    assert seal.submitted_content(people["buyer"], bids[0])["total_price_pence"] == 123_456
