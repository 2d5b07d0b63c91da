"""The seal on the supplier's bid routes: before the deadline nobody but the bidding supplier reaches its bid.

Every route of the `bids` blueprint is requested with the ids of supplier A's competition, bid, answers,
attachment and receipt, by every other persona: buyer-side users and staff are refused (403 on supplier-only
routes, 404 on the access-checked downloads); another supplier gets 404 (not invited) or only its own bid,
and never sees A's content.
"""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import BidAttachment, BidSubmission
from portal.services import files
from portal.services.bids import drafting
from portal.services.bids import submission as bid_submission
from tests.factories import make_supplier, make_user
from tests.factories_bidding import PDF, complete_draft, make_world
from tests.factories_competition import assign_evaluator

SECRET = "Our secret delivery approach"


@pytest.fixture(autouse=True)
def file_store(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "FILE_STORE_PATH", str(tmp_path))


@pytest.fixture
def sealed(app):
    world = make_world()
    complete_draft(world)
    drafting.save_answer(world.user, world.competition.id, world.quality[0].id, SECRET)
    files.add_attachment(world.user, world.competition.id, "secret-plan.pdf", PDF)
    bid_submission.submit(world.user, world.competition.id)
    org = world.competition.buyer_organisation
    evaluator = make_user("evaluator", organisation=org)
    assign_evaluator(world.competition, evaluator)
    people = {
        "buyer": make_user("buyer", organisation=org),
        "approver": make_user("approver", organisation=org),
        "evaluator": evaluator,
        "staff": make_user("staff"),
        "other_buyer": make_user("buyer"),
        "uninvited_supplier": make_user("supplier", supplier=make_supplier()),
        "invited_rival": world.rival_user,
    }
    db.session.commit()
    submission = db.session.scalar(select(BidSubmission))
    ids = {
        "competition_id": world.competition.id,
        "criterion_id": world.quality[0].id,
        "attachment_id": db.session.scalar(select(BidAttachment.id)),
        "submission_id": submission.id,
        "bid_id": submission.bid_id,
        "sha256": hashlib.sha256(PDF).hexdigest(),
    }
    return world, people, ids


def _bid_routes(app, ids):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("bids."):
            url = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: str(ids[m.group(1)]), rule.rule)
            yield rule, url, "GET" if "GET" in rule.methods else "POST"


@pytest.mark.parametrize(
    "persona", ["buyer", "approver", "evaluator", "staff", "other_buyer", "uninvited_supplier", "invited_rival"]
)
def test_nobody_else_reaches_a_bid_before_the_deadline(app, client, auth, sealed, persona):
    _world, people, ids = sealed
    auth.login(people[persona].email)
    problems = []
    for rule, url, method in _bid_routes(app, ids):
        response = client.open(url, method=method, data={})
        status, body = response.status_code, response.get_data(as_text=True)
        supplier_only = app.view_functions[rule.endpoint].access_rule != "signed-in"
        if SECRET in body or "secret-plan.pdf" in body or response.data == PDF:
            problems.append(f"{method} {url}: {persona} saw sealed content")
        elif not rule.arguments and persona in ("uninvited_supplier", "invited_rival"):
            continue  # its own list of invitations (checked above for A's content)
        elif persona == "invited_rival":
            # Routes by competition act on the rival's own bid; ids of A's objects must not resolve.
            if "competition_id" not in rule.arguments and status != 404:
                problems.append(f"{method} {url}: {persona} got {status}, expected 404")
        elif persona == "uninvited_supplier":
            if status != 404:
                problems.append(f"{method} {url}: {persona} got {status}, expected 404")
        elif status != (403 if supplier_only else 404):
            problems.append(f"{method} {url}: {persona} got {status}")
    assert problems == []


def test_the_bidding_supplier_reaches_all_of_its_own(app, client, auth, sealed):
    world, _people, ids = sealed
    auth.login(world.user.email)
    for _rule, url, method in _bid_routes(app, ids):
        if method == "GET":
            response = client.get(url)
            assert response.status_code == 200, url
    assert SECRET in client.get(f"/bids/competitions/{ids['competition_id']}/submit").get_data(as_text=True)
    assert client.get(f"/bids/attachments/{ids['attachment_id']}").data == PDF


def test_no_bid_page_of_a_rival_shows_the_other_suppliers_content(client, auth, sealed):
    _world, people, ids = sealed
    auth.login(people["invited_rival"].email)
    drafting.respond(people["invited_rival"], ids["competition_id"], "bidding")
    for path in ("", "/submit", "/prices", "/attachments", f"/questions/{ids['criterion_id']}"):
        body = client.get(f"/bids/competitions/{ids['competition_id']}{path}").get_data(as_text=True)
        assert SECRET not in body and "secret-plan.pdf" not in body
