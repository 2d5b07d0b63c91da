"""Sending the assessment summaries: refused before approval, once sent and while a rationale is pasted across bids;
recorded (when, by whom), audited, e-mailed to every assessed supplier; suppliers see their outcome from then on."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, ModeratedScore, OutboxMessage, User
from portal.services.errors import ConflictError
from portal.services.evaluation import award, moderation, results, summaries
from tests.factories import make_user
from tests.test_award_services import approved_world, recommended_world


@pytest.fixture(params=["pa2023", "pcr2015"])
def regime(request):
    return request.param


def _people(world):
    people = {name: make_user("supplier", supplier=s) for name, s in world.suppliers.items()}
    db.session.commit()
    return people


def test_sending_records_the_date_audits_and_emails_every_assessed_supplier(regime):
    world = approved_world(regime=regime, send=False)
    people = _people(world)
    assert not results.assessment_summary(people["Alpha"], world.competition.id).decided
    competition = summaries.send_assessment_summaries(world.buyer, world.competition.id)
    assert competition.assessment_summaries_sent_at is not None
    assert competition.assessment_summaries_sent_by_id == world.buyer.id
    mail = {m.recipient: m for m in db.session.scalars(select(OutboxMessage))}
    assert {p.email for p in people.values()} <= set(mail)
    assert mail[people["Bravo"].email].subject.startswith("Award decision")
    assert "not successful" in mail[people["Alpha"].email].body
    for person in people.values():
        body = mail[person.email].body
        assert f"/evaluation/outcomes/{competition.id}/letter" in body
        assert world.buyer.email in body  # the contact for questions during the standstill
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.event_type == "competition.assessment_summaries_sent")
    )
    assert event.actor_id == world.buyer.id and people["Charlie"].email in event.after_json
    assert results.assessment_summary(people["Alpha"], world.competition.id).decided


def test_sending_is_refused_before_approval_and_a_second_time():
    world = recommended_world()
    with pytest.raises(ConflictError, match="once the award has been approved"):
        summaries.send_assessment_summaries(world.buyer, world.competition.id)
    award.approve(world.approver, world.competition.id)
    summaries.send_assessment_summaries(world.buyer, world.competition.id)
    with pytest.raises(ConflictError, match="were sent"):
        summaries.send_assessment_summaries(world.approver, world.competition.id)


def _paste(world, criterion, text="Meets the requirement."):
    for bid in (world.bids["Alpha"], world.bids["Charlie"]):
        row = db.session.scalar(
            select(ModeratedScore).where(ModeratedScore.bid_id == bid.id, ModeratedScore.criterion_id == criterion.id)
        )
        row.rationale = text if bid is world.bids["Alpha"] else f"  {text.upper()}  "
    db.session.commit()


def test_pasted_rationales_are_flagged_and_refuse_sending_until_made_specific(regime):
    world = approved_world(regime=regime, send=False)
    criterion = world.criteria[0]
    _paste(world, criterion)
    warnings = moderation.pasted_rationales(world.competition)
    assert [(w.criterion.id, [b.supplier.short_name for b in w.bids]) for w in warnings] == [
        (criterion.id, ["Alpha", "Charlie"])
    ]
    with pytest.raises(ConflictError) as refused:
        summaries.send_assessment_summaries(world.buyer, world.competition.id)
    assert criterion.title in refused.value.message and "Alpha, Charlie" in refused.value.message
    assert world.competition.assessment_summaries_sent_at is None
    # No bidder is e-mailed (the buying organisation heard of the recommendation and approval: award_notices.py).
    bidders = select(User.email).where(User.supplier_id.is_not(None))
    assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient.in_(bidders))).all() == []
    # After approval only the rationale may change, not the score the approved result rests on.
    charlie = world.bids["Charlie"]
    held = db.session.scalar(
        select(ModeratedScore).where(ModeratedScore.bid_id == charlie.id, ModeratedScore.criterion_id == criterion.id)
    )
    other = "0" if int(held.score) else "1"
    with pytest.raises(ConflictError, match="only the rationale"):
        moderation.record_moderated_score(world.buyer, world.competition.id, charlie.id, criterion.id, other, "New")
    moderation.record_moderated_score(
        world.buyer,
        world.competition.id,
        charlie.id,
        criterion.id,
        str(int(held.score)),
        "Charlie's answer 2.1 gives no onboarding plan.",
    )
    assert moderation.pasted_rationales(world.competition) == []
    summaries.send_assessment_summaries(world.buyer, world.competition.id)
    with pytest.raises(ConflictError, match="cannot be recorded"):  # sent: the summaries say what they say
        moderation.record_moderated_score(
            world.buyer, world.competition.id, charlie.id, criterion.id, str(int(held.score)), "Later"
        )


def test_a_pcr2015_standstill_runs_from_the_letters_being_sent():
    world = approved_world(regime="pcr2015", send=False)
    competition = world.competition
    competition.approved_at = competition.standstill_started_at = competition.approved_at - timedelta(days=5)
    competition.standstill_ends_at = competition.standstill_ends_at - timedelta(days=5)
    db.session.commit()
    summaries.send_assessment_summaries(world.buyer, competition.id)
    assert competition.standstill_started_at == competition.assessment_summaries_sent_at
    assert competition.standstill_ends_at - competition.assessment_summaries_sent_at >= timedelta(days=10)
