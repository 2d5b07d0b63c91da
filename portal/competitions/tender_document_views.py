"""Tender documents: the buyer's list, add, replace and remove pages, the prompt to extend the deadline after a
change, and the download every reader of the competition's documents uses (suppliers from their competition page).

The service (portal/services/competitions/tender_documents.py) judges files, states and who may read what.
"""

from __future__ import annotations

import io

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from portal.access import roles, signed_in
from portal.competitions.tender_document_forms import (
    AddDocumentForm,
    ConfirmForm,
    ExtendPromptForm,
    ReplaceDocumentForm,
)
from portal.domain import file_types
from portal.domain.roles import PROCUREMENT_OFFICERS
from portal.forms_common import attach_error
from portal.input_guard import accepts_upload
from portal.services import files
from portal.services.competitions import access, builder
from portal.services.competitions import tender_documents as documents
from portal.services.errors import ConflictError, NotFoundError, ValidationError

from .blueprint import bp

# Room for the multipart envelope and the other fields around a file of the maximum size.
_ENVELOPE_BYTES = 64 * 1024


def _list_url(competition_id: int) -> str:
    return url_for("competitions.tender_documents", competition_id=competition_id)


def _too_large() -> bool:
    """Refuse an oversized body before reading it, and say so on the form rather than with a bare 413."""
    if request.method != "POST":
        return False
    request.max_content_length = files.max_attachment_bytes() + _ENVELOPE_BYTES
    try:
        request.files  # noqa: B018  (parses the body now, within the limit)
    except RequestEntityTooLarge:
        return True
    return False


def _upload(form) -> documents.Upload:
    upload = form.file.data
    limit = files.max_attachment_bytes()
    return documents.Upload(getattr(upload, "filename", "") or "", upload.read(limit + 1) if upload else b"")


def _size_error(form) -> None:
    form.file.errors = [f"The selected file must be smaller than {file_types.megabytes(files.max_attachment_bytes())}"]


def _file_context() -> dict:
    return {
        "limit": file_types.megabytes(files.max_attachment_bytes()),
        "accepted": file_types.ACCEPTED_LIST,
        "accept": file_types.ACCEPT_ATTRIBUTE,
    }


def _after_change(competition, message: str):
    """After publication a change is followed by the question whether to extend the deadline."""
    flash(message, "success")
    if documents.is_published(competition):
        return redirect(url_for("competitions.tender_documents_extend", competition_id=competition.id))
    return redirect(_list_url(competition.id))


@bp.route("/<int:competition_id>/tender-documents")
@roles(PROCUREMENT_OFFICERS)
def tender_documents(competition_id: int):
    competition = builder.competition_for_officer(current_user, competition_id)
    state = access.state(competition)
    return render_template(
        "competitions/tender_documents.html",
        competition=competition,
        documents=documents.documents_of(competition.id),
        labels=documents.TYPE_LABELS,
        published=documents.is_published(competition),
        changeable=state.value in ("draft", "published"),
    )


@bp.route("/<int:competition_id>/tender-documents/add", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
@accepts_upload
def tender_document_add(competition_id: int):
    competition = builder.competition_for_officer(current_user, competition_id)
    too_large = _too_large()
    form = AddDocumentForm(formdata=None) if too_large else AddDocumentForm()
    if too_large:
        _size_error(form)
    elif form.validate_on_submit():
        try:
            change = documents.add_document(
                current_user,
                competition.id,
                title=form.title.data,
                document_type=form.document_type.data,
                upload=_upload(form),
                change_note=form.change_note.data or "",
            )
        except (ValidationError, ConflictError) as error:
            attach_error(form, error, "file")
        else:
            return _after_change(competition, f"{change.document.title} added")
    return render_template(
        "competitions/tender_document_form.html",
        form=form,
        competition=competition,
        published=documents.is_published(competition),
        document=None,
        **_file_context(),
    )


@bp.route("/<int:competition_id>/tender-documents/<int:tender_document_id>/replace", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
@accepts_upload
def tender_document_replace(competition_id: int, tender_document_id: int):
    competition, document = _own_document(competition_id, tender_document_id)
    too_large = _too_large()
    form = ReplaceDocumentForm(formdata=None) if too_large else ReplaceDocumentForm()
    if too_large:
        _size_error(form)
    elif form.validate_on_submit():
        try:
            change = documents.replace_document(
                current_user, document.id, upload=_upload(form), change_note=form.change_note.data or ""
            )
        except (ValidationError, ConflictError) as error:
            attach_error(form, error, "file")
        else:
            return _after_change(competition, f"{document.title}: version {change.version.version} uploaded")
    return render_template(
        "competitions/tender_document_form.html",
        form=form,
        competition=competition,
        published=documents.is_published(competition),
        document=document,
        labels=documents.TYPE_LABELS,
        **_file_context(),
    )


@bp.route("/<int:competition_id>/tender-documents/<int:tender_document_id>/remove", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def tender_document_remove(competition_id: int, tender_document_id: int):
    competition, document = _own_document(competition_id, tender_document_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        title = document.title
        try:
            documents.remove_document(current_user, document.id)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash(f"{title} removed", "success")
            return redirect(_list_url(competition.id))
    return render_template(
        "competitions/tender_document_remove.html",
        form=form,
        competition=competition,
        document=document,
        published=documents.is_published(competition),
    )


def _own_document(competition_id: int, document_id: int):
    competition = builder.competition_for_officer(current_user, competition_id)
    document = documents.document_for_officer(current_user, document_id)
    if document.competition_id != competition.id:
        raise NotFoundError("Document not found")  # another competition's document, named under this one
    return competition, document


@bp.route("/<int:competition_id>/tender-documents/extend-deadline", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def tender_documents_extend(competition_id: int):
    """After a change suppliers were told of: a late change may leave them too little time to bid."""
    competition = builder.competition_for_officer(current_user, competition_id)
    if access.state(competition).value != "published":
        return redirect(_list_url(competition.id))  # no deadline left to extend (or not yet one to move)
    form = ExtendPromptForm()
    if form.validate_on_submit():
        if form.extend.data == "yes":
            return redirect(url_for("competitions.extend", competition_id=competition.id))
        return redirect(_list_url(competition.id))
    return render_template("competitions/tender_documents_extend.html", form=form, competition=competition)


@bp.route("/<int:competition_id>/tender-documents/versions/<int:tender_version_id>")
@signed_in
def tender_document_download(competition_id: int, tender_version_id: int):
    data, filename, media_type = documents.version_for_download(current_user, competition_id, tender_version_id)
    response = send_file(io.BytesIO(data), mimetype=media_type, as_attachment=True, download_name=filename, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
