"""Every role's home page (its work queue) passes axe-core (WCAG 2.2 AA) and reflows at 320 CSS pixels: no
horizontal scrolling, every item's link and tag within the page width."""

from __future__ import annotations

import pytest

from portal.seed import demo
from tests.browser.helpers import check_page, sign_in

# One persona a role, each with something in its queue on the demo data (evaluator2 has scores to enter).
PERSONAS = [
    "staff@pds.example",
    "buyer@surrey.police.example",
    "approver@surrey.police.example",
    "evaluator2@surrey.police.example",
    "bids@beaconengage.example",
]

REFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('.govuk-task-list__item, .govuk-task-list__link, .govuk-tag')]
    .filter(e => e.getBoundingClientRect().right > width + 1).map(e => e.className);
  return {scroll: document.documentElement.scrollWidth, width, wide};
}"""

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(app):
    demo.seed()


@pytest.mark.parametrize("email", PERSONAS)
def test_home_page_queue_is_accessible_and_reflows(page, live_server, seeded, email):
    sign_in(page, live_server, email)
    assert page.locator("#work-queue-heading").is_visible()
    assert page.locator(".govuk-task-list__link").count() >= 1, f"{email} has nothing in its demo queue"
    check_page(page, f"queue-{email}")
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    page.wait_for_load_state()
    layout = page.evaluate(REFLOW)
    assert layout["scroll"] <= layout["width"], layout
    assert layout["wide"] == [], layout
    check_page(page, f"queue-{email}-320")
