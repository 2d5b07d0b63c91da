"""The panel pages: choosing each evaluator's criteria, the declarations on the evaluators page, and recording a
mitigation (errors shown in the GOV.UK way, nothing entered lost, the wrong people refused)."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import ConflictDeclaration, EvaluatorAssignment
from tests.factories_competition import assign_evaluator
from tests.test_evaluation_services import evaluation_world


def _url(world, tail=""):
    return f"/evaluation/{world.competition.id}{tail}"


def _alpha_conflict(world, person):
    return db.session.scalar(
        select(ConflictDeclaration).where(
            ConflictDeclaration.user_id == person.id,
            ConflictDeclaration.supplier_id == world.suppliers["Alpha"].id,
            ConflictDeclaration.role == "evaluator",
        )
    )


def test_the_buyer_changes_an_evaluators_criteria(client, auth):
    world = evaluation_world()
    eve = world.evaluators[0]
    auth.login(world.buyer.email)
    url = _url(world, f"/evaluators/{eve.id}/criteria")
    page = client.get(url).get_data(as_text=True)
    assert "Channel management" in page and page.count("checked") == 2
    response = client.post(url, data={})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Error:" in page and "Select the criteria this evaluator will score" in page
    response = client.post(url, data={"criterion_ids": [str(world.criteria[1].id)]}, follow_redirects=True)
    assert f"Criteria saved for {eve.name}" in response.get_data(as_text=True)
    assigned = db.session.scalars(select(EvaluatorAssignment.criterion_id).where(EvaluatorAssignment.user_id == eve.id))
    assert list(assigned) == [world.criteria[1].id]


def test_the_evaluators_page_lists_declarations_per_supplier_with_the_mitigation_action(client, auth):
    world = evaluation_world(evaluators=0)
    assign_evaluator(world.competition, world.colleague, conflict_with=[world.suppliers["Alpha"]])
    db.session.commit()
    auth.login(world.buyer.email)
    page = client.get(_url(world, "/evaluators")).get_data(as_text=True)
    assert "Conflict declared" in page and "Former employee of a bidder" in page and page.count("No conflict") == 2
    assert "Record mitigation" in page
    auth.logout()
    auth.login(world.colleague.email)  # a buyer too, but it is their own conflict: no action offered
    page = client.get(_url(world, "/evaluators")).get_data(as_text=True)
    assert "Conflict declared" in page and "Record mitigation" not in page


def test_recording_a_mitigation_through_the_page(client, auth):
    world = evaluation_world(declared=True)
    declaration = _alpha_conflict(world, world.evaluators[0])
    url = _url(world, f"/declarations/{declaration.id}/mitigation")
    auth.login(world.evaluators[1].email)
    assert client.get(url).status_code == 403  # evaluators do not mitigate
    auth.logout()
    auth.login(world.buyer.email)
    page = client.get(url).get_data(as_text=True)
    assert "Former employee of a bidder" in page and world.evaluators[0].name in page
    response = client.post(url, data={"mitigation": "  "})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in page
    assert "Enter how the conflict of interest is mitigated" in page
    response = client.post(url, data={"mitigation": "Left Alpha in 2015."})
    assert response.status_code == 302 and response.headers["Location"].endswith(_url(world, "/evaluators"))
    db.session.refresh(declaration)
    assert declaration.mitigation == "Left Alpha in 2015." and declaration.mitigated_by_id == world.buyer.id
    page = client.get(_url(world, "/evaluators")).get_data(as_text=True)
    assert "Left Alpha in 2015." in page and f"Recorded by {world.buyer.name}" in page


def test_mitigating_your_own_conflict_shows_an_error_not_a_500(client, auth):
    world = evaluation_world(evaluators=0)
    assign_evaluator(world.competition, world.colleague, conflict_with=[world.suppliers["Alpha"]])
    db.session.commit()
    declaration = _alpha_conflict(world, world.colleague)
    auth.login(world.colleague.email)
    response = client.post(_url(world, f"/declarations/{declaration.id}/mitigation"), data={"mitigation": "Fine."})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "You cannot record a mitigation for your own conflict" in page
    assert "Fine." in page  # what was typed stays
    assert _alpha_conflict(world, world.colleague).mitigation is None


def test_new_panel_posts_never_500(client, auth):
    world = evaluation_world(declared=True)
    declaration = _alpha_conflict(world, world.evaluators[0])
    auth.login(world.buyer.email)
    for tail in (
        f"/evaluators/{world.evaluators[0].id}/criteria",
        f"/evaluators/{world.evaluators[0].id + 999}/criteria",
        f"/declarations/{declaration.id}/mitigation",
        "/declarations/999999/mitigation",
    ):
        assert client.post(_url(world, tail), data={}).status_code < 500, tail
