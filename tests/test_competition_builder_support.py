"""Shared builders for the competition builder and clarification tests (no tests here).

`world()` makes a live framework lot with the demo award criteria, four suppliers (two invitable, one
suspended, one excluded), a buyer organisation with a buyer and an approver, and another organisation.
`complete(competition, actor)` fills every section validly through the services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import Competition, Lot, Supplier, User
from portal.models.base import utcnow
from portal.seed.award_criteria import seed_award_criteria
from portal.services.competitions import builder, invitees
from portal.services.competitions import builder_criteria as criteria
from portal.services.competitions import builder_terms as terms
from tests.factories import (
    make_capability,
    make_claim,
    make_exclusion,
    make_framework,
    make_lot,
    make_membership,
    make_organisation,
    make_price_item,
    make_supplier,
    make_user,
)


@dataclass
class World:
    lot: Lot
    buyer: User
    approver: User
    evaluator: User
    other_buyer: User
    staff: User
    suppliers: list[Supplier]
    supplier_users: list[User]


def world() -> World:
    today = today_london()
    framework = make_framework(
        start_on=today - timedelta(days=365),
        initial_end_on=today + timedelta(days=365),
        max_call_off_months=36,
        min_bid_period_days=10,
    )
    lot = make_lot(framework, title="Social media management platform")
    seed_award_criteria(lot)
    channels = make_capability(lot, "Channels in one place")
    make_capability(lot, "24/7 contact")
    make_price_item(lot, "User licence", basis="per_month", unit="per user per month")
    make_price_item(lot, "Onboarding", basis="one_off", unit="per day")
    org = make_organisation("Force A")
    suppliers = [make_supplier(trading_name=name) for name in ("Alpha", "Bravo", "Charlie", "Delta")]
    make_membership(suppliers[0], lot)
    make_membership(suppliers[1], lot)
    make_membership(suppliers[2], lot, status="suspended", reason="Failed audit")
    make_membership(suppliers[3], lot)
    make_exclusion(suppliers[3], today - timedelta(days=10))
    make_claim(suppliers[0], channels)
    users = [make_user("supplier", supplier=s) for s in suppliers]
    result = World(
        lot=lot,
        buyer=make_user("buyer", organisation=org),
        approver=make_user("approver", organisation=org),
        evaluator=make_user("evaluator", organisation=org),
        other_buyer=make_user("buyer", organisation=make_organisation("Force B")),
        staff=make_user("staff"),
        suppliers=suppliers,
        supplier_users=users,
    )
    db.session.commit()
    return result


def start(w: World, actor: User | None = None) -> Competition:
    return builder.create_competition(actor or w.buyer, lot_id=w.lot.id, title="Social media platform for Force A")


def node(competition: Competition, title: str):
    return next(n for n in competition.criteria if n.title == title)


def valid_weights(competition: Competition) -> dict[int, Decimal]:
    weights = {}
    for n in builder.weighted_nodes(competition):
        if n.parent_id is None:
            weights[n.id] = {"Quality": Decimal(60), "Price": Decimal(40), "Social value": Decimal(0)}[n.title]
        elif n.parent.title == "Quality":
            weights[n.id] = Decimal(25)
        else:
            weights[n.id] = Decimal(100)
    return weights


def timetable(days: int = 15) -> dict:
    now = utcnow()
    return {
        "clarification_deadline_at": now + timedelta(days=days - 3),
        "submission_deadline_at": now + timedelta(days=days),
        "evaluation_on": today_london() + timedelta(days=days + 1),
        "award_on": today_london() + timedelta(days=days + 5),
    }


def complete(competition: Competition, actor: User, *, confirm_suppliers: bool = True) -> Competition:
    builder.update_details(
        actor,
        competition,
        builder.Details(
            title=competition.title,
            statement_of_requirements="A platform for 40 users across the force.",
            estimated_value_pence=6_000_000,
            term_months=24,
            planned_start_on=date.today() + timedelta(days=90),
        ),
    )
    assert criteria.set_weights(actor, competition, valid_weights(competition)) == []
    items = competition.lot.price_items
    terms.set_price_terms(
        actor,
        competition,
        terms.PriceTerms(
            quantities={items[0].id: 40, items[1].id: 5},
            price_method="lowest",
            budget_pence=None,
            tie_break=["higher_quality", "lower_price"],
        ),
    )
    terms.set_timetable(actor, competition, **timetable())
    if confirm_suppliers:
        invitees.set_required_capabilities(actor, competition, [], "")  # the buyer confirms the supplier list
    return competition
