"""The published contract of a large call-off (PA 2023, over the large-contract threshold): the buyer's redaction
step on the contract details notice (UK7) page, its download for the buyer, the public download a published UK7
links to, and the duties on the contract page (`large_contract_status`)."""

from __future__ import annotations

from flask import flash, redirect, request, send_file
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from portal.access import public, roles
from portal.domain import file_types
from portal.domain import notices as build
from portal.domain.roles import PROCUREMENT_OFFICERS
from portal.forms_common import attach_error
from portal.input_guard import accepts_upload
from portal.services import files
from portal.services.errors import ConflictError, NotFoundError, ValidationError
from portal.services.notices import large_contract, lifecycle, redaction

from .blueprint import bp, call_off_of, notice_url
from .forms import RedactedCopyForm, UnredactedForm
from .views import BASES, render_notice

COPY = "/UK7/published-contract"
_ENVELOPE_BYTES = 64 * 1024  # the multipart envelope and the note around a file of the maximum size


def _done(kind: str, call_off_id: int, message: str):
    flash(f"{message}. The contract details notice has been prepared again to list it", "success")
    return redirect(notice_url(kind, call_off_id, "notices.show", notice_type=build.UK7))


@bp.route(BASES[0] + COPY, methods=["POST"])
@bp.route(BASES[1] + COPY, methods=["POST"])
@roles(PROCUREMENT_OFFICERS)
@accepts_upload
def upload_redacted(competition_id: int | None = None, direct_award_id: int | None = None):
    kind, call_off_id = call_off_of(competition_id, direct_award_id)
    call_off, notice = lifecycle.get(current_user, kind, call_off_id, build.UK7)
    limit = files.max_attachment_bytes()
    request.max_content_length = limit + _ENVELOPE_BYTES  # refuse an oversized body before reading it
    try:
        form = RedactedCopyForm()
    except RequestEntityTooLarge:
        form = RedactedCopyForm(formdata=None)
        form.redacted_file.errors = [f"The selected file must be smaller than {file_types.megabytes(limit)}"]
    else:
        if form.validate_on_submit():
            upload = form.redacted_file.data
            try:
                redaction.publish_redacted(
                    current_user, kind, call_off_id, getattr(upload, "filename", "") or "",
                    upload.read(limit + 1) if upload else b"", form.redaction_note.data or "",
                )  # fmt: skip
            except (ValidationError, ConflictError) as error:
                attach_error(form, error, "redacted_file")
            else:
                return _done(kind, call_off_id, "The redacted copy will be published with the notice")
    return render_notice(call_off, notice, redacted=form, failed=form)


@bp.route(BASES[0] + COPY + "/in-full", methods=["POST"])
@bp.route(BASES[1] + COPY + "/in-full", methods=["POST"])
@roles(PROCUREMENT_OFFICERS)
def publish_in_full(competition_id: int | None = None, direct_award_id: int | None = None):
    kind, call_off_id = call_off_of(competition_id, direct_award_id)
    call_off, notice = lifecycle.get(current_user, kind, call_off_id, build.UK7)
    form = UnredactedForm()
    if form.validate_on_submit():
        try:
            redaction.publish_unredacted(
                current_user, kind, call_off_id, bool(form.confirm_unredacted.data), form.unredacted_reason.data or ""
            )
        except (ValidationError, ConflictError) as error:
            attach_error(form, error, "confirm_unredacted")
        else:
            return _done(kind, call_off_id, "The signed contract will be published in full with the notice")
    return render_notice(call_off, notice, unredacted=form, failed=form)


def _pdf(path, filename: str, cache: str):
    response = send_file(path, mimetype="application/pdf", download_name=filename, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = cache
    return response


@bp.route(BASES[0] + COPY + ".pdf")
@bp.route(BASES[1] + COPY + ".pdf")
@roles(PROCUREMENT_OFFICERS)
def chosen_copy(competition_id: int | None = None, direct_award_id: int | None = None):
    """The copy the buyer chose, for its officers to check before publishing the notice."""
    kind, call_off_id = call_off_of(competition_id, direct_award_id)
    return _pdf(*redaction.chosen_file(current_user, kind, call_off_id), "private, no-store")


@bp.route("/frameworks/<int:framework_id>/ocds/contracts/<sha256>.pdf")
@public
def published_contract(framework_id: int, sha256: str):
    """A published contract copy, as a published UK7 links to it; nothing else is served."""
    return _pdf(*large_contract.public_file(framework_id, sha256), "public, max-age=3600")


@bp.app_template_global("large_contract_status")
def large_contract_status(kind: str, call_off_id: int) -> large_contract.Status | None:
    """The large-contract duties of a call-off for its buying organisation's officers; None for anyone else or when
    none apply (PCR 2015, or not over the threshold)."""
    if not current_user.is_authenticated or not current_user.is_procurement_officer:
        return None
    try:
        found = large_contract.status(lifecycle.call_off_for(current_user, kind, call_off_id))
    except NotFoundError:
        return None
    return found if found.applies else None
