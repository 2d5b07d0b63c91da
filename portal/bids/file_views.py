"""Attachments: upload (judged by content), remove before submission, and access-checked downloads.

Files live outside the web root; the only way to read one is through the download routes here, which
ask the seal (portal/services/files/ -> bid_access) whether this user may read it now.
"""

from __future__ import annotations

import io

from flask import flash, render_template, request, send_file
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms.fields.choices import SelectChoice

from portal.access import roles, signed_in
from portal.bids.forms import AttachmentForm, ConfirmForm
from portal.domain import file_types
from portal.domain.roles import Role
from portal.forms_common import attach_error
from portal.input_guard import accepts_upload
from portal.services import files
from portal.services.bids import drafting
from portal.services.errors import ConflictError, ValidationError

from .blueprint import bp, to_competition

# Room for the multipart envelope and the other fields around a file of the maximum size.
_ENVELOPE_BYTES = 64 * 1024


def _attachment_form(competition, *, with_data: bool) -> AttachmentForm:
    form = AttachmentForm() if with_data else AttachmentForm(formdata=None)
    form.criterion.choices = [SelectChoice("", "The bid as a whole")] + [
        SelectChoice(str(c.id), c.title) for c in drafting.leaf_criteria(competition)
    ]
    return form


@bp.route("/competitions/<int:competition_id>/attachments", methods=["GET", "POST"])
@roles(Role.SUPPLIER)
@accepts_upload
def attachments(competition_id: int):
    competition, bid = drafting.draft_for_editing(current_user, competition_id)
    limit = files.max_attachment_bytes()
    too_large = False
    if request.method == "POST":
        # Refuse an oversized body before reading it, and say so on the form rather than with a bare 413.
        request.max_content_length = limit + _ENVELOPE_BYTES
        try:
            request.files  # noqa: B018  (parses the body now, within the limit)
        except RequestEntityTooLarge:
            too_large = True
    form = _attachment_form(competition, with_data=not too_large)
    if too_large:
        form.file.errors = [f"The selected file must be smaller than {file_types.megabytes(limit)}"]
    elif form.validate_on_submit():
        upload = form.file.data
        try:
            attachment = files.add_attachment(
                current_user,
                competition.id,
                getattr(upload, "filename", "") or "",
                upload.read(limit + 1) if upload else b"",
                int(form.criterion.data) if (form.criterion.data or "").isdigit() else None,
            )
        except (ValidationError, ConflictError) as error:
            attach_error(form, error, "file")
        else:
            flash(f"{attachment.filename} uploaded", "success")
            return to_competition(competition.id, "attachments")
    return render_template(
        "bids/attachments.html",
        form=form,
        competition=competition,
        bid=bid,
        remove_form=ConfirmForm(formdata=None),
        limit=file_types.megabytes(limit),
        accepted=file_types.ACCEPTED_LIST,
        accept=file_types.ACCEPT_ATTRIBUTE,
    )


@bp.route("/attachments/<int:attachment_id>/remove", methods=["POST"])
@roles(Role.SUPPLIER)
def remove_attachment(attachment_id: int):
    attachment = files.own_attachment(current_user, attachment_id)
    name = attachment.filename
    bid = files.remove_attachment(current_user, attachment.id)
    flash(f"{name} removed from your draft", "success")
    return to_competition(bid.competition_id, "attachments")


def _send(data: bytes, filename: str, media_type: str):
    # The stored file is encrypted; the service hands over the opened bytes.
    response = send_file(io.BytesIO(data), mimetype=media_type, as_attachment=True, download_name=filename, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/attachments/<int:attachment_id>")
@signed_in
def download(attachment_id: int):
    return _send(*files.attachment_for_download(current_user, attachment_id))


@bp.route("/<int:bid_id>/files/<sha256>")
@signed_in
def submitted_file(bid_id: int, sha256: str):
    return _send(*files.submitted_file_for_download(current_user, bid_id, sha256))
