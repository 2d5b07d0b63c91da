"""The home page is each role's work queue: on the demo data every demo persona sees its queue (or the empty
state), each item a link, above the links it had before."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import User
from portal.seed import demo
from portal.seed.accounts import DEMO_ACCOUNTS
from portal.services.work import queue_for


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
    auth.login(demo.STAFF_EMAIL if hasattr(demo, "STAFF_EMAIL") else DEMO_ACCOUNTS[0].email, demo.DEMO_PASSWORD)
    html = client.get("/dashboard").get_data(as_text=True)
    assert html.index("What needs you") < html.index("Manage the frameworks")
    # The demo has a suspension, a current exclusion and an expired accreditation for staff to act on.
    assert "reinstate or remove" in html
    assert "Excluded: check its lots and competitions" in html
