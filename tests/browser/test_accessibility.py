"""Each demo persona signs in, follows every link it can reach, and every page passes axe-core
(WCAG 2.2 AA) with no console errors."""

from __future__ import annotations

import pytest

from portal.seed import demo
from tests.browser.helpers import axe_violations, crawl, sign_in

PERSONAS = [
    "staff@pds.example",
    "buyer@surrey.police.example",
    "approver@surrey.police.example",
    "evaluator1@surrey.police.example",
    "buyer@northumbria.police.example",
    "bids@orlo.example",
    "bids@softcat.example",
]


@pytest.fixture
def seeded(app):
    demo.seed()


def _report(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"{path}:\n  " + "\n  ".join(found) for path, found in problems.items() if found)


def test_public_pages_are_accessible(page, live_server, seeded):
    problems = crawl(page, live_server, "/", limit=20)
    assert len(problems) >= 4, problems.keys()
    assert _report(problems) == ""


def test_sign_in_error_state_is_accessible(page, live_server, seeded):
    page.goto(f"{live_server}/sign-in")
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state()
    page.locator(".govuk-error-summary").wait_for(state="visible", timeout=10_000)
    assert page.title().startswith("Error:")
    assert axe_violations(page) == []


@pytest.mark.parametrize("email", PERSONAS)
def test_every_page_a_persona_reaches_is_accessible(page, live_server, seeded, email):
    sign_in(page, live_server, email)
    problems = crawl(page, live_server, "/dashboard")
    assert len(problems) >= 3, f"{email} reached only {list(problems)}"
    assert _report(problems) == ""
