"""The document register: issuing PDFs, who may download them, and checking that a file is one we issued.

Every document-generating service builds its data (respecting the seal through the services it calls)
and hands it to `issue`, which renders the PDF (portal/services/documents/render.py), stores it under its SHA-256
(encrypted under the competition's data key when the Issue names `sealed_for_competition`, as a bid receipt does),
registers it as the next version of its series and audits that, in one transaction. Issuing again from
unchanged data returns the current version rather than a copy; a change of data makes a new version and
the old ones stay on record.

Who may download what (`readable`):
- a bid receipt: only the supplier that bid (it lists the bid's prices and answer hashes; the seal);
- a letter or a contract: the supplier it is addressed to, the buying organisation's procurement
  officers, and framework staff;
- an evaluation report or a direct award record: the buying organisation's procurement officers and
  framework staff.
Anyone else gets "not found", so a document's existence is not revealed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import TypeGuard

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.domain.canonical import canonical_json
from portal.extensions import db
from portal.models import Document, User
from portal.models.base import utcnow
from portal.services import audit, files
from portal.services.documents import render as renderer
from portal.services.errors import NotFoundError, ValidationError

KIND_LABELS = {
    "bid_receipt": "Bid receipt",
    "call_off_contract": "Call-off contract",
    "award_letter": "Award letter",
    "unsuccessful_letter": "Unsuccessful bidder letter",
    "evaluation_report": "Evaluation report",
    "direct_award_record": "Direct award record",
}
# Documents addressed to one supplier, which that supplier may download.
SUPPLIER_KINDS = frozenset({"bid_receipt", "call_off_contract", "award_letter", "unsuccessful_letter"})
# Documents only the supplier may read (sealed content), never the buying side or staff.
SUPPLIER_ONLY_KINDS = frozenset({"bid_receipt"})
SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Issue:
    """What a document-generating service asks the register to issue."""

    kind: str
    series_key: str
    subject_type: str
    subject_id: int
    reference: str
    title: str
    subject: str
    template: str
    data: dict
    template_version: str = "1"
    buyer_organisation_id: int | None = None
    supplier_id: int | None = None
    # A document holding sealed bid content (a bid receipt) is stored only encrypted under this competition's key.
    sealed_for_competition: int | None = None


def latest_in_series(series_key: str) -> Document | None:
    return db.session.scalar(
        select(Document).where(Document.series_key == series_key).order_by(Document.version.desc()).limit(1)
    )


def _unchanged(latest: Document | None, spec: Issue, data_sha256: str) -> TypeGuard[Document]:
    return (
        latest is not None
        and latest.signed_at is None
        and latest.data_sha256 == data_sha256
        and latest.template_version == spec.template_version
    )


def issue(actor: User | None, spec: Issue, *, commit: bool = True, now: datetime | None = None) -> Document:
    """The current version of the series if its data is unchanged; otherwise render and register a new one."""
    data_sha256 = hashlib.sha256(canonical_json(spec.data).encode()).hexdigest()
    latest = latest_in_series(spec.series_key)
    if _unchanged(latest, spec, data_sha256):
        return latest
    generated_at = (now or utcnow()).replace(microsecond=0)
    meta = renderer.DocumentMeta(
        title=spec.title, subject=spec.subject, reference=spec.reference, generated_at=generated_at
    )
    rendered = renderer.render(spec.template, spec.data, meta)
    return _register(actor, spec, rendered, generated_at, (latest.version + 1) if latest else 1, commit=commit)


def _register(
    actor: User | None,
    spec: Issue,
    rendered: renderer.RenderedDocument,
    generated_at: datetime,
    version: int,
    *,
    commit: bool,
    signed_from: Document | None = None,
) -> Document:
    stored = files.store(rendered.pdf, "application/pdf", sealed_for_competition=spec.sealed_for_competition)
    document = Document(
        kind=spec.kind,
        series_key=spec.series_key,
        version=version,
        subject_type=spec.subject_type,
        subject_id=spec.subject_id,
        title=spec.title,
        reference=spec.reference,
        buyer_organisation_id=spec.buyer_organisation_id,
        supplier_id=spec.supplier_id,
        file_sha256=stored.sha256,
        data_sha256=rendered.data_sha256,
        template_version=spec.template_version,
        generator=renderer.generator(),
        generated_at=generated_at,
        generated_by_id=actor.id if actor else None,
        page_count=rendered.page_count,
        signed_from_id=signed_from.id if signed_from else None,
        signed_at=generated_at if signed_from else None,
        sealed_for_competition_id=spec.sealed_for_competition,
    )
    db.session.add(document)
    try:
        db.session.flush()
    except IntegrityError:
        # Someone issued the same version of this series a moment ago: theirs is the version.
        db.session.rollback()
        current = latest_in_series(spec.series_key)
        if current is None:
            raise
        return current
    audit.record(
        actor,
        "document.signed" if signed_from else "document.issued",
        "document",
        document.id,
        summary=f"{KIND_LABELS[spec.kind]} {spec.reference} version {version}",
        after={
            "kind": spec.kind,
            "series": spec.series_key,
            "version": version,
            "sha256": stored.sha256,
            "data_sha256": rendered.data_sha256,
        },
    )
    if commit:
        db.session.commit()
    return document


def register_signed(actor: User, spec: Issue, rendered: renderer.RenderedDocument, original: Document) -> Document:
    """Register a signed contract as the next version of the original's series."""
    latest = latest_in_series(spec.series_key)
    version = (latest.version + 1) if latest else 1
    return _register(
        actor, spec, rendered, utcnow().replace(microsecond=0), version, commit=False, signed_from=original
    )


