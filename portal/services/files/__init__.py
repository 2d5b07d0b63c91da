"""Bid attachments: content-addressed storage outside the web root, and access-checked downloads.

A file is stored once under its SHA-256 (FILE_STORE_PATH/ab/cd/<sha256>, default instance/files) and
recorded as a StoredFile row; a BidAttachment links it to a bid. Files are judged by their content
(portal/domain/file_types.py), never by their name. Nothing under the store is served directly: every
download goes through `attachment_for_download` / `submitted_file_for_download`, which apply the seal
(portal/services/bids/seal.py): the bidding supplier always; the buying side only once the bids are
opened, and then only files that are part of the submitted version that counts.

A bid attachment's bytes are never written to that plain store: they are encrypted under the competition's data
key (portal/services/bids/crypto.py) and kept at FILE_STORE_PATH/sealed/<competition id>/ab/cd/<sha256>, so the
same file attached to bids of two competitions is stored once per competition, each readable with its own key.
Downloads return the opened bytes; a read by the buying side is audited (portal/services/bids/reads.py).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.domain import file_types
from portal.extensions import db
from portal.models import Bid, BidAttachment, StoredFile, User
from portal.models.base import utcnow
from portal.services import audit
from portal.services.bids import crypto, drafting, reads, seal
from portal.services.errors import NotFoundError, ValidationError
from portal.services.files import inspection

DEFAULT_MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def max_attachment_bytes() -> int:
    return int(current_app.config.get("MAX_ATTACHMENT_BYTES", DEFAULT_MAX_ATTACHMENT_BYTES))


def store_root() -> Path:
    configured = current_app.config.get("FILE_STORE_PATH")
    return Path(configured) if configured else Path(current_app.instance_path) / "files"


def path_for(sha256: str) -> Path:
    return store_root() / sha256[:2] / sha256[2:4] / sha256


def sealed_path_for(competition_id: int, sha256: str) -> Path:
    """Where a bid attachment's encrypted bytes live: per competition, as each competition has its own key."""
    return store_root() / "sealed" / str(int(competition_id)) / sha256[:2] / sha256[2:4] / sha256


def _write_once(sha256: str, data: bytes, target: Path | None = None) -> None:
    """Write the content under its hash unless already there; atomic so a reader never sees half a file."""
    target = target or path_for(sha256)
    try:
        os.utime(target)  # already stored: refreshed, so `flask files gc` (files/gc.py) cannot take it from us now
        return
    except FileNotFoundError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def store(data: bytes, media_type: str, *, sealed_for_competition: int | None = None) -> StoredFile:
    """The StoredFile for this content, created once however many bids attach it (also concurrently).

    With `sealed_for_competition` (bid attachments, bid receipts) the bytes are written only encrypted, under that
    competition."""
    sha256 = hashlib.sha256(data).hexdigest()
    if sealed_for_competition is None:
        _write_once(sha256, data)
    else:
        cid = sealed_for_competition
        target = sealed_path_for(cid, sha256)
        if target.exists() and not _opens(cid, sha256, target):
            target.unlink(missing_ok=True)  # left by an earlier competition of the same id (a restored backup)
        _write_once(sha256, crypto.seal_bytes(cid, data, crypto.file_aad(cid, sha256)), target)
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(StoredFile)
        .values(sha256=sha256, size_bytes=len(data), media_type=media_type, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["sha256"])
    )
    return db.session.get_one(StoredFile, sha256)


def read(sha256: str, *, sealed_for_competition: int | None = None) -> bytes:
    """Stored bytes by hash, opened if sealed for a competition; FileNotFoundError if the store has lost them."""
    if sealed_for_competition is None:
        return path_for(sha256).read_bytes()
    cid = sealed_for_competition
    return crypto.open_bytes(cid, sealed_path_for(cid, sha256).read_bytes(), crypto.file_aad(cid, sha256))


def _opens(competition_id: int, sha256: str, path: Path) -> bool:
    try:
        crypto.open_bytes(competition_id, path.read_bytes(), crypto.file_aad(competition_id, sha256))
    except (crypto.ContentUnreadable, OSError):
        return False
    return True


def safe_filename(name: str) -> str:
    return inspection.safe_filename(name)  # last path part, header-safe, 255 characters keeping the extension


