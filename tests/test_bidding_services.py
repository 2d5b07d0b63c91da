"""Supplier bidding services: bid or decline, drafts, submit, amend, withdraw, the deadline and the audit trail."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Bid, BidSubmission, Invitation, OutboxMessage
from portal.models.base import utcnow
from portal.services.bids import crypto, drafting, seal
from portal.services.bids import submission as bid_submission
from portal.services.bids.content import serialise
from portal.services.errors import ConflictError, NotFoundError, ValidationError
from tests.factories import make_supplier, make_user
from tests.factories_bidding import complete_draft, make_world
from tests.factories_competition import make_competition


def _events(event_type: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event_type == event_type)))


def test_the_list_shows_only_competitions_the_supplier_was_invited_to():
    world = make_world()
    outsider = make_supplier()
    make_competition(suppliers=[outsider])  # another supplier's invitation
    make_competition(suppliers=[world.supplier], published=False)  # a draft is not visible yet
    db.session.commit()
    rows = drafting.invited_competitions(world.user)
    assert [r.competition.id for r in rows] == [world.competition.id]
    assert rows[0].response == "pending" and rows[0].bid_status == "No bid"


def test_deciding_to_bid_creates_the_draft_and_is_audited():
    world = make_world()
    bid = drafting.respond(world.user, world.competition.id, "bidding")
    assert bid.status == "draft" and bid.supplier_id == world.supplier.id
    invitation = db.session.scalar(select(Invitation).where(Invitation.supplier_id == world.supplier.id))
    assert invitation.response == "bidding" and invitation.responded_at is not None
    assert _events("invitation.responded") and _events("bid.created")


def test_declining_records_the_reason_and_the_supplier_can_change_its_mind():
    world = make_world()
    drafting.respond(world.user, world.competition.id, "declined", "  No capacity this quarter ")
    invitation = db.session.scalar(select(Invitation).where(Invitation.supplier_id == world.supplier.id))
    assert (invitation.response, invitation.decline_reason) == ("declined", "No capacity this quarter")
    drafting.respond(world.user, world.competition.id, "bidding")
    assert invitation.response == "bidding" and invitation.decline_reason == ""


def test_a_supplier_cannot_decline_while_its_bid_is_submitted():
    world = make_world()
    complete_draft(world)
    bid_submission.submit(world.user, world.competition.id)
    with pytest.raises(ConflictError, match="Withdraw your submitted bid"):
        drafting.respond(world.user, world.competition.id, "declined")


def test_a_supplier_not_invited_gets_not_found():
    world = make_world()
    stranger = make_user("supplier", supplier=make_supplier())
    buyer = make_user("buyer")
    db.session.commit()
    for user in (stranger, buyer):
        with pytest.raises(NotFoundError):
            drafting.respond(user, world.competition.id, "bidding")


def test_answers_save_partially_and_the_word_limit_is_enforced():
    world = make_world()
    drafting.respond(world.user, world.competition.id, "bidding")
    criterion = world.quality[0]
    drafting.save_answer(world.user, world.competition.id, criterion.id, "Half an answer")
    with pytest.raises(ValidationError, match="Answer for Channel management must be 500 words or fewer"):
        drafting.save_answer(world.user, world.competition.id, criterion.id, "word " * 501)
    db.session.rollback()
    bid = drafting.own_bid(world.user, world.competition)
    assert [a.text for a in drafting.draft_answers(bid).values()] == ["Half an answer"]
    event = _events("bid.answer_saved")[0]
    assert "Half an answer" not in event.after_json + event.summary  # the audit log never holds content


def test_prices_must_be_positive_amounts_and_blank_lines_stay_unpriced():
    world = make_world()
    drafting.respond(world.user, world.competition.id, "bidding")
    licence, onboarding = world.lines
    for bad, message in [("0", "more than £0"), ("-1", "amount in pounds"), ("abc", "amount"), ("1.234", "amount")]:
        with pytest.raises(ValidationError, match=message):
            drafting.save_prices(world.user, world.competition.id, {licence.id: bad, onboarding.id: ""})
    total = drafting.save_prices(world.user, world.competition.id, {licence.id: "£12.50", onboarding.id: ""})
    assert total == 10 * 1250 * 12  # quantity x unit price x 12 monthly periods
    total = drafting.save_prices(world.user, world.competition.id, {licence.id: "12.50", onboarding.id: "1,000"})
    assert total == 10 * 1250 * 12 + 3 * 100000
    event = _events("bid.prices_saved")[-1]
    assert "1250" not in event.after_json


def test_submission_needs_every_answer_and_price():
    world = make_world()
    drafting.respond(world.user, world.competition.id, "bidding")
    with pytest.raises(bid_submission.SubmissionIncomplete) as refused:
        bid_submission.submit(world.user, world.competition.id)
    messages = [p.message for p in refused.value.problems]
    assert messages == [
        "Enter an answer for Channel management",
        "Enter an answer for Critical incidents",
        "Select yes or no for Cyber Essentials Plus held",
        "Enter a unit price for Licence",
        "Enter a unit price for Onboarding",
    ]


def test_a_yes_to_a_pass_fail_question_needs_evidence():
    world = make_world()
    complete_draft(world)
    drafting.save_answer(world.user, world.competition.id, world.pass_fail[0].id, "", True)
    with pytest.raises(bid_submission.SubmissionIncomplete, match="Enter evidence for Cyber Essentials Plus held"):
        bid_submission.submit(world.user, world.competition.id)


def test_submitting_freezes_a_hashed_version_sends_a_receipt_and_audits_without_content():
    world = make_world()
    complete_draft(world)
    submission = bid_submission.submit(world.user, world.competition.id)
    assert submission.version == 1 and submission.submitted_by_id == world.user.id
    bid = db.session.get_one(Bid, submission.bid_id)
    content = crypto.submission_content(bid, submission)
    frozen = crypto.submission_json(bid.competition_id, bid.id, 1, submission.content_sealed)
    assert serialise(content) == (frozen, submission.content_sha256)
    assert crypto.submission_total(bid, submission) == content["total_price_pence"] == 10 * 1000 * 12 + 3 * 50000
    assert bid.status == "submitted"
    event = _events("bid.submitted")[0]
    after = json.loads(event.after_json)
    assert after["version"] == 1 and after["content_sha256"] == submission.content_sha256
    assert "We manage" not in event.after_json + event.before_json + event.summary
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == world.user.email))
    assert submission.content_sha256 in mail.body and "version 1" in mail.subject


def test_amending_adds_a_version_and_the_latest_counts():
    world = make_world()
    complete_draft(world)
    first = bid_submission.submit(world.user, world.competition.id)
    drafting.save_answer(world.user, world.competition.id, world.quality[0].id, "A better answer")
    second = bid_submission.submit(world.user, world.competition.id)
    assert (first.version, second.version) == (1, 2)
    assert first.content_sha256 != second.content_sha256
    bid = db.session.get(Bid, second.bid_id)
    assert seal.latest_submission(bid).id == second.id
    assert _events("bid.amended")


def test_withdrawing_and_resubmitting_before_the_deadline():
    world = make_world()
    complete_draft(world)
    bid_submission.submit(world.user, world.competition.id)
    withdrawn = bid_submission.withdraw(world.user, world.competition.id)
    bid = db.session.get(Bid, withdrawn.bid_id)
    assert bid.status == "withdrawn" and withdrawn.withdrawn_at is not None
    assert seal.latest_submission(bid) is None
    with pytest.raises(ConflictError, match="no submitted bid"):
        bid_submission.withdraw(world.user, world.competition.id)
    again = bid_submission.submit(world.user, world.competition.id)
    assert again.version == 2 and bid.status == "submitted"
    assert len(seal.submission_versions(world.user, bid)) == 2  # every version kept
    assert _events("bid.withdrawn")


def test_a_submission_at_the_deadline_is_refused_and_the_draft_is_kept():
    world = make_world()
    complete_draft(world)
    deadline = world.competition.submission_deadline_at
    with (
        time_machine.travel(deadline, tick=False),
        pytest.raises(ConflictError, match="The submission deadline has passed"),
    ):
        bid_submission.submit(world.user, world.competition.id)
    db.session.rollback()
    bid = drafting.own_bid(world.user, world.competition)
    assert bid.status == "draft" and len(bid.answers) == 3 and len(bid.prices) == 2
    assert db.session.scalar(select(BidSubmission.id)) is None


def test_a_submission_just_before_the_deadline_is_accepted_and_stamped_before_it():
    world = make_world()
    complete_draft(world)
    deadline = world.competition.submission_deadline_at
    with time_machine.travel(deadline - timedelta(milliseconds=1), tick=False):
        submission = bid_submission.submit(world.user, world.competition.id)
    assert submission.submitted_at < deadline


def test_after_the_deadline_nothing_changes():
    world = make_world()
    complete_draft(world)
    bid_submission.submit(world.user, world.competition.id)
    c = world.competition
    traveller = time_machine.travel(c.submission_deadline_at + timedelta(minutes=1), tick=False)
    traveller.start()
    attempts = (
        lambda: bid_submission.submit(world.user, c.id),
        lambda: bid_submission.withdraw(world.user, c.id),
        lambda: drafting.save_answer(world.user, c.id, world.quality[0].id, "late edit"),
        lambda: drafting.save_prices(world.user, c.id, {}),
        lambda: drafting.respond(world.user, c.id, "declined"),
    )
    try:
        for attempt in attempts:
            with pytest.raises(ConflictError, match="deadline has passed"):
                attempt()
            db.session.rollback()
    finally:
        traveller.stop()


def test_a_cancelled_competition_takes_no_bids():
    world = make_world()
    complete_draft(world)
    world.competition.cancelled_at = utcnow()
    world.competition.cancel_reason = "Requirement withdrawn"
    db.session.commit()
    with pytest.raises(ConflictError, match="cancelled"):
        bid_submission.submit(world.user, world.competition.id)


def test_receipts_belong_to_their_supplier_only():
    world = make_world()
    complete_draft(world)
    submission = bid_submission.submit(world.user, world.competition.id)
    receipt = bid_submission.receipt(world.user, submission.id)
    assert receipt.counts and receipt.word_counts[world.quality[0].id] == 5
    for other in (world.rival_user, make_user("staff"), make_user("buyer")):
        with pytest.raises(NotFoundError):
            bid_submission.receipt(other, submission.id)
