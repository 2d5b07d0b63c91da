"""Downloading issued documents (access-checked) and the public authenticity check."""

from __future__ import annotations

from io import BytesIO

from flask import redirect, render_template, send_file, url_for
from flask_login import current_user

from portal.access import public, roles, signed_in
from portal.documents.forms import CheckDocumentForm
from portal.domain.roles import Role
from portal.forms_common import attach_error
from portal.input_guard import accepts_upload
from portal.services.documents import receipts, register
from portal.services.errors import ValidationError

from .blueprint import bp


@bp.route("/<int:document_id>/download")
@signed_in
def download(document_id: int):
    document = register.get_readable(current_user, document_id)
    response = send_file(
        BytesIO(register.pdf_bytes(document)),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=document.filename,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/receipts/<int:submission_id>")
@roles(Role.SUPPLIER)
def bid_receipt(submission_id: int):
    """The receipt PDF of one of the supplier's submitted versions, issued the first time it is asked for."""
    document = receipts.issue_receipt(current_user, submission_id)
    return redirect(url_for("documents.download", document_id=document.id))


@bp.route("/check", methods=["GET", "POST"])
@public
@accepts_upload
def check():
    form = CheckDocumentForm()
    result = None
    if form.validate_on_submit():
        try:
            if form.file.data:
                result = register.check_file(form.file.data.read())
            else:
                result = register.check_sha256(form.sha256.data)
        except ValidationError as error:
            attach_error(form, error, "file")
    return render_template("document_check/check.html", form=form, result=result)
