"""Tender documents: the buyer issues them with a competition; invited suppliers download them.

Procurement officers of the buying organisation add documents (a title, a type, a file) while the competition is a
draft or open for bids. Files are judged exactly as bid attachments are (portal/services/files/inspection.py: by
content, ZIP containers bounded) and stored in the plain, content-addressed store: a tender document is the buyer's,
not sealed bid content. Every change is a new version; no version is ever deleted once the competition is published
(suppliers may have priced against it), and the current version is the highest number.

A change after publication needs a short note saying what changed; it is audited and every active user of every
invited supplier is notified ("tender_documents_changed"). The buyer is then asked whether to extend the deadline
(the view's job), since a late change may leave suppliers too little time. Before publication a document may be
removed outright, as nobody has seen it.

Reading: the buying organisation's users at any time; invited suppliers once published (portal/services/competitions/
access.py); anyone else gets 404, so a competition's documents never show through another's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.domain import file_types
from portal.domain.competition_state import CompetitionState
from portal.domain.timefmt import format_datetime
from portal.extensions import db
from portal.models import Competition, TenderDocument, TenderDocumentVersion, User
from portal.models.base import utcnow
from portal.services import audit, files, notifications
from portal.services.competitions import access
from portal.services.competitions.builder import commit
from portal.services.errors import ConflictError, NotFoundError, ValidationError
from portal.services.files import inspection
from portal.services.notifications import recipients

# The types TenderDocument's CHECK constraint allows (models/tender_document.DOCUMENT_TYPES), in words.
TYPE_LABELS = {
    "specification": "Specification",
    "pricing_workbook": "Pricing workbook",
    "draft_contract": "Draft contract",
    "other": "Other",
}
MAX_TITLE = 200
MAX_NOTE = 1000
REMOVE_AFTER_PUBLICATION = (
    "This competition has been published: its tender documents can no longer be removed, only replaced with a new "
    "version (suppliers keep access to earlier versions)"
)


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


@dataclass(frozen=True)
class Change:
    """What a save changed: `notified` is how many people were told (0 before publication)."""

    document: TenderDocument
    version: TenderDocumentVersion
    notified: int


# --- Reading ----------------------------------------------------------------------------------------------------


def documents_of(competition_id: int) -> list[TenderDocument]:
    """A competition's documents with every version (one query for the versions, however many documents)."""
    return list(
        db.session.scalars(
            select(TenderDocument)
            .where(TenderDocument.competition_id == competition_id)
            .options(selectinload(TenderDocument.versions))
            .order_by(TenderDocument.id)
        )
    )


def _may_read(actor: User, competition: Competition) -> bool:
    if actor.buyer_organisation_id is not None and actor.buyer_organisation_id == competition.buyer_organisation_id:
        return True
    return competition.published_at is not None  # suppliers: access.get_visible admits only the invited


def readable_documents(actor: User, competition_id: int) -> list[TenderDocument]:
    """The documents of a competition the actor may see (404 otherwise)."""
    competition = access.get_visible(actor, competition_id)
    if not _may_read(actor, competition):
        raise NotFoundError("Competition not found")
    return documents_of(competition.id)


def version_for_download(actor: User, competition_id: int, version_id: int) -> tuple[bytes, str, str]:
    """(bytes, file name, media type) of a version of one of this competition's documents; 404 for anyone who may
    not read the competition's documents, for a version of another competition's, and for a file the store lost."""
    competition = access.get_visible(actor, competition_id)
    version = db.session.get(TenderDocumentVersion, version_id)
    if version is None or version.document.competition_id != competition.id or not _may_read(actor, competition):
        raise NotFoundError("Document not found")
    try:
        data = files.read(version.file_sha256)
    except FileNotFoundError as error:
        raise NotFoundError("Document not found") from error
    return data, version.filename, version.media_type


# --- Changing ---------------------------------------------------------------------------------------------------


def competition_for_change(actor: User, competition_id: int) -> Competition:
    """The officer's competition, locked, if its documents may still change: a draft, or published and open."""
    competition = access.get_for_officer(actor, competition_id, for_update=True)
    require_changeable(competition)
    return competition


def require_changeable(competition: Competition) -> None:
    state = access.state(competition)
    if state is CompetitionState.CANCELLED:
        raise ConflictError("This competition has been cancelled: its tender documents can no longer be changed")
    if state not in (CompetitionState.DRAFT, CompetitionState.PUBLISHED):
        raise ConflictError("The submission deadline has passed: the tender documents can no longer be changed")


def is_published(competition: Competition) -> bool:
    return competition.published_at is not None


def document_for_officer(actor: User, document_id: int) -> TenderDocument:
    """A document of one of the officer's own organisation's competitions (404 otherwise)."""
    document = db.session.get(TenderDocument, document_id)
    if document is None:
        raise NotFoundError("Document not found")
    access.get_for_officer(actor, document.competition_id)
    return document


def _checked_file(upload: Upload) -> tuple[str, str, bytes]:
    """(stored sha256, media type, bytes) of an acceptable upload, or the same refusals as a bid attachment's."""
    error = inspection.upload_error(upload.filename or "", upload.data, files.max_attachment_bytes())
    if error:
        raise ValidationError(error, field="file")
    file_type = file_types.sniff(upload.data)
    if file_type is None:  # upload_error has already refused what sniff cannot name
        raise ValidationError(f"The selected file must be a {file_types.ACCEPTED_LIST}", field="file")
    stored = files.store(upload.data, file_type.media_type)
    return stored.sha256, file_type.media_type, upload.data


