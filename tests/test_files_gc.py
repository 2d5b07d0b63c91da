"""`flask files gc`: files left in the store by requests killed mid-upload (no row refers to them) are removed once
older than the grace period; files rows refer to, recent files and anything not shaped like the store stay. The same
holds for the sealed store, where a file is referenced only by something of its own competition."""

from __future__ import annotations

import hashlib
import os
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, BidAttachment
from portal.services import files
from portal.services.bids import crypto
from portal.services.bids import submission as bid_submission
from portal.services.documents import receipts
from portal.services.files import gc as file_gc
from tests.factories_bidding import complete_draft, make_world

PDF = b"%PDF-1.7\n" + b"x" * 100


@pytest.fixture(autouse=True)
def file_store(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "FILE_STORE_PATH", str(tmp_path / "files"))
    return tmp_path / "files"


def _age(path, hours: float = 2) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def _killed_upload(data: bytes):
    """A request that wrote its file and died before committing the row."""
    files.store(data, "application/pdf")
    db.session.rollback()
    return files.path_for(hashlib.sha256(data).hexdigest())


def test_gc_removes_orphans_and_half_written_files_and_keeps_the_rest(runner, file_store):
    kept = files.store(PDF, "application/pdf")
    db.session.commit()
    _age(files.path_for(kept.sha256))
    orphan = _killed_upload(PDF + b"orphan")
    recent_orphan = _killed_upload(PDF + b"just now")  # maybe an upload still in flight: within the grace period
    temporary = orphan.parent / ".upload-abc123"
    temporary.write_bytes(b"half a fi")
    stranger = file_store / "README"
    stranger.write_text("not the store's")
    for path in (orphan, temporary, stranger):
        _age(path)

    result = runner.invoke(args=["files", "gc"])

    assert result.exit_code == 0, result.output
    assert "Removed 2 orphaned files" in result.output and "kept 1 that rows refer to" in result.output
    assert not orphan.exists() and not temporary.exists()
    assert files.path_for(kept.sha256).exists() and recent_orphan.exists() and stranger.exists()
    assert not list(file_store.rglob(".gc-*"))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "files.collected"))
    assert event.actor_label == "system" and orphan.name in event.after_json


def test_a_dry_run_lists_and_removes_nothing(runner):
    orphan = _killed_upload(PDF + b"orphan")
    _age(orphan)
    result = runner.invoke(args=["files", "gc", "--dry-run"])
    assert result.exit_code == 0 and f"would remove {orphan}" in result.output
    assert orphan.exists()
    assert db.session.scalar(select(AuditEvent.id)) is None


def test_the_grace_period_is_an_option(runner):
    orphan = _killed_upload(PDF + b"orphan")
    _age(orphan, hours=0.5)
    assert "Removed 0" in runner.invoke(args=["files", "gc"]).output and orphan.exists()
    assert "Removed 1" in runner.invoke(args=["files", "gc", "--grace-minutes", "10"]).output
    assert not orphan.exists()


def test_storing_content_already_there_refreshes_it_so_gc_cannot_take_it(file_store):
    orphan = _killed_upload(PDF + b"again")
    _age(orphan)
    files.store(PDF + b"again", "application/pdf")  # a new upload of the same bytes, not yet committed
    assert orphan.stat().st_mtime > time.time() - 60
    assert file_gc.collect(timedelta(hours=1)).removed == []


def test_a_file_refreshed_while_set_aside_is_put_back(file_store, monkeypatch):
    orphan = _killed_upload(PDF + b"raced")
    _age(orphan)
    rename = os.replace

    def upload_refreshes_it_first(src, dst):
        os.utime(src)  # an upload stored the same bytes just before the collector renamed the file aside
        rename(src, dst)

    monkeypatch.setattr(file_gc.os, "replace", upload_refreshes_it_first)
    assert file_gc._remove_unless_touched(orphan, time.time() - 3600) == 0
    assert orphan.exists() and not orphan.with_name(file_gc.ASIDE + orphan.name).exists()


