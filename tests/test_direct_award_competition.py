"""A direct award that cannot be made carried over to a draft mini-competition: service and pages."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import AuditEvent, Competition
from portal.seed.award_criteria import seed_award_criteria
from portal.services import audit
from portal.services.competitions import builder
from portal.services.direct_awards import to_competition as carry_over
from portal.services.errors import ConflictError, NotFoundError, PermissionDeniedError
from tests.factories import make_accreditation
from tests.test_direct_award_world import build_world, ready_award

NOBODY_HOLDS = ["ISO 9001"]  # only Gamma holds it, and Gamma lacks capability 2: nobody is capable


def _world(*, award_criteria: bool = True):
    world = build_world()
    make_accreditation(world.suppliers["gamma"], "ISO 9001")
    if award_criteria:
        seed_award_criteria(world.lot)
    db.session.commit()
    return world


@pytest.fixture
def world():
    return _world()


def _events(event_type: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event_type == event_type)))


def _text(response) -> str:
    return response.get_data(as_text=True)


# --- Service ------------------------------------------------------------------------------------------------------


def test_the_requirement_is_carried_over_when_no_supplier_is_capable(world):
    award = ready_award(world, schemes=NOBODY_HOLDS, capability_ids=[c.id for c in world.capabilities[:2]])
    competition = carry_over.start_competition(world.buyer, award.id)
    db.session.expire_all()
    competition = db.session.get(Competition, competition.id)
    assert (competition.lot_id, competition.buyer_organisation_id) == (award.lot_id, award.buyer_organisation_id)
    assert competition.title == "Social media platform"
    assert competition.statement_of_requirements == "Publishing and monitoring for the press office."
    assert (competition.term_months, competition.planned_start_on) == (12, world.start_on)
    assert builder.is_draft(competition)
    assert {r.capability_id for r in competition.required_capabilities} == {c.id for c in world.capabilities[:2]}
    assert award.reference in competition.narrowing_reason and "no supplier is capable" in competition.narrowing_reason
    assert {n.title for n in builder.top_level(competition)} == {"Quality", "Price", "Social value"}
    [event] = _events(carry_over.EVENT)
    assert event.object_id == str(award.id)
    assert json.loads(event.after_json) == {
        "competition_id": competition.id,
        "competition_reference": competition.reference,
        "reason": carry_over.NO_CAPABLE_SUPPLIER,
    }
    [details] = _events("competition.details_updated")
    assert details.object_id == str(competition.id)
    assert json.loads(details.after_json)["direct_award_reference"] == award.reference
    assert _events("competition.created") and _events("competition.suppliers_narrowed")
    assert carry_over.carried_over_to(award) == competition.id


def test_nothing_is_saved_if_any_part_fails(world, monkeypatch):
    award = ready_award(world, schemes=NOBODY_HOLDS)
    real = audit.record

    def fail_on_the_award_event(actor, event_type, *args, **kwargs):
        if event_type == carry_over.EVENT:
            raise RuntimeError("disk full")
        return real(actor, event_type, *args, **kwargs)

    monkeypatch.setattr(audit, "record", fail_on_the_award_event)
    with pytest.raises(RuntimeError):
        carry_over.start_competition(world.buyer, award.id)
    db.session.rollback()
    assert db.session.scalars(select(Competition)).all() == []
    assert _events("competition.created") == []


def test_a_lot_that_does_not_allow_direct_award_is_carried_over_whoever_is_capable(world):
    award = ready_award(world)  # Alpha and Beta are capable
    with pytest.raises(ConflictError, match="only when no supplier is capable"):
        carry_over.start_competition(world.buyer, award.id)
    world.lot.direct_award_allowed = False
    db.session.commit()
    competition = carry_over.start_competition(world.buyer, award.id)
    assert json.loads(_events(carry_over.EVENT)[0].after_json)["reason"] == carry_over.DIRECT_AWARD_NOT_ALLOWED
    assert "does not allow direct award" in competition.narrowing_reason


def test_a_planned_start_date_that_has_passed_is_left_for_the_buyer(world):
    award = ready_award(world, schemes=NOBODY_HOLDS)
    award.planned_start_on = today_london() - timedelta(days=1)
    db.session.commit()
    competition = carry_over.start_competition(world.buyer, award.id)
    assert competition.planned_start_on is None and competition.title == award.title


def test_a_lot_without_award_criteria_is_refused_with_a_clear_message():
    world = _world(award_criteria=False)
    award = ready_award(world, schemes=NOBODY_HOLDS)
    with pytest.raises(ConflictError, match="no award criteria for call-off competitions"):
        carry_over.start_competition(world.buyer, award.id)
    assert db.session.scalars(select(Competition)).all() == []


def test_a_second_carry_over_is_refused(world):
    award = ready_award(world, schemes=NOBODY_HOLDS)
    first = carry_over.start_competition(world.buyer, award.id)
    with pytest.raises(ConflictError, match=f"already been carried over to {first.reference}"):
        carry_over.start_competition(world.buyer2, award.id)
    assert len(db.session.scalars(select(Competition)).all()) == 1


def test_only_the_awards_own_procurement_officers_may_carry_it_over(world):
    award = ready_award(world, schemes=NOBODY_HOLDS)
    with pytest.raises(NotFoundError):
        carry_over.start_competition(world.other_buyer, award.id)
    with pytest.raises(PermissionDeniedError):
        carry_over.start_competition(world.evaluator, award.id)
    assert db.session.scalars(select(Competition)).all() == []


# --- Pages --------------------------------------------------------------------------------------------------------


def test_results_offer_a_mini_competition_when_no_supplier_is_capable(client, auth, world):
    auth.login(world.buyer.email)
    award = ready_award(world, schemes=NOBODY_HOLDS)
    text = _text(client.get(f"/direct-awards/{award.id}/results"))
    assert "No supplier is capable of meeting this requirement" in text
    assert f'action="/direct-awards/{award.id}/mini-competition"' in text
    assert "Start a mini-competition with this requirement" in text
    capable = ready_award(world)
    assert "Start a mini-competition" not in _text(client.get(f"/direct-awards/{capable.id}/results"))


def test_starting_the_mini_competition_goes_to_its_task_list(client, auth, world):
    auth.login(world.buyer.email)
    award = ready_award(world, schemes=NOBODY_HOLDS)
    response = client.post(f"/direct-awards/{award.id}/mini-competition")
    competition = db.session.scalars(select(Competition)).one()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/competitions/{competition.id}")
    page = _text(client.get(response.headers["Location"]))
    assert "govuk-notification-banner--success" in page
    assert f"Mini-competition {competition.reference} started with the requirement of {award.reference}" in page
    assert competition.title == award.title and competition.created_by_id == world.buyer.id
    results = _text(client.get(f"/direct-awards/{award.id}/results"))
    assert "carried over to mini-competition" in results and competition.reference in results
    assert "Start a mini-competition with this requirement" not in results


def test_a_refusal_is_a_message_not_an_error_page(client, auth):
    world = _world(award_criteria=False)
    auth.login(world.buyer.email)
    award = ready_award(world, schemes=NOBODY_HOLDS)
    response = client.post(f"/direct-awards/{award.id}/mini-competition")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/direct-awards/{award.id}/results")
    page = _text(client.get(response.headers["Location"]))
    assert "no award criteria for call-off competitions" in page
    assert db.session.scalars(select(Competition)).all() == []


@pytest.mark.parametrize(("who", "status"), [("other_buyer", 404), ("evaluator", 403)])
def test_other_organisations_and_roles_cannot_start_it(client, auth, world, who, status):
    award = ready_award(world, schemes=NOBODY_HOLDS)
    auth.login(getattr(world, who).email)
    assert client.post(f"/direct-awards/{award.id}/mini-competition").status_code == status
    assert db.session.scalars(select(Competition)).all() == []


def test_a_supplier_cannot_start_it(client, auth, world):
    award = ready_award(world, schemes=NOBODY_HOLDS)
    auth.login(world.supplier_users["alpha"].email)
    assert client.post(f"/direct-awards/{award.id}/mini-competition").status_code == 403


def test_the_lot_page_offers_it_when_the_lot_no_longer_allows_direct_award(client, auth, world):
    auth.login(world.buyer.email)
    award = ready_award(world)
    world.lot.direct_award_allowed = False
    db.session.commit()
    text = _text(client.get(f"/direct-awards/{award.id}/lot"))
    assert "which does not allow direct award" in text
    assert f'action="/direct-awards/{award.id}/mini-competition"' in text
    response = client.post(f"/direct-awards/{award.id}/mini-competition")
    assert response.status_code == 302 and "/competitions/" in response.headers["Location"]