def _clean_note(competition: Competition, change_note: str) -> str:
    note = (change_note or "").strip()
    if is_published(competition) and not note:
        raise ValidationError("Enter what has changed, for the invited suppliers", field="change_note")
    if len(note) > MAX_NOTE:
        raise ValidationError(f"What has changed must be {MAX_NOTE:,} characters or fewer", field="change_note")
    return note


def _new_version(document: TenderDocument, actor: User, upload: Upload, note: str, now: datetime):
    sha256, media_type, data = _checked_file(upload)
    version = TenderDocumentVersion(
        version=(document.versions[-1].version + 1) if document.versions else 1,
        file_sha256=sha256,
        filename=inspection.safe_filename(upload.filename),
        size_bytes=len(data),
        media_type=media_type,
        uploaded_by_id=actor.id,
        uploaded_at=now,
        change_note=note,
    )
    document.versions.append(version)
    return version


def add_document(
    actor: User,
    competition_id: int,
    *,
    title: str,
    document_type: str,
    upload: Upload,
    change_note: str = "",
    now: datetime | None = None,
) -> Change:
    now = now or utcnow()
    competition = competition_for_change(actor, competition_id)
    title = (title or "").strip()
    if not title:
        raise ValidationError("Enter a title", field="title")
    if len(title) > MAX_TITLE:
        raise ValidationError(f"Title must be {MAX_TITLE} characters or fewer", field="title")
    if document_type not in TYPE_LABELS:
        raise ValidationError("Select the type of document", field="document_type")
    note = _clean_note(competition, change_note)
    document = TenderDocument(
        competition_id=competition.id, document_type=document_type, title=title, created_by_id=actor.id, created_at=now
    )
    version = _new_version(document, actor, upload, note, now)
    db.session.add(document)
    db.session.flush()
    audit.record(
        actor,
        "competition.tender_document_added",
        "competition",
        competition.id,
        summary=f"Tender document added to {competition.reference}: {title}",
        after=_described(document, version),
    )
    notified = _notify(competition, document, version, added=True)
    commit()
    return Change(document, version, notified)


def replace_document(
    actor: User, document_id: int, *, upload: Upload, change_note: str = "", now: datetime | None = None
) -> Change:
    """A new version of the document; the earlier ones stay, listed and downloadable."""
    now = now or utcnow()
    document = document_for_officer(actor, document_id)
    competition = competition_for_change(actor, document.competition_id)
    note = _clean_note(competition, change_note)
    previous = document.current
    version = _new_version(document, actor, upload, note, now)
    db.session.flush()
    audit.record(
        actor,
        "competition.tender_document_replaced",
        "competition",
        competition.id,
        summary=f"Tender document of {competition.reference} replaced: {document.title}, version {version.version}",
        before=_described(document, previous),
        after=_described(document, version),
    )
    notified = _notify(competition, document, version, added=False)
    commit()
    return Change(document, version, notified)


def remove_document(actor: User, document_id: int) -> Competition:
    """Delete a document and its versions: only before publication, while no supplier has seen it."""
    document = document_for_officer(actor, document_id)
    competition = competition_for_change(actor, document.competition_id)
    if is_published(competition):
        raise ConflictError(REMOVE_AFTER_PUBLICATION)
    before = _described(document, document.current)
    db.session.delete(document)  # the stored files stay until `flask files gc` finds nothing naming them
    audit.record(
        actor,
        "competition.tender_document_removed",
        "competition",
        competition.id,
        summary=f"Tender document removed from {competition.reference}: {before['title']}",
        before=before,
    )
    commit()
    return competition


def _described(document: TenderDocument, version: TenderDocumentVersion) -> dict:
    return {
        "document_id": document.id,
        "title": document.title,
        "type": document.document_type,
        "version": version.version,
        "filename": version.filename,
        "sha256": version.file_sha256,
        "size_bytes": version.size_bytes,
        "change_note": version.change_note,
    }


def supplier_page_path(competition_id: int) -> str:
    """The invited supplier's competition page, at its tender documents (a path: notifications store paths)."""
    path = current_app.url_map.bind("localhost").build("bids.competition", {"competition_id": competition_id})
    return path + "#tender-documents"


def _notify(competition: Competition, document: TenderDocument, version: TenderDocumentVersion, *, added: bool) -> int:
    """Tell every invited supplier's users about a change after publication; nobody is told about a draft."""
    if not is_published(competition):
        return 0
    what = "added" if added else f"replaced with version {version.version}"
    subject = f"Tender documents changed: {competition.title} ({competition.reference})"
    body = (
        f"The buyer has changed the tender documents for {competition.title} ({competition.reference}).\n\n"
        f"{TYPE_LABELS[document.document_type]}: {document.title} was {what} ({version.filename}).\n\n"
        f"What has changed: {version.change_note}\n\n"
        "Earlier versions stay available on the competition's page. Check whether the change affects your bid "
        f"before the submission deadline, {format_datetime(competition.submission_deadline_at)}."
    )
    people = recipients.invited_supplier_users(competition.id)
    return len(
        notifications.notify(people, "tender_documents_changed", subject, body, link=supplier_page_path(competition.id))
    )
