"""`flask files gc`: files left in the store by requests killed mid-upload (no row refers to them) are removed once
older than the grace period; files rows refer to, recent files and anything not shaped like the store stay."""

from __future__ import annotations

import hashlib
import os
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent
from portal.services import files
from portal.services.files import gc as file_gc

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
