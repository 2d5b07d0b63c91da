"""Bid content is encrypted at rest (issue 13): a database dump, a backup or the file store reveals no answer, price
or attachment, the application still shows them after opening, every read after opening is audited, and the master
key can be rotated."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from portal.domain import envelope
from portal.extensions import db
from portal.models import AuditEvent, Bid, BidAnswer, CompetitionDataKey, User
from portal.models.base import utcnow
from portal.services import audit, files
from portal.services.bids import crypto, drafting, seal
from portal.services.bids import submission as bid_submission
from portal.services.documents import receipts, register
from tests.conftest import TEST_SEAL_MASTER_KEY
from tests.documents_support import pdf_text
from tests.factories import make_user
from tests.factories_bidding import PDF, make_world

CANARY_ANSWER = "Canary-answer-7f3a9c: our river barges carry the pilot fleet"
CANARY_PRICE_TYPED, CANARY_PENCE = "9876.53", 987653
CANARY_FILE = PDF.replace(b"%%EOF", b"% canary-attachment-bytes-51d2e8\n%%EOF")
CANARY_FILE_MARK = b"canary-attachment-bytes-51d2e8"


# --- The envelope ----------------------------------------------------------------------------------------------------


def test_an_envelope_opens_only_with_its_key_and_its_own_associated_data():
    key = envelope.new_key()
    aad = envelope.associated_data("bid_answer", 1, 2, "text")
    sealed = envelope.seal(key, 7, b"secret", aad)
    assert envelope.key_id_of(sealed) == 7 and sealed[0] == envelope.VERSION and b"secret" not in sealed
    assert envelope.open_sealed(key, sealed, aad) == b"secret"
    assert envelope.from_text(envelope.to_text(sealed)) == sealed
    for wrong_key, wrong_aad in (
        (envelope.new_key(), aad),
        (key, envelope.associated_data("bid_answer", 2, 2, "text")),  # another bid's row
        (key, envelope.associated_data("bid_answer", 1, 3, "text")),  # another criterion
    ):
        with pytest.raises(envelope.EnvelopeError):
            envelope.open_sealed(wrong_key, sealed, wrong_aad)
    relabelled = sealed[:1] + (8).to_bytes(4, "big") + sealed[5:]  # the key id is authenticated too
    with pytest.raises(envelope.EnvelopeError):
        envelope.open_sealed(key, relabelled, aad)
    with pytest.raises(envelope.EnvelopeError):
        envelope.key_id_of(bytes([2]) + sealed[1:])  # an unknown format version


def test_a_master_key_is_32_bytes_in_hex_or_base64():
    raw = bytes(range(32))
    assert envelope.parse_master_key(raw.hex()) == raw
    assert envelope.parse_master_key("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=") == raw
    for bad in ("", "short", "ab" * 31, "zz" * 32):
        with pytest.raises(envelope.EnvelopeError):
            envelope.parse_master_key(bad)


def test_production_refuses_to_start_without_a_master_key(monkeypatch):
    from portal.config import ConfigurationError, load_config

    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 64)
    monkeypatch.setenv("AUDIT_KEY", "a" * 64)
    monkeypatch.setenv("BASE_URL", "https://portal.example.org")
    monkeypatch.delenv("SEAL_MASTER_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="SEAL_MASTER_KEY must be set"):
        load_config()
    monkeypatch.setenv("SEAL_MASTER_KEY", "not a key")
    with pytest.raises(ConfigurationError, match="32 random bytes"):
        load_config()
    monkeypatch.setenv("SEAL_MASTER_KEY", "5" * 64)
    assert load_config()["SEAL_MASTER_KEY"] == "5" * 64


# --- The canary ------------------------------------------------------------------------------------------------------


def _submitted_canary_bid():
    """A bid drafted and submitted through the services with a canary answer, price and file, then opened."""
    world = make_world()
    c = world.competition
    drafting.respond(world.user, c.id, "bidding")
    for criterion in world.quality:
        drafting.save_answer(world.user, c.id, criterion.id, CANARY_ANSWER)
    for criterion in world.pass_fail:
        drafting.save_answer(world.user, c.id, criterion.id, "Certificate CE-123", True)
    lines = world.lines
    drafting.save_prices(world.user, c.id, {lines[0].id: CANARY_PRICE_TYPED, lines[1].id: "500"})
    attachment = files.add_attachment(world.user, c.id, "method.pdf", CANARY_FILE)
    bid_submission.submit(world.user, c.id)
    buyer = db.session.get_one(User, c.created_by_id)
    witness = make_user("buyer", organisation=buyer.buyer_organisation)
    c.clarification_deadline_at = utcnow() - timedelta(hours=2)
    c.submission_deadline_at = utcnow() - timedelta(hours=1)
    c.opened_at, c.opened_by_id, c.opening_witness_id = utcnow(), buyer.id, witness.id
    db.session.commit()
    bid = db.session.scalar(select(Bid).where(Bid.competition_id == c.id, Bid.supplier_id == world.supplier.id))
    return world, buyer, bid, attachment


def _database_bytes(app) -> bytes:
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    db.session.commit()
    if url.get_backend_name() == "sqlite":
        db.engine.dispose()  # nothing held in a connection's cache: the file is all there is
        path = Path(url.database)
        return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-journal")) if p.exists())
    pg_dump = shutil.which("pg_dump") or "/usr/lib/postgresql/15/bin/pg_dump"
    if not os.path.exists(pg_dump):
        pytest.skip("pg_dump is not installed")
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return subprocess.run([pg_dump, "--no-owner", plain], check=True, capture_output=True).stdout


def _store_bytes(root: Path) -> list[bytes]:
    return [p.read_bytes() for p in root.rglob("*") if p.is_file()]


def test_a_dump_and_the_file_store_hold_no_answer_price_or_attachment_yet_the_app_shows_them(
    app, client, auth, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "FILE_STORE_PATH", str(tmp_path / "files"))  # this test's files alone
    world, buyer, bid, attachment = _submitted_canary_bid()
    receipt = receipts.issue_receipt(world.user, bid.submissions[0].id)  # it lists the canary price
    dump = _database_bytes(app)
    assert dump  # a real dump or file was searched
    assert b"canary_answer" not in dump.lower().replace(b"-", b"_")
    assert CANARY_ANSWER.encode() not in dump and b"river barges" not in dump
    assert str(CANARY_PENCE).encode() not in dump and CANARY_PRICE_TYPED.encode() not in dump
    assert CANARY_FILE_MARK not in dump
    stored = _store_bytes(files.store_root())
    assert stored  # the attachment is in the store, encrypted
    for blob in stored:
        assert CANARY_FILE_MARK not in blob and CANARY_ANSWER.encode() not in blob and b"%PDF" not in blob
    # The receipt lists the canary price, yet neither it nor its PDF is in the store in the clear.
    receipt_pdf = register.pdf_bytes(receipt)
    assert receipt_pdf.startswith(b"%PDF") and "9,876.53" in pdf_text(receipt_pdf)
    assert receipt_pdf not in stored and not files.path_for(receipt.file_sha256).exists()
    assert files.sealed_path_for(bid.competition_id, receipt.file_sha256).read_bytes() in stored

    # The buying side reads them all once the bids are opened.
    content = seal.submitted_content(buyer, bid)
    assert CANARY_ANSWER in [a["text"] for a in content["answers"]]
    assert CANARY_PENCE in [p["unit_price_pence"] for p in content["prices"]]
    auth.login(buyer.email)
    response = client.get(f"/bids/{bid.id}/files/{attachment.file_sha256}")
    assert response.status_code == 200 and response.data == CANARY_FILE
    # And the supplier its own draft and receipt, which the authenticity check still recognises.
    assert drafting.unit_prices(bid)[world.lines[0].id] == CANARY_PENCE
    assert CANARY_ANSWER in {a.text for a in drafting.draft_answers(bid).values()}
    auth.logout()
    auth.login(world.user.email)
    download = client.get(f"/documents/{receipt.id}/download")
    assert download.status_code == 200 and download.data == receipt_pdf
    checked = client.post("/documents/check", data={"file": (BytesIO(download.data), "receipt.pdf")})
    assert "We issued this document" in checked.get_data(as_text=True) and register.check_file(receipt_pdf).issued


def test_a_ciphertext_moved_to_another_row_does_not_open():
    _world, _buyer, bid, _attachment = _submitted_canary_bid()
    first, second = sorted(
        db.session.scalars(select(BidAnswer).where(BidAnswer.bid_id == bid.id)), key=lambda a: a.criterion_id
    )[:2]
    second.text_sealed = first.text_sealed  # a DBA swapping answers between questions
    with pytest.raises(crypto.ContentUnreadable):
        crypto.answer_text(bid, second)
    db.session.rollback()


def test_the_data_key_is_stored_only_wrapped_by_the_master_key():
    _world, _buyer, bid, _attachment = _submitted_canary_bid()
    row = db.session.scalar(select(CompetitionDataKey).where(CompetitionDataKey.competition_id == bid.competition_id))
    master = envelope.parse_master_key(TEST_SEAL_MASTER_KEY)
    assert row.master_key_id == envelope.master_key_id(master)
    key = envelope.unwrap(master, row.wrapped_key, row.competition_id, row.id)
    assert key not in row.wrapped_key and len(key) == 32
    with pytest.raises(envelope.EnvelopeError):
        envelope.unwrap(envelope.new_key(), row.wrapped_key, row.competition_id, row.id)


# --- Reads after opening are audited ---------------------------------------------------------------------------------


def _reads(bid_id: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.event_type == "bid.content_read", AuditEvent.object_id == str(bid_id))
            .order_by(AuditEvent.id)
        )
    )


def test_every_read_after_opening_is_audited_once_per_reader_bid_and_request_and_the_suppliers_own_is_not(client, auth):
    world, buyer, bid, attachment = _submitted_canary_bid()
    assert _reads(bid.id) == []  # drafting, submitting and the supplier's own reads wrote none
    auth.login(world.user.email)
    assert client.get(f"/bids/attachments/{attachment.id}").status_code == 200
    assert _reads(bid.id) == []
    auth.logout()

    auth.login(buyer.email)
    assert client.get(f"/bids/attachments/{attachment.id}").data == CANARY_FILE
    [download] = _reads(bid.id)
    assert download.actor_id == buyer.id and f"attachment {attachment.id}" in download.after_json
    assert CANARY_FILE_MARK.decode() not in download.after_json

    # Outside a request (a document job): recorded in the caller's transaction, parts named, content never.
    seal.submitted_content(buyer, bid)
    seal.submitted_content(buyer, bid)
    db.session.commit()
    events = _reads(bid.id)[1:]
    assert [e.actor_id for e in events] == [buyer.id, buyer.id]
    assert '"answers"' in events[0].after_json and '"prices"' in events[0].after_json
    assert "version 1" in events[0].after_json and CANARY_ANSWER not in events[0].after_json
    assert audit.verify().intact


def test_a_page_reading_many_bids_writes_one_event_per_bid(app):
    from flask import Response

    from portal.services.bids import reads

    _world, buyer, bid, _attachment = _submitted_canary_bid()
    with app.test_request_context("/evaluation/results"):
        reads._start()
        for _ in range(3):  # one page reading each bid three times, and its attachment list
            seal.submitted_content(buyer, bid)
            seal.submitted_attachments(buyer, bid)
        assert _reads(bid.id) == []  # written once the page is built
        reads._write(Response("page"))
    [event] = _reads(bid.id)
    assert event.actor_id == buyer.id and "version 1" in event.after_json


# --- Rotating the master key -----------------------------------------------------------------------------------------


def test_rotating_the_master_key_rewraps_every_data_key_and_is_safe_to_rerun(app, runner, monkeypatch):
    _world, buyer, bid, _attachment = _submitted_canary_bid()
    new_key = "9c" * 32
    monkeypatch.setenv("SEAL_NEW_MASTER_KEY", new_key)
    result = runner.invoke(args=["seal", "rotate-master-key"])
    assert result.exit_code == 0, result.output
    assert "Re-wrapped 1 data keys" in result.output
    row = db.session.scalar(select(CompetitionDataKey).where(CompetitionDataKey.competition_id == bid.competition_id))
    db.session.refresh(row)
    assert row.master_key_id == envelope.master_key_id(bytes.fromhex(new_key)) and row.rewrapped_at is not None
    rotation = db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "seal.master_key_rotated"))
    assert rotation is not None and '"rewrapped":1' in rotation.after_json.replace(" ", "")
    # The old key no longer opens it; the new one does, and the bid reads as before.
    with pytest.raises(crypto.ContentUnreadable):
        seal.submitted_content(buyer, bid)
    db.session.rollback()
    monkeypatch.setitem(app.config, "SEAL_MASTER_KEY", new_key)
    assert CANARY_ANSWER in [a["text"] for a in seal.submitted_content(buyer, bid)["answers"]]
    db.session.commit()
    # Rerun with the old key configured again (a second operator): nothing to do, nothing broken.
    monkeypatch.setitem(app.config, "SEAL_MASTER_KEY", TEST_SEAL_MASTER_KEY)
    again = runner.invoke(args=["seal", "rotate-master-key"])
    assert again.exit_code == 0 and "Re-wrapped 0 data keys" in again.output and "1 already" in again.output
    # A key wrapped by neither stops it with nothing changed.
    monkeypatch.setenv("SEAL_NEW_MASTER_KEY", "ab" * 32)
    refused = runner.invoke(args=["seal", "rotate-master-key"])
    assert refused.exit_code != 0 and "Nothing changed" in refused.output
    monkeypatch.delenv("SEAL_NEW_MASTER_KEY")
    assert runner.invoke(args=["seal", "rotate-master-key"]).exit_code != 0
