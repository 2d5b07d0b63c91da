"""Tender documents' pages in a browser: no axe-core violations or console errors, and no sideways scrolling at 320
CSS pixels (WCAG 1.4.10 reflow), for the buyer's pages (with an error state) and the supplier's competition page."""

from __future__ import annotations

import os

from portal.extensions import db
from portal.services.competitions import tender_documents as documents
from tests.browser.helpers import check_page, sign_in
from tests.conftest import TEST_PASSWORD
from tests.factories_bidding import make_world
from tests.test_tender_documents import PDF, PDF_2, _buyer

SCREENSHOTS = os.environ.get("TENDER_DOCUMENT_SCREENSHOTS")  # a folder, to look at the pages while changing them


def _check(page, name: str, within: str = "main") -> None:
    """axe-core and console errors for the page; at 320 px nothing `within` reaches past the viewport's edge."""
    check_page(page, name, SCREENSHOTS)
    page.set_viewport_size({"width": 320, "height": 800})
    wide = page.evaluate(
        f"[...document.querySelectorAll('{within} *')].filter(e => e.getBoundingClientRect().right > 321)"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 60))"
    )
    page.set_viewport_size({"width": 1280, "height": 800})
    assert wide == [], f"{name} does not reflow at 320 px: {wide}"


def test_tender_document_pages_are_accessible_and_reflow(live_server, page):
    world = make_world()
    buyer = _buyer(world)
    long_title = "Statement of requirements for the force-wide social media management platform and its support"
    added = documents.add_document(
        buyer,
        world.competition.id,
        title=long_title,
        document_type="specification",
        upload=documents.Upload("statement-of-requirements-for-the-social-media-platform-final.pdf", PDF),
        change_note="First issue",
    )
    documents.replace_document(
        buyer, added.document.id, upload=documents.Upload("spec-v2.pdf", PDF_2), change_note="Section 4 rewritten"
    )
    db.session.commit()
    base = f"{live_server}/competitions/{world.competition.id}"
    sign_in(page, live_server, buyer.email, TEST_PASSWORD)
    page.goto(base)
    _check(page, "task_list")
    page.goto(f"{base}/tender-documents")
    _check(page, "tender_documents")
    page.goto(f"{base}/review")
    _check(page, "review_published", ".app-tender-documents")  # its criteria table is wider than 320 px
    page.goto(f"{base}/tender-documents/add")
    page.click("button:has-text('Add document')")
    page.locator(".govuk-error-summary").wait_for(state="visible")
    _check(page, "tender_document_add_errors")
    page.goto(f"{base}/tender-documents/{added.document.id}/replace")
    _check(page, "tender_document_replace")
    page.goto(f"{base}/tender-documents/{added.document.id}/remove")
    _check(page, "tender_document_remove_published")
    page.goto(f"{base}/tender-documents/extend-deadline")
    page.click("button:has-text('Continue')")
    page.locator(".govuk-error-summary").wait_for(state="visible")
    _check(page, "tender_documents_extend_errors")
    page.context.clear_cookies()
    sign_in(page, live_server, world.user.email, TEST_PASSWORD)
    page.goto(f"{live_server}/bids/competitions/{world.competition.id}")
    page.click("summary:has-text('Earlier versions of')")
    # The page's own price schedule table (not this feature's) is wider than 320 px: only the documents are judged.
    _check(page, "supplier_competition", ".app-tender-documents")
