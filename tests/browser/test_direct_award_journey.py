"""In the browser: a buyer and an approver complete a direct award from requirement to supplier acceptance, and every
direct award page (error states included) passes axe-core (WCAG 2.2 AA) with no console errors."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.domain.timefmt import today_london
from portal.seed import demo
from portal.seed.direct_awards import seed_direct_awards
from tests.browser.helpers import axe_violations, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(app):
    demo.seed()
    seed_direct_awards()


def _check(tab, problems: list[str]) -> None:
    found = axe_violations(tab) + tab.console_errors
    problems += [f"{tab.url}: {p}" for p in found]
    tab.console_errors.clear()


def _sign_out(tab) -> None:
    tab.click("button:has-text('Sign out')")
    tab.wait_for_load_state()


def test_direct_award_in_the_browser(page, live_server, seeded):
    base, problems = live_server, []
    start = today_london() + timedelta(days=40)
    sign_in(page, base, "buyer@surrey.police.example")
    page.goto(f"{base}/direct-awards/")
    _check(page, problems)
    page.click("text=Start a direct award")
    page.click("button:has-text('Save and continue')")  # nothing chosen: error state
    assert "Select a framework and lot" in page.inner_text("main")
    _check(page, problems)
    # The PCR 2015 framework's lot 1 (the Procurement Act framework's lot 1 allows direct award too).
    page.locator("input[name=lot_id] + label").filter(has_text="PDS-SMME-2024: Lot 1").click()
    page.click("button:has-text('Save and continue')")
    _check(page, problems)  # the task list
    page.click("a:has-text('Requirement')")
    page.fill("#title", "Browser direct award")
    page.fill("#statement", "Social media management for the press office.")
    page.fill("#term_months", "48")
    page.click("button:has-text('Save and continue')")  # no capability, term too long
    text = page.inner_text("main")
    assert "Select at least one essential capability" in text and "36 months or fewer" in text
    _check(page, problems)
    page.check("label:has-text('All corporate channels managed in one place')")
    page.check("label:has-text('Mobile use on force devices')")
    page.check("label:has-text('Cyber Essentials Plus')")
    page.fill("#term_months", "24")
    page.fill("#planned_start_on-day", str(start.day))
    page.fill("#planned_start_on-month", str(start.month))
    page.fill("#planned_start_on-year", str(start.year))
    page.click("button:has-text('Save and continue')")
    assert "Requirement saved" in page.inner_text("main")
    page.click("a:has-text('Quantities')")
    inputs = page.locator("input[name^=quantity_]")
    inputs.nth(0).fill("1.5")
    page.click("button:has-text('Save and continue')")
    assert "must be a whole number, 0 or more" in page.inner_text("main")
    _check(page, problems)
    for n, value in enumerate(["100", "3", "1", "0"][: inputs.count()]):
        inputs.nth(n).fill(value)
    page.click("button:has-text('Save and continue')")
    page.click("a:has-text('Results')")
    assert "is selected from" in page.inner_text("main")
    _check(page, problems)
    page.click("button:has-text('Freeze the shortlist')")
    assert "Frozen shortlist version 1" in page.inner_text("h1")
    _check(page, problems)
    page.click("a:has-text('Recommend the award')")
    _check(page, problems)
    labels = page.locator("input[name=supplier_id] + label")
    # Only the supplier the mechanism selected is offered: any other would be refused as not a direct award
    # (tests/test_direct_award_views.py posts one and sees why).
    assert labels.count() == 1
    labels.nth(0).click()
    page.fill("#justification", "Lowest whole-life cost among capable suppliers; the framework terms are complete.")
    page.click("button:has-text('Recommend the award')")
    assert "Award recommended" in page.inner_text("main")
    award_url = page.url
    _sign_out(page)

    sign_in(page, base, "approver@surrey.police.example")
    page.goto(award_url)
    page.click("a:has-text('Approval')")
    _check(page, problems)
    page.click("button:has-text('Approve the award')")
    assert "Direct award approved" in page.inner_text("main")
    _check(page, problems)
    _sign_out(page)

    selected = page  # the selected supplier signs in: whoever the mechanism chose among the demo suppliers
    for email in ("bids@tidewater.example", "bids@orlo.example", "bids@softcat.example", "bids@beaconengage.example"):
        sign_in(selected, base, email)
        selected.goto(f"{base}/direct-awards/supplier")
        _check(page, problems)
        link = selected.locator("a:has-text('DA-')").filter(has_not_text="DA-DEMO")
        if link.count():
            link.first.click()
            _check(page, problems)
            selected.click("button:has-text('Accept the award')")
            assert "Award accepted" in selected.inner_text("main")
            _check(page, problems)
            break
        _sign_out(selected)
    else:
        pytest.fail("No demo supplier was shown the new award")
    assert problems == [], "\n".join(problems)


def test_demo_and_staff_pages_are_accessible(page, live_server, seeded):
    base, problems = live_server, []
    sign_in(page, base, "buyer@surrey.police.example")
    page.goto(f"{base}/direct-awards/")
    for reference in ("DA-DEMO-0001", "DA-DEMO-0002"):
        page.goto(f"{base}/direct-awards/")
        page.click(f"a:has-text('{reference}')")
        _check(page, problems)
    page.click("a:has-text('Results')")
    _check(page, problems)
    page.go_back()
    page.click("text=Cancel this direct award")
    page.click("button:has-text('Cancel the direct award')")  # no reason: error state
    _check(page, problems)
    page.goto(f"{base}/direct-awards/")
    page.click("a:has-text('DA-DEMO-0001')")
    page.click("a:has-text('Freeze the shortlist')")
    _check(page, problems)
    _sign_out(page)
    sign_in(page, base, "bids@orlo.example")
    page.goto(f"{base}/direct-awards/supplier")
    page.click("a:has-text('DA-DEMO-0001')")
    _check(page, problems)
    _sign_out(page)
    sign_in(page, base, "staff@pds.example")
    page.goto(f"{base}/admin/frameworks/")
    page.click("a:has-text('PDS-SMME-2024')")
    page.click("a:has-text('Lot 1')")
    _check(page, problems)
    page.click("a:has-text('Change') >> nth=3")
    _check(page, problems)
    page.goto(f"{base}/admin/suppliers/")
    page.click("a:has-text('Orlo')")
    page.click("a:has-text('Change ranking') >> nth=0")
    page.fill("#framework_ranking", "first")
    page.click("button:has-text('Save ranking')")
    _check(page, problems)
    assert problems == [], "\n".join(problems)
