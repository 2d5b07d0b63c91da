"""The document register: archival PDFs with their data embedded, versions, access and authenticity."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pytest

from portal.domain.canonical import canonical_json
from portal.extensions import db
from portal.models import AuditEvent, Document
from portal.models.base import utcnow
from portal.services.bids import submission as bid_submission
from portal.services.documents import receipts, register, render
from portal.services.errors import NotFoundError, ValidationError
from tests.documents_support import assert_archival, embedded_data, pdf_text
from tests.factories import make_organisation, make_supplier, make_user
from tests.factories_competition import make_bid, make_competition


@pytest.fixture
def world():
    organisation = make_organisation("Surrey Police")
    supplier = make_supplier()
    competition = make_competition(organisation=organisation, suppliers=[supplier])
    bid = make_bid(competition, supplier)
    users = {
        "supplier": make_user("supplier", supplier=supplier),
        "other_supplier": make_user("supplier", supplier=make_supplier()),
        "buyer": make_user("buyer", organisation=organisation),
        "approver": make_user("approver", organisation=organisation),
        "staff": make_user("staff"),
    }
    db.session.commit()
    return competition, bid, users


def test_receipt_is_archival_and_carries_the_data_it_shows(world):
    competition, bid, users = world
    submission = bid.submissions[0]
    document = receipts.issue_receipt(users["supplier"], submission.id)
    pdf = register.pdf_bytes(document)
    assert hashlib.sha256(pdf).hexdigest() == document.file_sha256
    assert_archival(pdf, f"Bid receipt: {competition.reference} version 1")
    assert document.filename == f"{competition.reference}-bid-receipt-version-1-v1.pdf"
    assert "Bid receipt: version 1" in pdf_text(pdf)
    expected = receipts.receipt_data(bid_submission.receipt(users["supplier"], submission.id))
    assert embedded_data(pdf) == json.loads(canonical_json(expected))
    text = pdf_text(pdf)
    assert bid.supplier.legal_name in text
    assert submission.content_sha256 in text.replace(" ", "")  # a long hash wraps across lines
    # 10 licences x £10.00 x 12 months + 3 onboarding days x £500.00
    assert "£2,700.00" in text
    assert f"Page 1 of {document.page_count}" in text
    assert document.generator.startswith("Framework Portal ")
    assert "WeasyPrint" in document.generator


def test_issuing_is_audited(world):
    _, bid, users = world
    document = receipts.issue_receipt(users["supplier"], bid.submissions[0].id)
    event = db.session.query(AuditEvent).filter_by(event_type="document.issued", object_id=str(document.id)).one()
    assert event.actor_id == users["supplier"].id
    assert document.file_sha256 in event.after_json


def test_unchanged_data_is_not_a_new_version_but_a_change_is(world):
    _, bid, users = world
    submission = bid.submissions[0]
    first = receipts.issue_receipt(users["supplier"], submission.id)
    assert receipts.issue_receipt(users["supplier"], submission.id).id == first.id
    submission.withdrawn_at = utcnow()
    db.session.commit()
    second = receipts.issue_receipt(users["supplier"], submission.id)
    assert (first.version, second.version) == (1, 2)
    assert second.file_sha256 != first.file_sha256
    assert "withdrawn" in pdf_text(register.pdf_bytes(second))
    assert db.session.get(Document, first.id) is not None  # the old version stays on record
    assert [d.version for d in register.versions(second)] == [2, 1]


def test_the_same_data_and_time_render_the_same_bytes(app):
    meta = render.DocumentMeta(title="T", subject="S", reference="R-1", generated_at=datetime(2026, 12, 4, tzinfo=UTC))
    data = {
        "competition": {"reference": "R-1", "title": "T", "buyer": "B", "submission_deadline_at": None},
        "supplier": {"legal_name": "Orlo"},
        "version": 1,
        "status": "counts",
        "submitted_at": "2026-12-01T10:00:00+00:00",
        "withdrawn_at": None,
        "submitted_by": "A",
        "content_sha256": "0" * 64,
        "answers": [],
        "attachments": [],
        "prices": [],
        "total_price_pence": 0,
    }
    first = render.render("bid_receipt.html", data, meta)
    second = render.render("bid_receipt.html", data, meta)
    assert first.pdf == second.pdf
    assert first.data_sha256 == hashlib.sha256(canonical_json(data).encode()).hexdigest()


@pytest.mark.parametrize(
    ("persona", "readable"),
    [("supplier", True), ("other_supplier", False), ("buyer", False), ("approver", False), ("staff", False)],
)
def test_a_receipt_is_readable_by_the_bidding_supplier_only(world, persona, readable):
    _, bid, users = world
    document = receipts.issue_receipt(users["supplier"], bid.submissions[0].id)
    if readable:
        assert register.get_readable(users[persona], document.id) == document
    else:
        with pytest.raises(NotFoundError):
            register.get_readable(users[persona], document.id)


@pytest.mark.parametrize("persona", ["other_supplier", "buyer", "staff"])
def test_nobody_else_can_have_a_receipt_issued(world, persona):
    _, bid, users = world
    with pytest.raises(NotFoundError):
        receipts.issue_receipt(users[persona], bid.submissions[0].id)


def test_check_knows_issued_superseded_and_unknown_files(world):
    _, bid, users = world
    submission = bid.submissions[0]
    first = receipts.issue_receipt(users["supplier"], submission.id)
    pdf = register.pdf_bytes(first)
    result = register.check_file(pdf)
    assert result.issued and not result.superseded and result.kind_label == "Bid receipt"
    assert not register.check_file(pdf + b"\n%tampered").issued
    assert not register.check_sha256("f" * 64).issued
    submission.withdrawn_at = utcnow()
    db.session.commit()
    receipts.issue_receipt(users["supplier"], submission.id)
    result = register.check_file(pdf)
    assert result.issued and result.superseded and result.latest_version == 2


@pytest.mark.parametrize("value", ["", "abc", "g" * 64, "a" * 63])
def test_check_refuses_what_is_not_a_sha256(app, value):
    with pytest.raises(ValidationError):
        register.check_sha256(value)


# --- Views -----------------------------------------------------------------------------------------------------------


def test_supplier_downloads_its_receipt_as_a_pdf(world, client, auth):
    _, bid, users = world
    auth.login(users["supplier"].email)
    response = client.get(f"/documents/receipts/{bid.submissions[0].id}")
    assert response.status_code == 302
    download = client.get(response.headers["Location"])
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert download.headers["Cache-Control"] == "private, no-store"
    assert "attachment" in download.headers["Content-Disposition"]
    assert download.data.startswith(b"%PDF-")
    assert db.session.query(Document).one().file_sha256 == hashlib.sha256(download.data).hexdigest()


@pytest.mark.parametrize("persona", ["other_supplier", "buyer", "staff"])
def test_others_cannot_download_a_receipt(world, client, auth, persona):
    _, bid, users = world
    document = receipts.issue_receipt(users["supplier"], bid.submissions[0].id)
    auth.login(users[persona].email)
    assert client.get(f"/documents/{document.id}/download").status_code == 404


def test_check_page_answers_for_an_issued_file(world, client):
    _, bid, users = world
    document = receipts.issue_receipt(users["supplier"], bid.submissions[0].id)
    pdf = register.pdf_bytes(document)
    from io import BytesIO

    response = client.post("/documents/check", data={"file": (BytesIO(pdf), "receipt.pdf")})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "We issued this document" in page
    assert "Bid receipt" in page and "1 of 1" in page
    assert bid.supplier.legal_name not in page  # nothing beyond what the document is


def test_check_page_answers_for_a_modified_file_and_a_pasted_hash(world, client):
    _, bid, users = world
    document = receipts.issue_receipt(users["supplier"], bid.submissions[0].id)
    from io import BytesIO

    modified = client.post("/documents/check", data={"file": (BytesIO(register.pdf_bytes(document) + b" "), "r.pdf")})
    assert "We did not issue this document" in modified.get_data(as_text=True)
    pasted = client.post("/documents/check", data={"sha256": document.file_sha256.upper()})
    assert "We issued this document" in pasted.get_data(as_text=True)


def test_check_page_errors_keep_what_was_entered(app, client):
    empty = client.post("/documents/check", data={})
    assert "Select a PDF to check, or paste its SHA-256" in empty.get_data(as_text=True)
    bad = client.post("/documents/check", data={"sha256": "not-a-hash"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 200
    assert "govuk-error-summary" in page and "Enter a SHA-256 as 64 characters" in page
    assert 'value="not-a-hash"' in page
    assert page.count("<title>Error: ") == 1
