"""A small direct award world shared by the direct award tests (builders only; the tests are in sibling modules).

Lot with direct award on (lowest cost; tie-breaks framework ranking, lower cost), three capabilities, two price
items (licences per month, onboarding days one-off), and five suppliers:
- alpha: capable, cheapest (licence £10, onboarding £500) -> selected;
- beta: capable, dearer (licence £12, onboarding £400);
- gamma: lacks capability 2;
- delta: suspended;
- epsilon: excluded (an exclusion in force today).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import DirectAward, Lot, Supplier, User
from portal.services.direct_awards import requirements as awards
from tests.factories import (
    make_accreditation,
    make_capability,
    make_claim,
    make_exclusion,
    make_framework,
    make_lot,
    make_membership,
    make_organisation,
    make_price,
    make_price_item,
    make_supplier,
    make_user,
)


@dataclass
class World:
    lot: Lot
    capabilities: list
    items: list
    suppliers: dict[str, Supplier]
    buyer: User
    buyer2: User
    approver: User
    approver2: User
    other_buyer: User
    evaluator: User
    supplier_users: dict[str, User]

    @property
    def start_on(self) -> date:
        return today_london() + timedelta(days=30)


def build_world(regime: str = "pcr2015") -> World:
    today = today_london()
    framework = make_framework(
        regime=regime, start_on=today - timedelta(days=200), initial_end_on=today + timedelta(days=700),
        max_call_off_months=24,
    )  # fmt: skip
    lot = make_lot(
        framework, direct_award_allowed=True, selection_mechanism="lowest_cost",
        direct_award_tie_break="framework_ranking,lower_cost",
    )  # fmt: skip
    capabilities = [make_capability(lot, f"Capability {n}", position=n) for n in (1, 2, 3)]
    licence = make_price_item(lot, "User licence", basis="per_month", unit="per user per month")
    onboarding = make_price_item(lot, "Onboarding day", basis="one_off", unit="per day")
    suppliers = {}
    prices = {"alpha": (1000, 50000), "beta": (1200, 40000), "gamma": (500, 100), "delta": (400, 100),
              "epsilon": (300, 100)}  # fmt: skip
    for rank, name in enumerate(prices, start=1):
        supplier = make_supplier(legal_name=f"{name.title()} Ltd", trading_name=name.title())
        suppliers[name] = supplier
        make_membership(
            supplier, lot, status="suspended" if name == "delta" else "active",
            reason="Late management information" if name == "delta" else "", framework_ranking=rank,
        )  # fmt: skip
        for capability in capabilities:
            if not (name == "gamma" and capability is capabilities[1]):
                make_claim(supplier, capability, f"{name.title()} evidence for {capability.name}")
        make_accreditation(supplier, "Cyber Essentials Plus", expires_on=today + timedelta(days=400))
        make_price(supplier, licence, prices[name][0], framework.start_on)
        make_price(supplier, onboarding, prices[name][1], framework.start_on)
    make_exclusion(suppliers["epsilon"], today - timedelta(days=10))
    org = make_organisation("Force A")
    other = make_organisation("Force B")
    world = World(
        lot=lot,
        capabilities=capabilities,
        items=[licence, onboarding],
        suppliers=suppliers,
        buyer=make_user("buyer", email="buyer@a.example.test", organisation=org),
        buyer2=make_user("buyer", email="buyer2@a.example.test", organisation=org),
        approver=make_user("approver", email="approver@a.example.test", organisation=org),
        approver2=make_user("approver", email="approver2@a.example.test", organisation=org),
        other_buyer=make_user("buyer", email="buyer@b.example.test", organisation=other),
        evaluator=make_user("evaluator", email="evaluator@a.example.test", organisation=org),
        supplier_users={
            name: make_user("supplier", email=f"bids@{name}.example.test", supplier=suppliers[name])
            for name in ("alpha", "beta")
        },
    )
    db.session.commit()
    return world


def requirement(world: World, **changes) -> awards.RequirementInput:
    values = {
        "title": "Social media platform",
        "statement": "Publishing and monitoring for the press office.",
        "capability_ids": [world.capabilities[0].id, world.capabilities[1].id],
        "schemes": ["Cyber Essentials Plus"],
        "term_months": 12,
        "planned_start_on": world.start_on,
    } | changes
    return awards.RequirementInput(**values)


def ready_award(world: World, user: User | None = None, **changes) -> DirectAward:
    """An award with the requirement and quantities saved (20 licences, 2 onboarding days)."""
    user = user or world.buyer
    award = awards.start(user, world.lot.id)
    awards.save_requirement(user, award, requirement(world, **changes))
    awards.save_quantities(user, award, {world.items[0].id: 20, world.items[1].id: 2})
    return award
