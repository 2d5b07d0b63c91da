"""Direct award decisions: recommend, approve (four eyes, live checks, standstill), supplier acceptance, isolation,
cancelling."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import AuditEvent, LotMembership
from portal.services.direct_awards import decisions
from portal.services.direct_awards import requirements as awards
from portal.services.direct_awards import shortlist as shortlists
from portal.services.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from tests.factories import make_exclusion
from tests.test_direct_award_world import build_world, ready_award, requirement


@pytest.fixture
def world():
    return build_world()


def _events(event_type: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event_type == event_type)))


# --- Step 6 -------------------------------------------------------------------------------------------------------


def _recommended(world):
    award = ready_award(world)
    shortlists.freeze(world.buyer, award)
    return decisions.recommend(world.buyer, award.id, world.suppliers["alpha"].id, "Lowest cost, terms complete.")


def test_recommend_needs_a_frozen_shortlist(world):
    award = ready_award(world)
    with pytest.raises(ConflictError, match="Freeze the shortlist"):
        decisions.recommend(world.buyer, award.id, world.suppliers["alpha"].id, "Because")


def test_recommending_another_supplier_is_not_a_direct_award(world):
    award = ready_award(world)
    shortlists.freeze(world.buyer, award)
    with pytest.raises(ValidationError, match="not a direct award") as error:
        decisions.recommend(world.buyer, award.id, world.suppliers["beta"].id, "We prefer Beta")
    assert error.value.field == "supplier_id"
    assert "Beta is not the supplier the framework's mechanism selected (Alpha)" in error.value.message
    db.session.rollback()
    assert award.recommended_at is None


def test_recommend_needs_a_justification(world):
    award = ready_award(world)
    shortlists.freeze(world.buyer, award)
    with pytest.raises(ValidationError, match="justification") as error:
        decisions.recommend(world.buyer, award.id, world.suppliers["alpha"].id, "  ")
    assert error.value.field == "justification"


def test_recommend_refused_when_the_mechanism_selects_nobody(world):
    award = awards.start(world.buyer, world.lot.id)
    awards.save_requirement(world.buyer, award, requirement(world))
    # Only onboarding days, priced alike from the start date, and neither supplier ranked: level on every rule.
    world.suppliers["beta"].memberships[0].framework_ranking = None
    world.suppliers["alpha"].memberships[0].framework_ranking = None
    from tests.factories import make_price

    make_price(world.suppliers["beta"], world.items[1], 50_000, world.start_on)
    db.session.commit()
    awards.save_quantities(world.buyer, award, {world.items[0].id: 0, world.items[1].id: 2})
    frozen = shortlists.freeze(world.buyer, award)
    assert shortlists.content_of(frozen)["unresolved_tie"]
    with pytest.raises(ConflictError, match="does not select a supplier"):
        decisions.recommend(world.buyer, award.id, world.suppliers["alpha"].id, "Because")


def test_recommend_then_requirement_is_locked(world):
    award = _recommended(world)
    assert award.recommended_by_id == world.buyer.id and award.recommended_shortlist_id is not None
    assert len(_events("direct_award.recommended")) == 1
    with pytest.raises(ConflictError, match="recommended"):
        awards.save_requirement(world.buyer, award, requirement(world, term_months=6))
    with pytest.raises(ConflictError):
        shortlists.freeze(world.buyer, award)


def test_approval_by_the_recommender_is_refused(world):
    award = ready_award(world, user=world.approver)
    shortlists.freeze(world.approver, award)
    decisions.recommend(world.approver, award.id, world.suppliers["alpha"].id, "Lowest cost.")
    with pytest.raises(ConflictError, match="another approver"):
        decisions.approve(world.approver, award.id)
    decisions.approve(world.approver2, award.id)
    assert award.approved_by_id == world.approver2.id


def test_only_approvers_approve(world):
    award = _recommended(world)
    with pytest.raises(PermissionDeniedError):
        decisions.approve(world.buyer2, award.id)


def test_approval_before_recommendation_is_refused(world):
    award = ready_award(world)
    with pytest.raises(ConflictError, match="not been recommended"):
        decisions.approve(world.approver, award.id)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("suspended", "is suspended from this lot"),
        ("removed", "has been removed from this lot"),
        ("excluded", "is excluded"),
    ],
)
def test_approval_refused_when_the_supplier_is_no_longer_awardable(world, change, message):
    award = _recommended(world)
    alpha = world.suppliers["alpha"]
    if change == "excluded":
        make_exclusion(alpha, today_london())
    else:
        membership = db.session.scalar(select(LotMembership).where(LotMembership.supplier_id == alpha.id))
        membership.status, membership.status_reason = change, "Test"
        if change == "removed":
            membership.left_on = today_london()
    db.session.commit()
    with pytest.raises(ConflictError, match=message):
        decisions.approve(world.approver, award.id)
    db.session.rollback()
    assert award.approved_at is None


def test_approval_refused_when_the_lot_no_longer_allows_direct_award(world):
    award = _recommended(world)
    world.lot.direct_award_allowed = False
    db.session.commit()
    with pytest.raises(ConflictError, match="no longer allows direct award"):
        decisions.approve(world.approver, award.id)


def test_approval_sets_standstill_and_is_audited(world):
    award = _recommended(world)
    decisions.approve(world.approver, award.id)
    assert award.approved_at is not None and award.standstill_ends_at > award.approved_at
    assert len(_events("direct_award.approved")) == 1
    with pytest.raises(ConflictError, match="already been approved"):
        decisions.approve(world.approver2, award.id)


def _approve_at(monkeypatch, world, instant):
    award = _recommended(world)
    monkeypatch.setattr(decisions, "utcnow", lambda: instant)
    return decisions.approve(world.approver, award.id)


def test_standstill_pcr_2015_is_ten_calendar_days_to_a_working_day(monkeypatch, world):
    from datetime import UTC, datetime

    # Approved Thursday 18 December 2025: +10 days is Sunday 28 December; the next working day is Monday 29
    # (25 and 26 are bank holidays, not reached). Ends at midnight at the end of the 29th, London (= UTC in winter).
    award = _approve_at(monkeypatch, world, datetime(2025, 12, 18, 10, 0, tzinfo=UTC))
    assert award.standstill_ends_at == datetime(2025, 12, 30, 0, 0, tzinfo=UTC)


def test_pa_2023_approval_starts_no_standstill_the_award_notice_does(monkeypatch):
    """Under the Act the 8 working days begin with the UK6's publication (tests/test_award_notice_standstill.py)."""
    from datetime import UTC, datetime

    world = build_world(regime="pa2023")
    award = _approve_at(monkeypatch, world, datetime(2025, 12, 18, 10, 0, tzinfo=UTC))
    assert award.standstill_started_at is None and award.standstill_ends_at is None
    assert decisions.status(award)[0] == "Approved: award notice due"


