"""WCAG 2.2 1.4.10 reflow: every page each demo persona reaches fits a 320 px wide viewport without the page
scrolling sideways. Wide tables scroll inside their own labelled region (.app-scroll-region), never the page."""

from __future__ import annotations

import pytest

from portal.seed import demo
from tests.browser.helpers import crawl, sideways_scroll, sign_in
from tests.browser.test_accessibility import PERSONAS


@pytest.fixture
def seeded(app):
    demo.seed()


@pytest.fixture
def narrow(page):
    page.set_viewport_size({"width": 320, "height": 800})
    return page


def _report(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"{path}:\n  " + "\n  ".join(found) for path, found in problems.items() if found)


def test_public_pages_reflow_at_320_px(narrow, live_server, seeded):
    problems = crawl(narrow, live_server, "/", limit=20, check=sideways_scroll)
    assert len(problems) >= 4, problems.keys()
    if _report(problems):
        pytest.fail(_report(problems), pytrace=False)


@pytest.mark.parametrize("email", PERSONAS)
def test_every_page_a_persona_reaches_reflows_at_320_px(narrow, live_server, seeded, email):
    sign_in(narrow, live_server, email)
    problems = crawl(narrow, live_server, "/dashboard", check=sideways_scroll)
    assert len(problems) >= 3, f"{email} reached only {list(problems)}"
    if _report(problems):
        pytest.fail(_report(problems), pytrace=False)  # the whole list: an assertion diff would truncate it
