"""The contract register and a contract's page pass axe-core (WCAG 2.2 AA) and reflow at 320 CSS pixels, for a
buyer (who may name the contract manager), the winning supplier and framework staff, on the demo data."""

from __future__ import annotations

import os

import pytest

from portal.seed import demo
from tests.browser.helpers import check_page, sideways_scroll, sign_in

PERSONAS = ["buyer@surrey.police.example", "staff@pds.example"]
SHOTS = os.environ.get("REGISTER_SCREENSHOTS")  # a folder to write full-page PNGs to, when looking at the pages

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(app):
    demo.seed()


@pytest.mark.parametrize("email", PERSONAS)
def test_register_pages_are_accessible_and_reflow(page, live_server, seeded, email):
    sign_in(page, live_server, email)
    page.click(".govuk-service-navigation a:has-text('Contracts')")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Contract register"
    assert page.locator("tbody .govuk-table__row").count() >= 1, f"{email} sees no demo contract"
    name = email.split("@")[0]
    check_page(page, f"register-{name}", SHOTS)
    page.locator("tbody .govuk-table__row a").first.click()
    page.wait_for_load_state()
    assert page.locator("h2:has-text('History')").is_visible()
    check_page(page, f"register-contract-{name}", SHOTS)
    contract_url = page.url
    page.set_viewport_size({"width": 320, "height": 800})
    for url, shot in ((f"{live_server}/contracts/register", "register"), (contract_url, "register-contract")):
        page.goto(url)
        page.wait_for_load_state()
        wide = sideways_scroll(page)
        assert wide == [], f"{url}: {wide}"
        check_page(page, f"{shot}-{name}-320", SHOTS)
