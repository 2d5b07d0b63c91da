"""Award services: abnormally low prices, recommendation, approval (four eyes, exclusion, lot membership),
standstill and confirmation; the bidder's assessment summary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import AuditEvent, LotMembership, OutboxMessage, PriceExplanation
from portal.models.base import utcnow
from portal.services.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from portal.services.evaluation import award, moderation, results, summaries
from tests.factories import make_exclusion, make_user
from tests.test_evaluation_services import evaluation_world, moderate_all, score_all


def moderated_world(**kw):
    world = evaluation_world(**kw)
    score_all(world)
    moderate_all(world)
    moderation.complete_moderation(world.buyer, world.competition.id)
    return world


def recommended_world(**kw):
    world = moderated_world(**kw)
    award.recommend(world.buyer, world.competition.id, world.bids["Bravo"].id)
    return world


def approved_world(*, send: bool = True, **kw):
    """Approved, and (unless send=False) the assessment summaries sent, so bidders see their outcome."""
    world = recommended_world(**kw)
    award.approve(world.approver, world.competition.id)
    if send:
        summaries.send_assessment_summaries(world.buyer, world.competition.id)
    return world


def _event_types() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.event_type).order_by(AuditEvent.id)))


# --- Abnormally low price ------------------------------------------------------------------------------------------


def test_rejecting_an_abnormally_low_price_before_the_explanation_is_refused():
    world = moderated_world()
    alpha = world.bids["Alpha"]
    with pytest.raises(ConflictError, match="requested and recorded"):
        award.decide_explanation(world.buyer, world.competition.id, alpha.id, "rejected", "Too cheap")
    award.request_explanation(world.buyer, world.competition.id, alpha.id)
    with pytest.raises(ConflictError, match="requested and recorded"):
        award.decide_explanation(world.buyer, world.competition.id, alpha.id, "rejected", "Too cheap")
    supplier_user = db.session.scalar(select(OutboxMessage).where(OutboxMessage.subject.like("Please explain%")))
    assert supplier_user is not None and "30.76 % below" in supplier_user.body


def test_explanation_recorded_then_rejected_disqualifies_the_bid():
    world = moderated_world()
    alpha = world.bids["Alpha"]
    award.request_explanation(world.buyer, world.competition.id, alpha.id)
    with pytest.raises(ConflictError, match="already been requested"):
        award.request_explanation(world.buyer, world.competition.id, alpha.id)
    with pytest.raises(ValidationError, match="explanation"):
        award.record_explanation(world.buyer, world.competition, alpha, " ")
    award.record_explanation(world.buyer, world.competition, alpha, "Our costs are low because we own the platform.")
    with pytest.raises(ValidationError, match="reason"):
        award.decide_explanation(world.buyer, world.competition.id, alpha.id, "rejected", "")
    award.decide_explanation(world.buyer, world.competition.id, alpha.id, "rejected", "Staffing costs not covered")
    outcome = results.competition_results(world.buyer, world.competition)
    row = next(r for r in outcome.rows if r.bid.id == alpha.id)
    assert not row.result.compliant and "Staffing costs not covered" in row.result.disqualification_reasons[0]
    assert {
        "bid.price_explanation_requested",
        "bid.price_explanation_recorded",
        "bid.price_explanation_rejected",
    } <= set(_event_types())


def test_a_bid_not_flagged_cannot_be_asked_to_explain():
    world = moderated_world()
    with pytest.raises(ConflictError, match="not been flagged"):
        award.request_explanation(world.buyer, world.competition.id, world.bids["Bravo"].id)


# --- Recommendation ------------------------------------------------------------------------------------------------


def test_recommending_other_than_the_top_ranked_bid_is_refused():
    world = moderated_world()
    with pytest.raises(ValidationError, match="published criteria: recommend the top-ranked compliant bid, Bravo"):
        award.recommend(world.buyer, world.competition.id, world.bids["Alpha"].id)
    competition = award.recommend(world.buyer, world.competition.id, world.bids["Bravo"].id, "Clear winner")
    assert competition.recommended_bid_id == world.bids["Bravo"].id
    assert competition.recommended_by_id == world.buyer.id
    assert "competition.award_recommended" in _event_types()


def test_recommending_before_moderation_is_refused():
    world = evaluation_world()
    with pytest.raises(ConflictError, match="recommend an award because the competition is in evaluation"):
        award.recommend(world.buyer, world.competition.id, world.bids["Bravo"].id)


# --- Approval ------------------------------------------------------------------------------------------------------


def test_the_recommender_cannot_approve():
    world = moderated_world()
    approver = world.approver
    award.recommend(approver, world.competition.id, world.bids["Bravo"].id)
    with pytest.raises(ConflictError, match="cannot also approve it"):
        award.approve(approver, world.competition.id)


def test_only_an_approver_approves():
    world = recommended_world()
    with pytest.raises(PermissionDeniedError):
        award.approve(world.colleague, world.competition.id)


def test_approval_is_refused_for_an_excluded_supplier():
    world = recommended_world()
    make_exclusion(world.suppliers["Bravo"], date.today() - timedelta(days=1))
    db.session.commit()
    with pytest.raises(ConflictError, match="Bravo is excluded"):
        award.approve(world.approver, world.competition.id)
    assert world.competition.approved_at is None


def test_approval_is_refused_for_a_supplier_suspended_on_the_lot():
    world = recommended_world()
    membership = db.session.scalar(
        select(LotMembership).where(LotMembership.supplier_id == world.suppliers["Bravo"].id)
    )
    membership.status, membership.status_reason = "suspended", "Under investigation"
    db.session.commit()
    with pytest.raises(ConflictError, match="Bravo is suspended from this lot, so the award cannot be approved"):
        award.approve(world.approver, world.competition.id)


def test_pa2023_approval_starts_no_standstill_and_tells_no_bidder_until_the_summaries_are_sent():
    """Under the Act the standstill begins with the day the UK6 is published (tests/test_award_notice_standstill.py)."""
    world = recommended_world(regime="pa2023")
    bidder = make_user("supplier", supplier=world.suppliers["Alpha"])
    db.session.commit()
    competition = award.approve(world.approver, world.competition.id)
    assert competition.approved_by_id == world.approver.id
    assert competition.standstill_started_at is None and competition.standstill_ends_at is None
    # Only the buying organisation hears of the approval (award_approved); no bidder is e-mailed.
    assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == bidder.email)).all() == []
    assert competition.assessment_summaries_sent_at is None
    assert "competition.award_approved" in _event_types()


def test_pcr2015_standstill_uses_the_voluntary_calendar_days():
    world = recommended_world(regime="pcr2015")
    world.competition.voluntary_standstill_days = 10
    db.session.commit()
    competition = award.approve(world.approver, world.competition.id)
    assert timedelta(days=10) <= competition.standstill_ends_at - competition.approved_at < timedelta(days=14)


def test_confirming_before_the_standstill_ends_is_refused_and_after_it_succeeds():
    world = approved_world(regime="pcr2015")
    with pytest.raises(ConflictError, match="until the standstill period ends"):
        award.confirm(world.buyer, world.competition.id)
    world.competition.standstill_ends_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    competition = award.confirm(world.buyer, world.competition.id)
    assert competition.awarded_at is not None and "competition.awarded" in _event_types()


# --- Assessment summary --------------------------------------------------------------------------------------------


def test_a_losers_summary_has_its_scores_and_reasons_and_the_winners_but_no_other_loser():
    world = approved_world()
    alpha_user = make_user("supplier", supplier=world.suppliers["Alpha"])
    db.session.commit()
    summary = results.assessment_summary(alpha_user, world.competition.id)
    assert summary.decided and not summary.is_winner
    assert summary.own.total == 82 and summary.winner.key == str(world.bids["Bravo"].id)
    assert [line.own_score for line in summary.lines][:2] == ["4 out of 5", "3 out of 5"]
    assert summary.lines[0].rationale == "Agreed 4 for Alpha."
    assert [line.winner_score for line in summary.lines][:2] == ["5 out of 5", "5 out of 5"]
    # The winning tender's reasons too (reg 31: "the same for the winning tender"), but nothing of another loser.
    assert summary.lines[0].winner_rationale == "Agreed 5 for Bravo."
    assert "Charlie" not in repr(summary.lines)
    assert summary.contact == world.buyer  # the officer who recommended the award answers questions


def test_summary_before_approval_is_not_decided_and_non_bidders_get_404():
    world = recommended_world()
    alpha_user = make_user("supplier", supplier=world.suppliers["Alpha"])
    outsider = make_user("supplier")
    db.session.commit()
    assert not results.assessment_summary(alpha_user, world.competition.id).decided
    award.approve(world.approver, world.competition.id)
    assert not results.assessment_summary(alpha_user, world.competition.id).decided  # approved, not yet sent
    with pytest.raises(NotFoundError):
        results.assessment_summary(outsider, world.competition.id)


def test_the_database_refuses_a_decision_without_an_explanation():
    world = moderated_world()
    db.session.add(PriceExplanation(bid_id=world.bids["Alpha"].id, requested_by_id=world.buyer.id, outcome="rejected"))
    with pytest.raises(IntegrityError, match="decided_after_explanation"):
        db.session.commit()
    db.session.rollback()


def test_an_abnormally_low_winner_needs_its_explanation_accepted_before_recommendation():
    world = evaluation_world()
    score_all(world)
    # Alpha scores top marks everywhere, so its abnormally low price now wins.
    for criterion in world.criteria:
        moderation.record_moderated_score(
            world.buyer, world.competition.id, world.bids["Alpha"].id, criterion.id, "5", "Excellent."
        )
    for name in ("Bravo", "Charlie"):
        for criterion in world.criteria:
            moderation.record_moderated_score(
                world.buyer, world.competition.id, world.bids[name].id, criterion.id, "3", "Fine."
            )
    moderation.complete_moderation(world.buyer, world.competition.id)
    alpha = world.bids["Alpha"]
    with pytest.raises(ConflictError, match="abnormally low"):
        award.recommend(world.buyer, world.competition.id, alpha.id)
    award.request_explanation(world.buyer, world.competition.id, alpha.id)
    award.record_explanation(world.buyer, world.competition, alpha, "Our platform is already paid for.")
    award.decide_explanation(world.buyer, world.competition.id, alpha.id, "accepted", "")
    assert award.recommend(world.buyer, world.competition.id, alpha.id).recommended_bid_id == alpha.id
