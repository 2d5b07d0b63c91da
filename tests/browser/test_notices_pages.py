"""The transparency notice pages in a browser: the list, a prepared notice, its publication form with errors and
once recorded, and the public feed; no axe-core violations and no console errors on any of them."""

from __future__ import annotations

import os
from datetime import timedelta

from sqlalchemy import select

from portal.domain.timefmt import LONDON
from portal.extensions import db
from portal.models.base import utcnow
from portal.models.notice import TransparencyNotice
from tests.browser.helpers import check_page, sign_in
from tests.conftest import TEST_PASSWORD
from tests.contract_support import approved_direct_award

SCREENSHOTS = os.environ.get("NOTICE_SCREENSHOTS")  # a folder, to look at the pages while changing them


def _check(page, name: str) -> None:
    check_page(page, name, SCREENSHOTS)


def test_notice_pages_are_accessible_from_preparing_to_recording(live_server, page):
    world = approved_direct_award(standstill_over=False)  # its UK6 not yet prepared
    base = f"{live_server}/direct-awards/{world.id}/notices"
    sign_in(page, live_server, world.buyer.email, TEST_PASSWORD)
    page.goto(f"{live_server}/direct-awards/{world.id}")
    page.click("a:has-text('Prepare and record the transparency notices')")
    assert page.url == base
    _check(page, "notices")
    page.click("button:has-text('Prepare the Contract award notice (UK6)')")
    page.wait_for_url(f"{base}/UK6")
    _check(page, "uk6_prepared")
    page.click("button:has-text('Record publication')")
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert "Enter the date the notice was published" in page.locator(".govuk-error-summary").inner_text()
    _check(page, "uk6_errors")
    # Published on Find a Tender a little after it was prepared (the time is entered to the minute).
    notice = db.session.execute(select(TransparencyNotice)).scalar_one()
    notice.prepared_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    published = (utcnow() - timedelta(minutes=5)).astimezone(LONDON)
    page.fill("#platform_notice_id", "2026/S 000-012345")
    page.fill("#published_on-day", str(published.day))
    page.fill("#published_on-month", str(published.month))
    page.fill("#published_on-year", str(published.year))
    page.fill("#published_time", published.strftime("%H:%M"))
    page.click("button:has-text('Record publication')")
    page.locator(".govuk-notification-banner").wait_for(state="visible")
    main = page.locator("main").inner_text()
    assert "2026/S 000-012345" in main and "Buyer and procuring entity" in main
    _check(page, "uk6_published")
    page.goto(f"{live_server}/frameworks/{world.call_off.lot.framework_id}/ocds/releases.json")
    assert '"noticeType": "UK6"' in page.content() or '"noticeType":"UK6"' in page.content()


def test_a_large_contracts_uk7_page_and_contract_page_show_the_duties_and_the_redaction_step(
    live_server, page, tmp_path
):
    from portal.domain import notices as build
    from portal.services.notices import lifecycle
    from tests.factories_bidding import PDF
    from tests.test_notices_large_contracts import signed_large_competition

    world, _signed = signed_large_competition()
    lifecycle.prepare(world.buyer, world.kind, world.id, build.UK7)
    sign_in(page, live_server, world.buyer.email, TEST_PASSWORD)
    page.goto(f"{live_server}/contracts/competitions/{world.id}")
    assert "A contract worth more than £5,000,000.00 including VAT" in page.locator("main").inner_text()
    _check(page, "large_contract_page")
    base = f"{live_server}/competitions/{world.id}/notices/UK7"
    page.goto(base)
    assert "Publish the contract" in page.locator("main").inner_text()
    _check(page, "large_uk7_prepared")
    not_pdf = tmp_path / "contract.pdf"
    not_pdf.write_bytes(b"just text")
    page.set_input_files("#redacted_file", str(not_pdf))
    page.fill("#redaction_note", "Day rates in Schedule 2")
    page.click("button:has-text('Publish the redacted copy')")
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert "The selected file must be a PDF" in page.locator(".govuk-error-summary").inner_text()
    assert page.input_value("#redaction_note") == "Day rates in Schedule 2"
    _check(page, "large_uk7_upload_error")
    redacted = tmp_path / "redacted.pdf"
    redacted.write_bytes(PDF)
    page.set_input_files("#redacted_file", str(redacted))
    page.click("button:has-text('Publish the redacted copy')")
    page.wait_for_url(base)
    page.locator(".govuk-notification-banner").wait_for(state="visible")
    assert "a redacted copy of the signed contract" in page.locator("main").inner_text()
    _check(page, "large_uk7_copy_chosen")
