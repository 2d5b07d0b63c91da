"""The demo direct awards (portal.seed.direct_awards): what they hold, that they are idempotent, and their pages."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
import time_machine
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, DirectAward, Lot, LotMembership, Shortlist, User
from portal.seed import demo
from portal.seed.direct_awards import seed_direct_awards
from portal.services.direct_awards import shortlist as shortlists

DEMO_TODAY = date(2026, 11, 22)


@pytest.fixture
def seeded():
    with time_machine.travel(DEMO_TODAY, tick=False):
        demo.seed()
        report = seed_direct_awards()
    return report


def _user(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()


def _award(reference: str) -> DirectAward:
    return db.session.scalars(select(DirectAward).where(DirectAward.reference == reference)).one()


def test_awarded_to_orlo_with_its_frozen_shortlist(seeded):
    award = _award("DA-DEMO-0001")
    orlo = _user("bids@orlo.example")
    assert award.buyer_organisation.name == "Surrey Police"
    assert award.recommended_supplier_id == orlo.supplier_id
    assert award.recommended_by_id == _user("buyer@surrey.police.example").id
    assert award.approved_by_id == _user("approver@surrey.police.example").id
    assert award.accepted_by_id == orlo.id and award.accepted_at > award.standstill_ends_at > award.approved_at
    (frozen,) = award.shortlists
    assert hashlib.sha256(frozen.content_json.encode()).hexdigest() == frozen.content_sha256
    content = shortlists.content_of(frozen)
    assert content["capable"][0]["supplier"]["name"] == "Orlo" and content["selected_supplier_id"] == orlo.supplier_id
    assert shortlists.current_shortlist(award) is frozen


def test_in_progress_award_is_at_the_results_step(seeded):
    award = _award("DA-DEMO-0002")
    assert award.shortlists == [] and award.recommended_at is None
    assert award.capabilities and award.quantities and award.planned_start_on
    with time_machine.travel(DEMO_TODAY, tick=False):
        assert shortlists.live_content(award)["capable"]


def test_lot_settings_and_rankings(seeded):
    lot = _award("DA-DEMO-0001").lot
    assert lot.framework.reference == "PDS-SMME-2024" and lot.number == 1
    assert (lot.direct_award_allowed, lot.selection_mechanism) == (True, "lowest_cost")
    unranked = db.session.scalar(
        select(func.count()).where(LotMembership.lot_id == lot.id, LotMembership.framework_ranking.is_(None))
    )
    assert unranked == 0
    # On this framework only lot 1 allows direct award (the Procurement Act framework's lot 1 does too, for its own
    # demo direct award: portal/seed/pa_call_offs.py).
    other_lots = db.session.scalars(
        select(Lot).where(Lot.framework_id == lot.framework_id, Lot.id != lot.id, Lot.direct_award_allowed.is_(True))
    ).all()
    assert other_lots == []


def test_second_run_creates_nothing(seeded):
    events = db.session.scalar(select(func.count(AuditEvent.id)))
    with time_machine.travel(DEMO_TODAY, tick=False):
        assert seed_direct_awards() == "Demo direct awards already loaded: nothing new created."
    assert db.session.scalar(select(func.count(AuditEvent.id))) == events
    # DA-DEMO-0001's, and the Procurement Act demo's direct award's (portal/seed/pa_call_offs.py)
    assert db.session.scalar(select(func.count(Shortlist.id))) == 2


def test_demo_pages_render(seeded, client):
    award = _award("DA-DEMO-0001")
    with time_machine.travel(DEMO_TODAY, tick=False):
        client.post("/sign-in", data={"email": "buyer@surrey.police.example", "password": demo.DEMO_PASSWORD})
        assert "Direct award approved" in client.get(f"/direct-awards/{award.id}").get_data(as_text=True)
        assert "Orlo is selected" in client.get(f"/direct-awards/shortlists/{award.shortlists[0].id}").get_data(
            as_text=True
        )
        client.post("/sign-out")
        client.post("/sign-in", data={"email": "bids@orlo.example", "password": demo.DEMO_PASSWORD})
        assert award.reference in client.get("/direct-awards/supplier").get_data(as_text=True)
