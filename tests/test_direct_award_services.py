"""Direct award services: every step, its refusals and its audit event; freezing; isolation between organisations."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, LotMembership
from portal.services import direct_award_decisions as decisions
from portal.services import direct_award_shortlist as shortlists
from portal.services import direct_awards as awards
from portal.services.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from portal.timefmt import today_london
from tests.factories import make_exclusion, make_framework, make_lot
from tests.test_direct_award_world import build_world, ready_award, requirement


@pytest.fixture
def world():
    return build_world()


def _events(event_type: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event_type == event_type)))


# --- Step 1 -------------------------------------------------------------------------------------------------------


def test_lot_choices_only_live_frameworks_the_organisation_may_use(world):
    expired = make_framework(start_on=today_london() - timedelta(900), initial_end_on=today_london() - timedelta(1))
    make_lot(expired, direct_award_allowed=True)
    fire_only = make_framework(
        start_on=today_london() - timedelta(days=9), initial_end_on=today_london() + timedelta(9)
    )
    fire_only.eligible_buyer_types[:] = [t for t in fire_only.eligible_buyer_types if t.organisation_type == "fire"]
    make_lot(fire_only, direct_award_allowed=True)
    db.session.commit()
    assert [c.lot.id for c in awards.lot_choices(world.buyer)] == [world.lot.id]


def test_start_refuses_a_lot_without_direct_award(world):
    other_lot = make_lot(world.lot.framework, direct_award_allowed=False)
    db.session.commit()
    with pytest.raises(ValidationError, match="does not allow direct award") as error:
        awards.start(world.buyer, other_lot.id)
    assert error.value.field == "lot_id"
    with pytest.raises(ValidationError, match="Select a framework and lot"):
        awards.start(world.buyer, None)


def test_start_creates_a_numbered_award_and_audits_it(world):
    award = awards.start(world.buyer, world.lot.id)
    assert award.reference == f"DA-{award.id:05d}"
    assert award.buyer_organisation_id == world.buyer.buyer_organisation_id
    assert [e.object_id for e in _events("direct_award.started")] == [str(award.id)]


def test_evaluators_and_suppliers_cannot_start(world):
    with pytest.raises(PermissionDeniedError):
        awards.start(world.evaluator, world.lot.id)
    with pytest.raises(PermissionDeniedError):
        awards.lot_choices(world.supplier_users["alpha"])


# --- Steps 2 and 3 -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"capability_ids": []}, "capability_ids", "Select at least one essential capability"),
        ({"term_months": 25}, "term_months", "24 months or fewer"),
        ({"term_months": 0}, "term_months", "at least 1 month"),
        ({"term_months": None}, "term_months", "Enter the contract term"),
        ({"planned_start_on": None}, "planned_start_on", "Enter the planned start date"),
        ({"planned_start_on": today_london() - timedelta(days=1)}, "planned_start_on", "today or in the future"),
        ({"schemes": ["Made-up scheme"]}, "schemes", "from the list"),
    ],
)
def test_requirement_refusals(world, changes, field, message):
    award = awards.start(world.buyer, world.lot.id)
    with pytest.raises(ValidationError, match=message) as error:
        awards.save_requirement(world.buyer, award, requirement(world, **changes))
    assert error.value.field == field
    db.session.rollback()
    assert award.title == "" and award.capabilities == []


def test_requirement_saved_and_audited(world):
    award = awards.start(world.buyer, world.lot.id)
    awards.save_requirement(world.buyer, award, requirement(world))
    assert award.title == "Social media platform"
    assert sorted(c.capability_id for c in award.capabilities) == [c.id for c in world.capabilities[:2]]
    event = _events("direct_award.requirement_saved")[0]
    assert json.loads(event.after_json)["title"] == "Social media platform"


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({0: -1, 1: 2}, "must be a whole number, 0 or more"),
        ({0: 0, 1: 0}, "at least one price item"),
        ({0: None, 1: 2}, "Enter a quantity for User licence"),
    ],
)
def test_quantity_refusals(world, given, message):
    award = awards.start(world.buyer, world.lot.id)
    with pytest.raises(ValidationError, match=message) as error:
        awards.save_quantities(world.buyer, award, {world.items[k].id: v for k, v in given.items()})
    assert error.value.field.startswith("quantity_")


def test_quantities_saved_and_audited(world):
    award = ready_award(world)
    assert {q.price_item_id: q.quantity for q in award.quantities} == {world.items[0].id: 20, world.items[1].id: 2}
    assert len(_events("direct_award.quantities_saved")) == 1
    assert awards.ready_for_results(award)


def test_changing_the_lot_clears_capabilities_and_quantities(world):
    award = ready_award(world)
    second = make_lot(world.lot.framework, direct_award_allowed=True)
    db.session.commit()
    awards.change_lot(world.buyer, award, second.id)
    assert award.lot_id == second.id and award.capabilities == [] and award.quantities == []
    assert len(_events("direct_award.lot_changed")) == 1


# --- Step 4 -------------------------------------------------------------------------------------------------------


def test_results_rank_capable_suppliers_and_give_reasons(world):
    award = ready_award(world)
    content = shortlists.live_content(award)
    capable = [(s["supplier"]["name"], s["rank"], s["total_pence"]) for s in content["capable"]]
    # Alpha: 20 x £10 x 12 months + 2 x £500 = £3,400; Beta: 20 x £12 x 12 + 2 x £400 = £3,680.
    assert capable == [("Alpha", 1, 340_000), ("Beta", 2, 368_000)]
    assert content["selected_supplier_id"] == world.suppliers["alpha"].id
    reasons = {n["supplier"]["name"]: [r["message"] for r in n["reasons"]] for n in content["not_capable"]}
    assert reasons == {
        "Delta": ["Suspended on this lot"],
        "Epsilon": ["Excluded: an exclusion is in force against this supplier"],
        "Gamma": ["Does not meet: Capability 2"],
    }
    line = content["capable"][0]["lines"][0]
    assert (line["unit_price_pence"], line["months"], line["price_effective_from"]) == (
        1000, 12, world.lot.framework.start_on.isoformat(),
    )  # fmt: skip


def test_results_use_the_price_that_applies_on_the_planned_start_date(world):
    from tests.factories import make_price

    award = ready_award(world)
    make_price(world.suppliers["alpha"], world.items[0], 2000, world.start_on + timedelta(days=1))  # after start
    make_price(world.suppliers["beta"], world.items[0], 900, world.start_on)  # from the start date itself
    db.session.commit()
    content = shortlists.live_content(award)
    assert [(s["supplier"]["name"], s["total_pence"]) for s in content["capable"]] == [
        ("Beta", 20 * 900 * 12 + 80_000), ("Alpha", 340_000),
    ]  # fmt: skip


def test_results_need_requirement_and_quantities(world):
    award = awards.start(world.buyer, world.lot.id)
    with pytest.raises(ConflictError):
        shortlists.run(award)


def test_csv_export_is_audited(world):
    award = ready_award(world)
    text = shortlists.export_csv(world.buyer, award, shortlists.live_content(award))
    assert text.splitlines()[0].startswith("Rank,Supplier,Result")
    assert "1,Alpha,Selected,User licence" in text
    assert len(_events("direct_award.results_exported")) == 1


# --- Step 5 -------------------------------------------------------------------------------------------------------


def test_freeze_saves_canonical_json_with_its_hash(world):
    award = ready_award(world)
    frozen = shortlists.freeze(world.buyer, award)
    assert frozen.version == 1
    assert hashlib.sha256(frozen.content_json.encode()).hexdigest() == frozen.content_sha256
    content = shortlists.content_of(frozen)
    alpha = content["capable"][0]
    assert alpha["claims"][0]["evidence"] == "Alpha evidence for Capability 1"
    assert alpha["supplier"]["legal_name"] == "Alpha Ltd"
    assert content["requirement"]["quantities"][0]["quantity"] == 20
    assert frozen.selected_supplier_id == world.suppliers["alpha"].id
    assert shortlists.current_shortlist(award) is frozen
    assert len(_events("direct_award.shortlist_frozen")) == 1


def test_freezing_twice_for_the_same_requirement_is_refused(world):
    award = ready_award(world)
    shortlists.freeze(world.buyer, award)
    with pytest.raises(ConflictError, match="already frozen"):
        shortlists.freeze(world.buyer, award)


def test_changing_the_requirement_starts_a_new_shortlist_and_keeps_the_old(world):
    award = ready_award(world)
    first = shortlists.freeze(world.buyer, award)
    awards.save_requirement(world.buyer, award, requirement(world, term_months=18))
    assert shortlists.current_shortlist(award) is None
    assert shortlists.superseded(award) == [first]
    second = shortlists.freeze(world.buyer, award)
    assert second.version == 2
    assert shortlists.current_shortlist(award) is second
    assert shortlists.superseded(award) == [first]
    assert shortlists.content_of(first)["requirement"]["term_months"] == 12


def test_frozen_content_survives_supplier_edits(world):
    from tests.factories import make_price

    award = ready_award(world)
    frozen = shortlists.freeze(world.buyer, award)
    before = frozen.content_json
    alpha = world.suppliers["alpha"]
    alpha.trading_name = "Alpha Renamed"
    alpha.claims[0].evidence = "Rewritten evidence"
    make_price(alpha, world.items[0], 99_999, world.lot.framework.start_on + timedelta(days=1))
    db.session.commit()
    db.session.expire_all()
    assert shortlists.content_of(frozen) == json.loads(before)
    live = shortlists.live_content(award)
    assert live["selected_supplier_id"] == world.suppliers["beta"].id  # the live data did change


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


def test_standstill_pa_2023_is_eight_working_days(monkeypatch):
    from datetime import UTC, datetime

    world = build_world(regime="pa2023")
    # Thursday 18 December 2025 counts as day 1: 18, 19, 22, 23, 24, 29, 30, 31 December -> ends 00:00 1 January.
    award = _approve_at(monkeypatch, world, datetime(2025, 12, 18, 10, 0, tzinfo=UTC))
    assert award.standstill_ends_at == datetime(2026, 1, 1, 0, 0, tzinfo=UTC)


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


def test_missing_prices_are_reasons_for_capable_and_not_capable_suppliers_alike(world):
    from portal.models import SupplierPrice

    award = ready_award(world)
    for name in ("beta", "gamma"):  # Beta would be capable; Gamma already lacks a capability
        supplier_id = world.suppliers[name].id
        db.session.execute(
            SupplierPrice.__table__.delete().where(
                SupplierPrice.supplier_id == supplier_id, SupplierPrice.price_item_id == world.items[1].id
            )
        )
    db.session.commit()
    content = shortlists.live_content(award)
    reasons = {n["supplier"]["name"]: [r["message"] for r in n["reasons"]] for n in content["not_capable"]}
    assert reasons["Beta"] == [f"No price for Onboarding day on the planned start date ({_london(world.start_on)})"]
    assert reasons["Gamma"] == ["Does not meet: Capability 2", reasons["Beta"][0]]
    assert reasons["Delta"] == ["Suspended on this lot"]  # fully priced: no price reason
    assert [s["supplier"]["name"] for s in content["capable"]] == ["Alpha"]


def test_matching_falls_back_to_every_price_if_the_prefilter_disagrees(world, monkeypatch):
    from portal.services import direct_award_matching as matching

    award = ready_award(world)
    expected = shortlists.live_content(award)
    real = matching.candidates

    def prefilter_everyone_out(*args, all_prices=False, **kwargs):
        found = real(*args, all_prices=all_prices, **kwargs)
        if all_prices:
            return found
        # Simulate a prefilter that wrongly left out every supplier: all get the placeholder price.
        return [c.__class__(**{**c.__dict__, "prices": {i.id: matching.PRICE_NOT_LOADED for i in world.items}})
                for c in found]  # fmt: skip

    monkeypatch.setattr(matching, "candidates", prefilter_everyone_out)
    assert shortlists.live_content(award)["capable"] == expected["capable"]


def _london(day):
    from portal.timefmt import format_date

    return format_date(day)