# --- Step 7 -------------------------------------------------------------------------------------------------------


def test_supplier_sees_and_accepts_only_its_approved_award(world):
    award = _recommended(world)
    alpha_user, beta_user = world.supplier_users["alpha"], world.supplier_users["beta"]
    assert decisions.supplier_awards(alpha_user) == []  # not approved yet
    with pytest.raises(NotFoundError):
        decisions.accept(alpha_user, award.id)
    decisions.approve(world.approver, award.id)
    assert decisions.supplier_awards(alpha_user) == [award]
    assert decisions.supplier_awards(beta_user) == []
    with pytest.raises(NotFoundError):
        decisions.accept(beta_user, award.id)
    decisions.accept(alpha_user, award.id)
    assert award.accepted_by_id == alpha_user.id
    assert len(_events("direct_award.accepted")) == 1
    with pytest.raises(ConflictError, match="already accepted"):
        decisions.accept(alpha_user, award.id)
    assert decisions.status(award)[0] == "Accepted by supplier"


def test_buyers_cannot_use_supplier_services(world):
    with pytest.raises(PermissionDeniedError):
        decisions.supplier_awards(world.buyer)


# --- Isolation and cancelling -------------------------------------------------------------------------------------


def test_a_buyer_sees_only_their_own_organisations_awards(world):
    award = ready_award(world)
    frozen = shortlists.freeze(world.buyer, award)
    assert awards.list_for_officer(world.buyer2) == [award]
    assert awards.list_for_officer(world.other_buyer) == []
    with pytest.raises(NotFoundError):
        awards.get_for_officer(world.other_buyer, award.id)
    with pytest.raises(NotFoundError):
        shortlists.get_shortlist(world.other_buyer, frozen.id)
    with pytest.raises(NotFoundError):
        decisions.recommend(world.other_buyer, award.id, world.suppliers["alpha"].id, "x")


def test_cancel_needs_a_reason_and_stops_the_journey(world):
    award = ready_award(world)
    with pytest.raises(ValidationError):
        decisions.cancel(world.buyer, award.id, " ")
    decisions.cancel(world.buyer, award.id, "Budget withdrawn")
    assert len(_events("direct_award.cancelled")) == 1
    with pytest.raises(ConflictError, match="cancelled"):
        awards.save_quantities(world.buyer, award, {world.items[0].id: 1, world.items[1].id: 1})
    assert decisions.status(award)[0] == "Cancelled"
