"""Direct award services: every step, its refusals and its audit event; freezing; isolation between organisations."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import AuditEvent
from portal.services.direct_awards import requirements as awards
from portal.services.direct_awards import shortlist as shortlists
from portal.services.errors import ConflictError, PermissionDeniedError, ValidationError
from tests.factories import make_framework, make_lot
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
        "Delta": ["Suspended from this lot"],
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
    assert reasons["Delta"] == ["Suspended from this lot"]  # fully priced: no price reason
    assert [s["supplier"]["name"] for s in content["capable"]] == ["Alpha"]


def _london(day):
    from portal.domain.timefmt import format_date

    return format_date(day)