def test_files_a_killed_collector_left_aside_are_settled(runner):
    kept = files.store(PDF, "application/pdf")
    db.session.commit()
    path = files.path_for(kept.sha256)
    aside = path.with_name(file_gc.ASIDE + path.name)
    os.replace(path, aside)
    orphan_aside = _killed_upload(PDF + b"orphan")
    os.replace(orphan_aside, orphan_aside.with_name(file_gc.ASIDE + orphan_aside.name))
    for leftover in (aside, orphan_aside.with_name(file_gc.ASIDE + orphan_aside.name)):
        _age(leftover)
    assert runner.invoke(args=["files", "gc"]).exit_code == 0
    assert path.exists() and not aside.exists()  # a row refers to it: put back
    assert not list(path.parent.parent.parent.rglob(".gc-*"))


# --- The sealed store (bid attachments and receipts, encrypted per competition) --------------------------------------


def _sealed(competition_id: int, data: bytes):
    return files.sealed_path_for(competition_id, hashlib.sha256(data).hexdigest())


def _bid_with_files():
    """A submitted bid whose draft then dropped one of its files (the submitted version still lists it), with a
    receipt issued; returns the world and the sealed paths that something of the competition refers to."""
    world = make_world()
    c = world.competition
    complete_draft(world)
    dropped = files.add_attachment(world.user, c.id, "dropped.pdf", PDF + b"dropped")
    files.add_attachment(world.user, c.id, "kept.pdf", PDF + b"kept")
    submission = bid_submission.submit(world.user, c.id)
    files.remove_attachment(world.user, dropped.id)
    receipt = receipts.issue_receipt(world.user, submission.id)
    referenced = [
        _sealed(c.id, PDF + b"dropped"),
        _sealed(c.id, PDF + b"kept"),
        files.sealed_path_for(c.id, receipt.file_sha256),
    ]
    return world, referenced


def test_gc_collects_sealed_orphans_and_keeps_what_the_competition_refers_to(runner, file_store):
    world, referenced = _bid_with_files()
    cid = world.competition.id
    files.store(PDF + b"killed", "application/pdf", sealed_for_competition=cid)  # an upload killed before its row
    db.session.rollback()
    orphan = _sealed(cid, PDF + b"killed")
    recent = _sealed(cid, PDF + b"in flight")
    elsewhere = _sealed(cid + 1000, PDF + b"kept")  # same bytes, another competition: nothing of it refers to them
    for path in (recent, elsewhere):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"sealed bytes")
    temporary = orphan.parent / ".upload-def456"
    temporary.write_bytes(b"half a fi")
    stranger = file_store / "sealed" / "backup" / orphan.parent.parent.name / orphan.parent.name / orphan.name
    stranger.parent.mkdir(parents=True)
    stranger.write_bytes(b"not the store's")
    for path in [*referenced, orphan, elsewhere, temporary, stranger]:
        _age(path)

    result = runner.invoke(args=["files", "gc"])

    assert result.exit_code == 0, result.output
    assert "Removed 3 orphaned files" in result.output, result.output
    assert all(path.exists() for path in referenced)  # the draft's file, the submitted version's, the receipt
    assert not orphan.exists() and not elsewhere.exists() and not temporary.exists()
    assert recent.exists() and stranger.exists()
    assert not list(file_store.rglob(".gc-*"))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "files.collected"))
    assert orphan.name in event.after_json


def test_a_competition_whose_versions_do_not_open_keeps_its_sealed_files(file_store, monkeypatch):
    world, referenced = _bid_with_files()
    files.remove_attachment(world.user, db.session.scalars(select(BidAttachment)).one().id)  # the draft has none
    for path in referenced:
        _age(path)

    def unreadable(*_args):
        raise crypto.ContentUnreadable("wrong master key")

    monkeypatch.setattr(file_gc.crypto, "submission_json", unreadable)
    assert file_gc.collect(timedelta(hours=1)).removed == []
    assert all(path.exists() for path in referenced)


def test_a_sealed_file_a_killed_collector_left_aside_is_put_back(runner):
    _world, referenced = _bid_with_files()
    path = referenced[1]
    aside = path.with_name(file_gc.ASIDE + path.name)
    os.replace(path, aside)
    _age(aside)
    assert runner.invoke(args=["files", "gc"]).exit_code == 0
    assert path.exists() and not aside.exists()