# --- Reading ---------------------------------------------------------------------------------------------------------


def readable(actor: User, document: Document) -> bool:
    if document.kind in SUPPLIER_ONLY_KINDS:
        return actor.is_supplier and actor.supplier_id == document.supplier_id
    if actor.is_staff:
        return True
    if actor.is_supplier:
        return document.kind in SUPPLIER_KINDS and actor.supplier_id == document.supplier_id
    return actor.is_procurement_officer and actor.buyer_organisation_id == document.buyer_organisation_id


def get_readable(actor: User, document_id: int) -> Document:
    document = db.session.get(Document, document_id)
    if document is None or not readable(actor, document):
        raise NotFoundError("Document not found")
    return document


def pdf_bytes(document: Document) -> bytes:
    """The PDF as issued (opened with its competition's key if it is stored sealed)."""
    return files.read(document.file_sha256, sealed_for_competition=document.sealed_for_competition_id)


def series(actor: User, subject_type: str, subject_id: int) -> list[Document]:
    """The latest version of each document series about one object that the actor may read."""
    rows = db.session.scalars(
        select(Document)
        .where(Document.subject_type == subject_type, Document.subject_id == subject_id)
        .order_by(Document.kind, Document.series_key, Document.version.desc())
    )
    latest: dict[str, Document] = {}
    for document in rows:
        if document.series_key not in latest and readable(actor, document):
            latest[document.series_key] = document
    return list(latest.values())


def versions(document: Document) -> list[Document]:
    return list(
        db.session.scalars(
            select(Document).where(Document.series_key == document.series_key).order_by(Document.version.desc())
        )
    )


# --- Authenticity ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckResult:
    sha256: str
    document: Document | None
    latest_version: int | None

    @property
    def issued(self) -> bool:
        return self.document is not None

    @property
    def superseded(self) -> bool:
        return (
            self.document is not None
            and self.latest_version is not None
            and self.latest_version > self.document.version
        )

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.document.kind] if self.document else ""


def check_sha256(sha256: str) -> CheckResult:
    """Whether the portal issued the file with this SHA-256, and whether a newer version exists."""
    sha256 = sha256.strip().lower()
    if not SHA256_PATTERN.match(sha256):
        raise ValidationError("Enter a SHA-256 as 64 characters, 0 to 9 and a to f", field="sha256")
    document = db.session.scalar(select(Document).where(Document.file_sha256 == sha256))
    latest = None
    if document is not None:
        latest = db.session.scalar(select(func.max(Document.version)).where(Document.series_key == document.series_key))
    return CheckResult(sha256, document, latest)


def check_file(data: bytes) -> CheckResult:
    if not data:
        raise ValidationError("The selected file is empty", field="file")
    return check_sha256(hashlib.sha256(data).hexdigest())
