"""The home page is each role's work queue: on the demo data every demo persona sees its queue (or the empty
state), each item a link, above the links it had before."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.main.views import QUEUE_SHOWN
from portal.models import User
from portal.models.base import utcnow
from portal.seed import demo
from portal.seed.accounts import DEMO_ACCOUNTS, STAFF_EMAIL
from portal.services.work import queue_for
from tests.factories import make_organisation, make_user
from tests.factories_bidding import make_world
from tests.factories_competition import make_bid, make_competition


@pytest.fixture
def seeded():
    demo.seed()
    db.session.expire_all()


def _first_of_each_role() -> dict[str, str]:
    found: dict[str, str] = {}
    for account in DEMO_ACCOUNTS:
        found.setdefault(account.role, account.email)
    return found


def test_every_role_home_page_shows_its_queue_with_links(seeded, client, auth):
    shown_items = 0
    for role, email in _first_of_each_role().items():
        user = db.session.scalar(select(User).where(User.email == email))
        queue = queue_for(user)
        auth.login(email, demo.DEMO_PASSWORD)
        response = client.get("/dashboard")
        html = response.get_data(as_text=True)
        assert response.status_code == 200, role
        assert "What needs you" in html, role
        if queue:
            links = re.findall(r'<a class="govuk-link govuk-task-list__link" href="([^"]+)"', html)
            assert len(links) == len(queue) and all(link.startswith("/") for link in links), role
            assert html.count("govuk-task-list__item--with-link") == len(queue), role
            assert queue[0].title in html, role
            shown_items += len(queue)
        else:
            assert "Nothing needs you right now." in html, role
        auth.logout()
    assert shown_items > 0, "the demo data gives some role something to do"


def test_staff_home_page_keeps_the_framework_links_below_the_queue(seeded, client, auth):
    auth.login(STAFF_EMAIL, demo.DEMO_PASSWORD)
    html = client.get("/dashboard").get_data(as_text=True)
    assert html.index("What needs you") < html.index("Manage the frameworks")
    # The demo has a suspension, a current exclusion and an expired accreditation for staff to act on.
    assert "reinstate or remove" in html
    assert "Excluded: check its lots and competitions" in html


def test_a_long_queue_lists_the_most_urgent_with_a_link_to_show_all(client, auth):
    organisation = make_organisation()
    buyer = make_user("buyer", organisation=organisation)
    for _ in range(QUEUE_SHOWN + 2):
        make_competition(organisation=organisation, published=False)
    db.session.commit()
    auth.login(buyer.email)
    html = client.get("/dashboard").get_data(as_text=True)
    assert html.count("govuk-task-list__item--with-link") == QUEUE_SHOWN
    assert f"Show all {QUEUE_SHOWN + 2} things to do" in html
    html = client.get("/dashboard?all=1").get_data(as_text=True)
    assert html.count("govuk-task-list__item--with-link") == QUEUE_SHOWN + 2
    assert "Show all" not in html


def test_nothing_to_do_reads_as_such(client, auth):
    user = make_user("supplier")
    db.session.commit()
    auth.login(user.email)
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Nothing needs you right now." in html
    assert "govuk-task-list" not in html


def test_the_buyers_home_page_is_the_same_whether_or_not_a_supplier_bids_before_opening(client, auth):
    world = make_world(deadline_at=utcnow() + timedelta(days=5))
    buyer = db.session.get(User, world.competition.created_by_id)
    auth.login(buyer.email)
    before = client.get("/dashboard").get_data(as_text=True)
    assert world.competition.reference in before
    make_bid(world.competition, world.supplier, submitted=True)
    make_bid(world.competition, world.rival, submitted=False)
    db.session.commit()
    after = client.get("/dashboard").get_data(as_text=True)
    assert _without_tokens(after) == _without_tokens(before)


def _without_tokens(html: str) -> str:
    return re.sub(r'(nonce|value)="[^"]*"', "", html)
