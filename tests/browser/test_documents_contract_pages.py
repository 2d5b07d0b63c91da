"""The contract pages in a browser: no axe-core violations, and the signing journey by keyboard-free clicks."""

from __future__ import annotations

import os

from portal.services.documents import contract
from tests.browser.helpers import check_page, sign_in
from tests.conftest import TEST_PASSWORD
from tests.contract_support import awarded_competition

SCREENSHOTS = os.environ.get("CONTRACT_SCREENSHOTS")  # a folder, to look at the pages while changing them


def _check(page, name: str) -> None:
    check_page(page, name, SCREENSHOTS)


def test_contract_kpi_and_signing_pages_are_accessible(live_server, page):
    world = awarded_competition()
    base = f"{live_server}/contracts/competitions/{world.id}"
    sign_in(page, live_server, world.buyer.email, TEST_PASSWORD)
    page.goto(base)
    page.click("button:has-text('Generate the contract')")
    _check(page, "contract_buyer")
    page.goto(f"{base}/kpis")
    page.click("button:has-text('Add KPI')")
    _check(page, "kpis_errors")
    page.fill("#title", "Platform availability")
    page.fill("#measure", "Minutes available in the month")
    page.fill("#target", "99.9 %")
    page.click("button:has-text('Add KPI')")
    _check(page, "kpis")
    # The data protection schedule: refused empty, then the Article 28(3) particulars.
    page.goto(f"{base}/data-protection")
    page.click("button:has-text('Save the data protection schedule')")
    page.locator(".govuk-error-summary").wait_for(state="visible")
    _check(page, "data_protection_errors")
    page.locator("input[name=processes_personal_data][value=yes]").check()
    page.fill("#subject_matter", "Hosting and moderating the force's social media accounts")
    page.fill("#duration", "The term of the contract and 3 months of exit assistance")
    page.fill("#nature_and_purpose", "Storing and publishing messages to engage with the public")
    page.fill("#personal_data_types", "Names, social media handles, message content")
    page.fill("#data_subject_categories", "Members of the public who contact the force")
    page.locator("input[name=law_enforcement_processing][value=no]").check()
    page.click("button:has-text('Save the data protection schedule')")
    _check(page, "data_protection_saved")
    page.goto(base)
    page.click("button:has-text('Generate the contract again')")
    document = contract.status(world.buyer, "competition", world.id).latest
    page.context.clear_cookies()
    sign_in(page, live_server, world.supplier_user.email, TEST_PASSWORD)
    page.goto(f"{live_server}/contracts/{document.id}/sign")
    page.click("button:has-text('Sign the contract')")
    _check(page, "sign_errors")
    page.fill("#signer_role", "Managing Director")
    page.check("#confirm")
    page.click("button:has-text('Sign the contract')")
    _check(page, "contract_supplier_signed")
    assert "Signed by Sam Supplier (Managing Director)" in page.locator("main").inner_text()


def test_call_off_terms_page_with_an_error_is_accessible(live_server, page):
    from portal.extensions import db
    from portal.seed.call_off_terms import terms_for
    from tests.factories import make_framework, make_user

    staff = make_user("staff")
    framework = make_framework(call_off_terms=terms_for("pcr2015"))
    db.session.commit()
    sign_in(page, live_server, staff.email, TEST_PASSWORD)
    page.goto(f"{live_server}/admin/frameworks/{framework.id}/call-off-terms")
    _check(page, "terms")
    page.fill("#call_off_terms", "1. Term\n1.1 From {start_date} to {finish_date}.")
    page.click("button:has-text('Save call-off terms')")
    _check(page, "terms_error")
    assert "{finish_date} is not a known placeholder" in page.locator(".govuk-error-summary").inner_text()
