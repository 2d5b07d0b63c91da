"""The redaction step for a large contract's contract details notice (UK7): which copy of the signed contract is
published with it (PA 2023, over the large-contract threshold in portal/domain/law.py).

The buyer either uploads a redacted copy of the signed contract (a PDF, judged by its bytes: size limit, PDF magic
bytes and end-of-file marker; stored in the content-addressed file store, portal/services/files/, not in the
document register, which lists only what the portal itself issued), or confirms that the signed contract is published
in full because nothing in it is exempt from publication, saying why. Who: the buying organisation's procurement
officers, while the UK7 is unpublished; the choice may be changed until then. Each choice is audited with the file's
hash and the signed version it copies, and the UK7 is prepared again so that its release lists the copy.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from portal.domain import file_types
from portal.domain import notices as build
from portal.extensions import db
from portal.models import Document, TransparencyNotice, User
from portal.models.base import utcnow
from portal.services import audit, files
from portal.services.contracts import kpis
from portal.services.contracts.call_offs import CallOff
from portal.services.errors import ConflictError, NotFoundError, ValidationError
from portal.services.notices import large_contract, lifecycle

MAX_REASON = 2000
COPY_FIELDS = ("contract_copy", "contract_copy_sha256", "contract_copy_of_id", "contract_copy_reason")


def _target(user: User, kind: str, call_off_id: int) -> tuple[CallOff, TransparencyNotice, Document]:
    call_off, notice = lifecycle.get(user, kind, call_off_id, build.UK7)
    db.session.refresh(notice, with_for_update=True)  # one choice at a time, and not while publication is recorded
    if notice.published:
        raise ConflictError("The contract details notice has been published, so its published contract cannot change")
    found = large_contract.status(call_off)
    if not found.applies:
        raise ConflictError(
            f"Only a contract worth more than {found.threshold_text or 'the threshold'} including VAT is published "
            "with its contract details notice"
        )
    signed = kpis.signed_contract(call_off)
    if signed is None:
        raise ConflictError("The contract has not been signed by both parties")
    return call_off, notice, signed


def _reason(text: str, field: str, required: str | None) -> str:
    cleaned = (text or "").strip()
    if required and not cleaned:
        raise ValidationError(required, field=field)
    if len(cleaned) > MAX_REASON:
        raise ValidationError(f"The reason must be {MAX_REASON} characters or fewer", field=field)
    return cleaned


def _choose(
    user: User, call_off: CallOff, notice: TransparencyNotice, signed: Document, copy: str, sha256: str, reason: str,
    filename: str = "",
) -> TransparencyNotice:  # fmt: skip
    before = audit.snapshot(notice, COPY_FIELDS) if notice.contract_copy else None
    notice.contract_copy, notice.contract_copy_sha256, notice.contract_copy_of_id = copy, sha256, signed.id
    notice.contract_copy_reason, notice.contract_copy_by_id, notice.contract_copy_at = reason, user.id, utcnow()
    after = audit.snapshot(notice, COPY_FIELDS) | ({"filename": filename} if filename else {})
    audit.record(
        user, "notice.contract_copy_chosen", call_off.kind, call_off.id,
        summary=f"{call_off.reference}: {large_contract.COPY_LABELS[copy]} to be published with the contract "
        "details notice (UK7)",
        before=before, after=after,
    )  # fmt: skip
    db.session.commit()
    # The UK7's release lists the copy: prepare it again now, so what the buyer publishes is what was chosen.
    return lifecycle.prepare(user, call_off.kind, call_off.id, build.UK7)


def publish_redacted(
    user: User, kind: str, call_off_id: int, filename: str, data: bytes, note: str = ""
) -> TransparencyNotice:
    """Publish an uploaded redacted copy of the signed contract with the UK7 (`note`: what was redacted and why)."""
    call_off, notice, signed = _target(user, kind, call_off_id)
    error = file_types.pdf_upload_error(filename or "", data, files.max_attachment_bytes())
    if error:
        raise ValidationError(error, field="redacted_file")
    sha256 = hashlib.sha256(data).hexdigest()
    if sha256 == signed.file_sha256:
        raise ValidationError(
            "The selected file is the signed contract itself, not a redacted copy: to publish it in full, confirm "
            "that nothing in it is exempt from publication",
            field="redacted_file",
        )
    cleaned = _reason(note, "redaction_note", None)
    stored = files.store(data, file_types.PDF.media_type)
    return _choose(user, call_off, notice, signed, "redacted", stored.sha256, cleaned, files.safe_filename(filename))


def publish_unredacted(user: User, kind: str, call_off_id: int, confirmed: bool, reason: str) -> TransparencyNotice:
    """Publish the signed contract in full with the UK7: the buyer confirms nothing in it is exempt, and why."""
    call_off, notice, signed = _target(user, kind, call_off_id)
    if not confirmed:
        raise ValidationError(
            "Confirm that nothing in the signed contract is exempt from publication", field="confirm_unredacted"
        )
    cleaned = _reason(
        reason, "unredacted_reason", "Enter why nothing in the signed contract is exempt from publication"
    )
    return _choose(user, call_off, notice, signed, "unredacted", signed.file_sha256, cleaned)


def chosen_file(user: User, kind: str, call_off_id: int) -> tuple[Path, str]:
    """(path, download name) of the copy chosen for the UK7, for the buying organisation's officers to check."""
    call_off, notice = lifecycle.get(user, kind, call_off_id, build.UK7)
    if notice.contract_copy is None:
        raise NotFoundError("No copy of the contract has been chosen for publication")
    return large_contract.copy_file(notice, call_off.reference)