def add_attachment(
    actor: User, competition_id: int, filename: str, data: bytes, criterion_id: int | None = None
) -> BidAttachment:
    competition, bid = drafting.draft_for_editing(actor, competition_id)
    drafting._check_open(competition, supplier=bid.supplier_id)
    error = inspection.upload_error(filename or "", data, max_attachment_bytes())  # a ZIP's cost judged first
    if error:
        raise ValidationError(error, field="file")
    if criterion_id is not None and criterion_id not in {c.id for c in drafting.leaf_criteria(competition)}:
        raise ValidationError("Select which part of your bid the file supports", field="criterion")
    file_type = file_types.sniff(data)
    if file_type is None:  # upload_error has already refused what sniff cannot name
        raise ValidationError(f"The selected file must be a {file_types.ACCEPTED_LIST}", field="file")
    stored = store(data, file_type.media_type, sealed_for_competition=competition.id)
    attachment = BidAttachment(
        bid_id=bid.id,
        criterion_id=criterion_id,
        file_sha256=stored.sha256,
        filename=safe_filename(filename),
        uploaded_by_id=actor.id,
    )
    bid.attachments.append(attachment)
    bid.updated_at = utcnow()
    db.session.flush()
    audit.record(
        actor,
        "bid.attachment_added",
        "bid",
        bid.id,
        summary="Attachment added to draft",
        after={"attachment_id": attachment.id, "sha256": stored.sha256},
    )
    db.session.commit()
    return attachment


def _own_attachment(actor: User, attachment_id: int) -> tuple[BidAttachment, Bid]:
    attachment = db.session.get(BidAttachment, attachment_id)
    if attachment is None or not actor.is_supplier:
        raise NotFoundError("Attachment not found")
    bid = db.session.get_one(Bid, attachment.bid_id)
    if seal.access_level(actor, bid) != "own":
        raise NotFoundError("Attachment not found")
    return attachment, bid


def own_attachment(actor: User, attachment_id: int) -> BidAttachment:
    return _own_attachment(actor, attachment_id)[0]


def remove_attachment(actor: User, attachment_id: int) -> Bid:
    """Take a file out of the draft (submitted versions keep their own list; the stored file stays)."""
    attachment, bid = _own_attachment(actor, attachment_id)
    drafting._check_open(bid.competition, supplier=bid.supplier_id)
    before = {"attachment_id": attachment.id, "sha256": attachment.file_sha256}
    bid.attachments.remove(attachment)
    bid.updated_at = utcnow()
    audit.record(actor, "bid.attachment_removed", "bid", bid.id, summary="Attachment removed from draft", before=before)
    db.session.commit()
    return bid


def _counting_hashes(actor: User, bid: Bid) -> set[str]:
    try:
        listed = seal.submitted_attachments(actor, bid)
    except seal.SealedError as error:
        raise NotFoundError("Attachment not found") from error
    return {a["sha256"] for a in listed}


def _open_file(bid: Bid, sha256: str) -> bytes:
    """A bid attachment's bytes, decrypted; 404 if the store has lost them."""
    try:
        return read(sha256, sealed_for_competition=bid.competition_id)
    except FileNotFoundError as error:
        raise NotFoundError("File not found") from error


def attachment_for_download(actor: User, attachment_id: int) -> tuple[bytes, str, str]:
    """(bytes, filename, media type) of a draft attachment the actor may read; 404 for anyone else."""
    attachment = db.session.get(BidAttachment, attachment_id)
    if attachment is None:
        raise NotFoundError("Attachment not found")
    bid = db.session.get_one(Bid, attachment.bid_id)
    level = seal.access_level(actor, bid)
    if level is None or (level != "own" and attachment.file_sha256 not in _counting_hashes(actor, bid)):
        raise NotFoundError("Attachment not found")
    data = _open_file(bid, attachment.file_sha256)
    if level != "own":
        reads.note(actor, bid.id, f"attachment {attachment.id} ({attachment.file_sha256})")
    return data, attachment.filename, attachment.file.media_type


def submitted_file_for_download(actor: User, bid_id: int, sha256: str) -> tuple[bytes, str, str]:
    """A file of a submitted version by hash: the supplier from any of its versions, the buyer side only
    from the version that counts once opened (the draft may since have dropped it)."""
    bid = db.session.get(Bid, bid_id)
    if bid is None or seal.access_level(actor, bid) is None:
        raise NotFoundError("File not found")
    listed: dict[str, dict] = {}
    if seal.access_level(actor, bid) == "own":
        for submission in seal.submission_versions(actor, bid):
            for item in seal.own_submission_content(actor, bid, submission).get("attachments", []):
                listed.setdefault(item["sha256"], item)
    else:
        try:
            listed = {a["sha256"]: a for a in seal.submitted_attachments(actor, bid)}
        except seal.SealedError as error:
            raise NotFoundError("File not found") from error
    item = listed.get(sha256)
    stored = db.session.scalar(select(StoredFile).where(StoredFile.sha256 == sha256)) if item else None
    if item is None or stored is None:
        raise NotFoundError("File not found")
    data = _open_file(bid, sha256)
    if seal.access_level(actor, bid) != "own":
        reads.note(actor, bid.id, f"attachment ({sha256})")
    return data, item["filename"], stored.media_type
