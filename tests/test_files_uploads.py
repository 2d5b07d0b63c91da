"""Attachments: judged by content, stored once by SHA-256 outside the web root, downloaded only through the seal."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, BidAttachment, StoredFile
from portal.models.base import utcnow
from portal.services import files
from portal.services.bids import drafting
from portal.services.bids import submission as bid_submission
from portal.services.errors import NotFoundError, ValidationError
from tests.factories import make_user
from tests.factories_bidding import DOCX, EXE, PDF, PNG, complete_draft, make_world
from tests.factories_competition import assign_evaluator


@pytest.fixture(autouse=True)
def file_store(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "FILE_STORE_PATH", str(tmp_path / "files"))
    return tmp_path / "files"


def _upload(client, world, name, data, criterion=""):
    return client.post(
        f"/bids/competitions/{world.competition.id}/attachments",
        data={"file": (io.BytesIO(data), name), "criterion": str(criterion)},
        content_type="multipart/form-data",
    )


def test_files_are_stored_once_under_their_hash_outside_the_web_root(file_store, app):
    world = make_world()
    drafting.respond(world.user, world.competition.id, "bidding")
    drafting.respond(world.rival_user, world.competition.id, "bidding")
    first = files.add_attachment(world.user, world.competition.id, "plan.pdf", PDF)
    second = files.add_attachment(world.rival_user, world.competition.id, "their-plan.pdf", PDF)
    digest = hashlib.sha256(PDF).hexdigest()
    assert first.file_sha256 == second.file_sha256 == digest
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 1
    # Stored once per competition, encrypted under its data key; never in the plain store.
    assert not (file_store / digest[:2] / digest[2:4] / digest).exists()
    path = file_store / "sealed" / str(world.competition.id) / digest[:2] / digest[2:4] / digest
    assert path.is_file() and PDF not in path.read_bytes() and PDF[:64] not in path.read_bytes()
    assert [p for p in file_store.rglob("*") if p.is_file()] == [path]
    assert not str(path).startswith(app.static_folder)
    stored = db.session.get(StoredFile, digest)
    assert (stored.media_type, stored.size_bytes) == ("application/pdf", len(PDF))
    assert "PDF" not in str(
        db.session.scalar(select(AuditEvent.after_json).where(AuditEvent.event_type == "bid.attachment_added"))
    )


def test_a_file_can_support_a_criterion():
    world = make_world()
    drafting.respond(world.user, world.competition.id, "bidding")
    attachment = files.add_attachment(world.user, world.competition.id, "c.docx", DOCX, world.quality[0].id)
    assert attachment.criterion_id == world.quality[0].id
    with pytest.raises(ValidationError, match="Select which part"):
        files.add_attachment(world.user, world.competition.id, "c.docx", DOCX, 999999)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("image.pdf", PNG, "The selected file is a PNG image but its name does not end in .png"),
        ("setup.pdf", EXE, "The selected file must be a PDF, DOCX, XLSX, PNG or JPEG"),
        ("empty.pdf", b"", "The selected file is empty"),
    ],
)
def test_wrong_files_get_a_govuk_error(client, auth, name, data, message):
    world = make_world()
    drafting.respond(world.user, world.competition.id, "bidding")
    drafting.save_answer(world.user, world.competition.id, world.quality[0].id, "Kept answer")
    auth.login(world.user.email)
    response = _upload(client, world, name, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Error:" in page and message in page
    assert 'href="#file"' in page  # the error summary links to the field
    assert db.session.scalar(select(func.count()).select_from(BidAttachment)) == 0
    assert [a.text for a in drafting.draft_answers(drafting.own_bid(world.user, world.competition)).values()] == [
        "Kept answer"
    ]


def test_an_oversized_file_gets_a_govuk_error_not_a_413(client, auth, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_ATTACHMENT_BYTES", 100 * 1024)
    world = make_world()
    drafting.respond(world.user, world.competition.id, "bidding")
    auth.login(world.user.email)
    just_over = _upload(client, world, "big.pdf", PDF + b"0" * (100 * 1024))
    assert just_over.status_code == 200 and "The selected file must be smaller than 100 KB" in just_over.get_data(True)
    far_over = _upload(client, world, "huge.pdf", PDF + b"0" * (1024 * 1024))
    assert far_over.status_code == 200 and "The selected file must be smaller than 100 KB" in far_over.get_data(True)
    assert db.session.scalar(select(func.count()).select_from(BidAttachment)) == 0


def test_upload_list_download_and_remove(client, auth):
    world = make_world()
    drafting.respond(world.user, world.competition.id, "bidding")
    auth.login(world.user.email)
    response = _upload(client, world, "Delivery plan.pdf", PDF)
    assert response.status_code == 302
    attachment = db.session.scalar(select(BidAttachment))
    page = client.get(f"/bids/competitions/{world.competition.id}/attachments").get_data(as_text=True)
    assert "Delivery plan.pdf" in page
    download = client.get(f"/bids/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    response = client.post(f"/bids/attachments/{attachment.id}/remove")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(BidAttachment)) == 0
    assert "Delivery plan.pdf removed from your draft" in client.get(response.headers["Location"]).get_data(True)


def test_submitted_attachments_are_on_the_receipt_with_their_hash(client, auth):
    world = make_world()
    complete_draft(world)
    files.add_attachment(world.user, world.competition.id, "plan.pdf", PDF)
    submission = bid_submission.submit(world.user, world.competition.id)
    auth.login(world.user.email)
    page = client.get(f"/bids/submissions/{submission.id}/receipt").get_data(as_text=True)
    digest = hashlib.sha256(PDF).hexdigest()
    assert "plan.pdf" in page and digest in page
    assert client.get(f"/bids/{submission.bid_id}/files/{digest}").data == PDF


def _opened(world):
    c = world.competition
    c.clarification_deadline_at = utcnow() - timedelta(days=2)
    c.submission_deadline_at = utcnow() - timedelta(days=1)
    c.opened_at = utcnow()
    c.opened_by_id = c.created_by_id
    db.session.commit()


def test_downloads_follow_the_seal():
    world = make_world()
    complete_draft(world)
    kept = files.add_attachment(world.user, world.competition.id, "plan.pdf", PDF)
    dropped = files.add_attachment(world.user, world.competition.id, "draft-only.docx", DOCX)
    files.remove_attachment(world.user, dropped.id)
    never_submitted = files.add_attachment(world.user, world.competition.id, "late.docx", DOCX)
    bid_submission.submit(world.user, world.competition.id)
    files.remove_attachment(world.user, never_submitted.id)
    extra = files.add_attachment(world.user, world.competition.id, "after-submit.png", PNG)
    buyer = make_user("buyer", organisation=world.competition.buyer_organisation)
    evaluator = make_user("evaluator", organisation=world.competition.buyer_organisation)
    assign_evaluator(world.competition, evaluator)
    staff = make_user("staff")
    db.session.commit()
    for user in (buyer, evaluator, staff, world.rival_user):
        with pytest.raises(NotFoundError):
            files.attachment_for_download(user, kept.id)
    assert files.attachment_for_download(world.user, kept.id)[1] == "plan.pdf"
    _opened(world)
    assert files.attachment_for_download(buyer, kept.id)[1] == "plan.pdf"
    assert files.attachment_for_download(evaluator, kept.id)[1] == "plan.pdf"
    with pytest.raises(NotFoundError):
        files.attachment_for_download(buyer, extra.id)  # added to the draft after the version that counts
    for user in (staff, world.rival_user):
        with pytest.raises(NotFoundError):
            files.attachment_for_download(user, kept.id)
    digest = hashlib.sha256(DOCX).hexdigest()
    assert files.submitted_file_for_download(buyer, kept.bid_id, digest)[1] == "late.docx"
    with pytest.raises(NotFoundError):
        files.submitted_file_for_download(staff, kept.bid_id, digest)
