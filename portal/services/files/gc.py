"""Collecting the file store's orphans: files no row refers to, left by requests killed mid-upload.

An upload writes its file under FILE_STORE_PATH/ab/cd/<sha256> (portal/services/files/) and then records the
StoredFile row in the request's transaction. A request killed in between (a worker restarted or timed out, the
machine stopped) leaves a file that no row names, or a half-written `.upload-*` temporary; nothing ever reads them,
but they take space and may hold a bid's bytes. `flask files gc` removes both once they are older than a grace
period (an hour by default), which an upload still in flight never is.

A plain file is referenced while its StoredFile row exists. Tender documents (portal/models/tender_document.py) are
stored plain and every version names its StoredFile (the foreign key RESTRICTs deleting it), so no version's file,
current or superseded, is ever collected.

Sealed files (bid attachments and bid receipts, encrypted under FILE_STORE_PATH/sealed/<competition>/ab/cd/<sha256>)
are collected the same way. One is referenced while something of that competition names its hash: an attachment of a
bid's draft, a submitted version of a bid (its sealed content lists its files, which a draft may since have dropped),
or an issued document sealed for that competition. A competition whose submitted versions cannot be opened (a wrong
master key) has nothing of its sealed store removed.

A file that an upload is about to use again cannot be taken from under it: storing content that is already there
refreshes the file's time (files._write_once), and the collector first renames a candidate aside, then looks at
its time once more and puts it back if it was refreshed meanwhile. An upload that finds the file already renamed
aside simply writes it again. A collector killed midway leaves `.gc-*` files, which the next run settles.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from portal.extensions import db
from portal.models import Bid, BidAttachment, BidSubmission, Document, StoredFile
from portal.services import audit
from portal.services.bids import crypto
from portal.services.files import store_root

DEFAULT_GRACE = timedelta(hours=1)
TEMPORARY = ".upload-"  # files._write_once's temporary names
ASIDE = ".gc-"  # a candidate renamed aside while it is checked one last time
_SHA256 = re.compile(r"[0-9a-f]{64}")
_COMPETITION = re.compile(r"[1-9][0-9]*")  # files.sealed_path_for's directory names
_BATCH = 500


@dataclass
class Collection:
    removed: list[Path] = field(default_factory=list)
    removed_bytes: int = 0
    kept_referenced: int = 0
    kept_recent: int = 0

    def summary(self) -> str:
        return (
            f"Removed {len(self.removed)} orphaned files ({self.removed_bytes} bytes); kept {self.kept_referenced} "
            f"that rows refer to and {self.kept_recent} newer than the grace period."
        )


def _store_files(root: Path) -> Iterator[Path]:
    # Only the store's own shape (ab/cd/name): anything else under the root is not ours to remove.
    for path in root.glob("??/??/*"):
        if path.is_file() and not path.is_symlink():
            yield path


def _sealed_store_files(root: Path) -> Iterator[tuple[int, Path]]:
    """(competition id, path) of each file under sealed/<competition>/ab/cd/."""
    sealed = root / "sealed"
    if not sealed.is_dir() or sealed.is_symlink():
        return
    for directory in sorted(sealed.iterdir()):
        if directory.is_dir() and not directory.is_symlink() and _COMPETITION.fullmatch(directory.name):
            for path in _store_files(directory):
                yield int(directory.name), path


def _referenced(hashes: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(hashes), _BATCH):
        batch = hashes[start : start + _BATCH]
        found.update(db.session.scalars(select(StoredFile.sha256).where(StoredFile.sha256.in_(batch))))
    return found


def _sealed_referenced(wanted: set[tuple[int, str]]) -> set[tuple[int, str]]:
    """Which (competition id, sha256) pairs something of that competition names (see the module's docstring)."""
    found: set[tuple[int, str]] = set()
    hashes = sorted({sha for _cid, sha in wanted})
    for start in range(0, len(hashes), _BATCH):
        batch = hashes[start : start + _BATCH]
        found.update(
            (cid, sha)
            for cid, sha in db.session.execute(
                select(Bid.competition_id, BidAttachment.file_sha256)
                .join(Bid, Bid.id == BidAttachment.bid_id)
                .where(BidAttachment.file_sha256.in_(batch))
            )
        )
        found.update(
            (cid, sha)
            for cid, sha in db.session.execute(
                select(Document.sealed_for_competition_id, Document.file_sha256).where(
                    Document.file_sha256.in_(batch), Document.sealed_for_competition_id.is_not(None)
                )
            )
            if cid is not None
        )
    unsettled = sorted({cid for cid, sha in wanted if (cid, sha) not in found})
    for start in range(0, len(unsettled), _BATCH):
        found.update(_submitted(unsettled[start : start + _BATCH], wanted))
    return found


def _submitted(competition_ids: list[int], wanted: set[tuple[int, str]]) -> set[tuple[int, str]]:
    """Files listed in the submitted versions of these competitions' bids (opened only to read the file list)."""
    found: set[tuple[int, str]] = set()
    unreadable: set[int] = set()
    rows = db.session.execute(
        select(Bid.competition_id, BidSubmission.bid_id, BidSubmission.version, BidSubmission.content_sealed)
        .join(Bid, Bid.id == BidSubmission.bid_id)
        .where(Bid.competition_id.in_(competition_ids))
    )
    for cid, bid_id, version, content_sealed in rows:
        try:
            content = json.loads(crypto.submission_json(cid, bid_id, version, content_sealed))
        except crypto.ContentUnreadable:
            unreadable.add(cid)  # cannot tell what it lists: keep all of the competition's files
            continue
        found.update((cid, item["sha256"]) for item in content.get("attachments", []))
    return found | {pair for pair in wanted if pair[0] in unreadable}


def _sha256_of(path: Path) -> str | None:
    name = path.name.removeprefix(ASIDE)
    return name if _SHA256.fullmatch(name) and path.parent.name == name[2:4] else None


def _remove_unless_touched(path: Path, cutoff: float) -> int:
    """Rename aside, check the time again (an upload may have just refreshed it), then remove or put back.
    Returns the bytes removed (0 if it was put back or had already gone)."""
    aside = path if path.name.startswith(ASIDE) else path.with_name(ASIDE + path.name)
    try:
        os.replace(path, aside)
        stat = aside.stat()
    except FileNotFoundError:
        return 0
    if stat.st_mtime >= cutoff and aside != path:
        os.replace(aside, path)  # refreshed by an upload: same name, same content (it is named by its hash)
        return 0
    aside.unlink(missing_ok=True)
    return stat.st_size


def collect(grace: timedelta = DEFAULT_GRACE, *, dry_run: bool = False) -> Collection:
    """Remove orphaned and temporary files older than `grace` from the store (audited unless nothing went)."""
    root, result = store_root(), Collection()
    if not root.is_dir():
        return result
    cutoff = time.time() - grace.total_seconds()
    old: list[tuple[Path, int | None, str | None]] = []  # (path, competition id if sealed, its hash)
    every: list[tuple[int | None, Path]] = [(None, path) for path in _store_files(root)]
    every += _sealed_store_files(root)
    for competition_id, path in every:
        sha = _sha256_of(path)
        if path.stat().st_mtime >= cutoff:
            result.kept_recent += 1
        elif path.name.startswith(TEMPORARY) or sha:
            old.append((path, competition_id, sha))
    referenced = _referenced(sorted({sha for _path, cid, sha in old if sha and cid is None}))
    sealed_referenced = _sealed_referenced({(cid, sha) for _path, cid, sha in old if sha and cid is not None})
    for path, competition_id, sha in old:
        if sha and (sha in referenced if competition_id is None else (competition_id, sha) in sealed_referenced):
            result.kept_referenced += _settle_aside(path, sha) if path.name.startswith(ASIDE) else 1
            continue
        size = path.stat().st_size if dry_run else _remove_unless_touched(path, cutoff)
        if size or dry_run:
            result.removed.append(path)
            result.removed_bytes += size
    if result.removed and not dry_run:
        _audit(result, grace)
    return result


def _settle_aside(path: Path, sha256: str) -> int:
    """A file a killed collector left aside that a row refers to: put it back, unless it was stored again."""
    original = path.with_name(sha256)
    if original.exists():
        path.unlink(missing_ok=True)
    else:
        os.replace(path, original)
    return 1


def _audit(result: Collection, grace: timedelta) -> None:
    audit.record(
        None,
        "files.collected",
        "file_store",
        "orphans",
        summary=result.summary(),
        after={
            "removed": len(result.removed),
            "bytes": result.removed_bytes,
            "grace_minutes": int(grace.total_seconds() // 60),
            "names": sorted(path.name.removeprefix(ASIDE) for path in result.removed)[:200],
        },
    )
    db.session.commit()
