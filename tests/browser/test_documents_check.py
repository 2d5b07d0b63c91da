"""The public "check a document" page in the browser: each of its states passes axe-core, and a
supplier downloads its bid receipt and has it recognised."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import BidSubmission, User
from portal.seed import demo
from portal.services.documents import receipts, register
from tests.browser.helpers import axe_violations


@pytest.fixture
def issued_receipt(app):
    demo.seed()
    orlo = db.session.scalar(select(User).where(User.email == "bids@orlo.example"))
    submission = db.session.scalars(select(BidSubmission).where(BidSubmission.submitted_by_id == orlo.id)).first()
    with app.test_request_context():
        return receipts.issue_receipt(orlo, submission.id)


def _check(page, base: str, sha256: str) -> None:
    page.goto(f"{base}/documents/check")
    page.fill("input[name=sha256]", sha256)
    page.click("button:has-text('Check the document')")
    page.wait_for_load_state()


def test_check_page_states_are_accessible(page, live_server, issued_receipt):
    page.goto(f"{live_server}/documents/check")
    assert page.title().startswith("Check a document")
    assert axe_violations(page) == []

    page.click("button:has-text('Check the document')")
    page.locator(".govuk-error-summary").wait_for(state="visible", timeout=10_000)
    assert page.title().startswith("Error:")
    assert axe_violations(page) == []

    _check(page, live_server, "0" * 64)
    assert page.locator("h1").inner_text() == "We did not issue this document"
    assert axe_violations(page) == []

    _check(page, live_server, issued_receipt.file_sha256)
    assert "We issued this document" in page.locator("h1").inner_text()
    assert "Bid receipt" in page.content()
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_uploading_the_downloaded_receipt_is_recognised(page, live_server, issued_receipt, tmp_path):
    pdf = tmp_path / "receipt.pdf"
    pdf.write_bytes(register.pdf_bytes(issued_receipt))
    page.goto(f"{live_server}/documents/check")
    page.set_input_files("input[name=file]", str(pdf))
    page.click("button:has-text('Check the document')")
    page.wait_for_load_state()
    assert "We issued this document" in page.locator("h1").inner_text()
    assert issued_receipt.reference in page.content()
