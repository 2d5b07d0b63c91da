"""Declaration pages per role: reached from the action's page, GOV.UK error summary, role checks, and the seal (before
opening they list invited suppliers only and say nothing about bids)."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import ConflictDeclaration
from tests.factories import make_user
from tests.test_evaluation_services import evaluation_world


def _url(world, tail=""):
    return f"/evaluation/{world.competition.id}{tail}"


def test_the_open_page_links_to_the_openers_declaration_which_lists_invited_suppliers_only(client, auth):
    world = evaluation_world(opened=False, officers_declared=False)
    auth.login(world.buyer.email)
    page = client.get(_url(world, "/open")).get_data(as_text=True)
    assert "must declare any conflict of interest" in page and _url(world, "/declare/opener") in page
    page = client.get(_url(world, "/declare/opener")).get_data(as_text=True)
    assert "supplier invited to bid" in page and "Procurement Act 2023" in page
    assert "bids were submitted" not in page and "submitted bids" not in page and "Our answer" not in page
    alpha, bravo = world.suppliers["Alpha"], world.suppliers["Bravo"]
    response = client.post(_url(world, "/declare/opener"), data={f"conflict_{alpha.id}": "yes"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in page
    assert f"Enter details of the conflict of interest with {alpha.legal_name}" in page
    assert f"Select yes if you have a conflict of interest with {bravo.legal_name}" in page
    answers = {f"conflict_{s.id}": "no" for s in world.suppliers.values()}
    response = client.post(_url(world, "/declare/opener"), data=answers)
    assert response.status_code == 302 and response.headers["Location"].endswith(_url(world, "/open"))
    assert db.session.scalar(
        select(ConflictDeclaration.id).where(
            ConflictDeclaration.user_id == world.buyer.id, ConflictDeclaration.role == "opener"
        )
    )
    # The competition page shows the record, and still no count of sealed bids.
    page = client.get(_url(world)).get_data(as_text=True)
    assert "Conflicts of interest" in page and "Opening the bids" in page and "submitted bids" not in page


def test_role_checks_on_the_declaration_pages(client, auth):
    world = evaluation_world()
    auth.login(world.buyer.email)
    assert client.get(_url(world, "/declare/approver")).status_code == 403  # a buyer is not an approver
    assert client.get(_url(world, "/declare/evaluator")).status_code == 404  # evaluators use their own page
    auth.logout()
    auth.login(world.evaluators[0].email)
    assert client.get(_url(world, "/declare/moderator")).status_code == 403
    auth.logout()
    outsider = make_user("buyer", name="Other Force Buyer")
    db.session.commit()
    auth.login(outsider.email)
    assert client.get(_url(world, "/declare/opener")).status_code == 404


def test_a_recommenders_conflict_is_mitigated_by_another_officer_from_the_competition_page(client, auth):
    from portal.services.evaluation import declarations

    world = evaluation_world()
    db.session.execute(db.delete(ConflictDeclaration).where(ConflictDeclaration.role == "recommender"))
    db.session.commit()
    answers = {s.id: ("yes", "Shares") if n == "Alpha" else ("no", "") for n, s in world.suppliers.items()}
    declarations.declare(world.buyer, world.competition.id, "recommender", answers)
    row = db.session.scalar(
        select(ConflictDeclaration).where(
            ConflictDeclaration.role == "recommender", ConflictDeclaration.has_conflict.is_(True)
        )
    )
    auth.login(world.buyer.email)
    page = client.get(_url(world)).get_data(as_text=True)
    assert "Not mitigated" in page  # nobody mitigates their own conflict
    response = client.post(_url(world, f"/declarations/{row.id}/mitigation"), data={"mitigation": "Fine."})
    assert "You cannot record a mitigation for your own conflict" in response.get_data(as_text=True)
    auth.logout()
    auth.login(world.colleague.email)
    assert "Record mitigation" in client.get(_url(world)).get_data(as_text=True)
    response = client.post(_url(world, f"/declarations/{row.id}/mitigation"), data={"mitigation": ""})
    assert "There is a problem" in response.get_data(as_text=True)
    response = client.post(_url(world, f"/declarations/{row.id}/mitigation"), data={"mitigation": "Sold the shares."})
    assert response.status_code == 302
    db.session.refresh(row)
    assert row.mitigated_by_id == world.colleague.id
