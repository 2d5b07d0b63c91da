"""A call-off's notices for its buying organisation's procurement officers: list, read, JSON, record publication."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from flask import Response, abort, flash, redirect, render_template
from flask_login import current_user
from flask_wtf import FlaskForm

from portal.access import roles
from portal.domain import file_types
from portal.domain import notices as build
from portal.domain.roles import PROCUREMENT_OFFICERS
from portal.domain.timefmt import LONDON
from portal.forms_common import attach_error
from portal.models import TransparencyNotice
from portal.services import files
from portal.services.contracts.call_offs import CallOff
from portal.services.errors import ConflictError, ValidationError
from portal.services.notices import large_contract, lifecycle

from .blueprint import bp, call_off_of, notice_url
from .forms import PrepareForm, PublicationForm, RedactedCopyForm, UnredactedForm

BASES = ("/competitions/<int:competition_id>/notices", "/direct-awards/<int:direct_award_id>/notices")


@bp.route(BASES[0])
@bp.route(BASES[1])
@roles(PROCUREMENT_OFFICERS)
def index(competition_id: int | None = None, direct_award_id: int | None = None):
    kind, call_off_id = call_off_of(competition_id, direct_award_id)
    call_off = lifecycle.call_off_for(current_user, kind, call_off_id)
    types = lifecycle.notice_types(call_off)
    return render_template(
        "notices/index.html",
        call_off=call_off,
        types=types,
        labels=lifecycle.NOTICE_LABELS,
        notices=lifecycle.notices_of(call_off),
        refusals={t: lifecycle.preparation_refusal(call_off, t) for t in types},
        uk7_due=lifecycle.uk7_due(call_off),
        form=PrepareForm(),
    )


@bp.route(BASES[0] + "/<notice_type>/prepare", methods=["POST"])
@bp.route(BASES[1] + "/<notice_type>/prepare", methods=["POST"])
@roles(PROCUREMENT_OFFICERS)
def prepare(notice_type: str, competition_id: int | None = None, direct_award_id: int | None = None):
    kind, call_off_id = call_off_of(competition_id, direct_award_id)
    lifecycle.call_off_for(current_user, kind, call_off_id)
    if PrepareForm().validate_on_submit():
        try:
            lifecycle.prepare(current_user, kind, call_off_id, notice_type)
        except ConflictError as error:
            flash(error.message, "error")
            return redirect(notice_url(kind, call_off_id))
        return redirect(notice_url(kind, call_off_id, "notices.show", notice_type=notice_type))
    return redirect(notice_url(kind, call_off_id))


def _published_at(form: PublicationForm) -> datetime | None:
    if form.published_on.data is None or not form.published_time.data:
        return None
    hour, minute = (int(part) for part in form.published_time.data.split(":"))
    local = datetime.combine(form.published_on.data, datetime.min.time()).replace(hour=hour, minute=minute)
    return local.replace(tzinfo=LONDON).astimezone(UTC)


def render_notice(call_off: CallOff, notice: TransparencyNotice, **forms: FlaskForm | None) -> str:
    """The notice page; `forms` holds the ones the request bound (publication, redacted, unredacted), and `failed`
    the one whose errors the GOV.UK error summary lists."""
    publication = forms.get("publication") or PublicationForm(formdata=None)
    large = large_contract.status(call_off) if notice.notice_type == build.UK7 else large_contract.Status([])
    return render_template(
        "notices/show.html",
        call_off=call_off,
        notice=notice,
        label=lifecycle.NOTICE_LABELS[notice.notice_type],
        release=lifecycle.release_of(notice),
        errors=lifecycle.errors(notice),
        form=forms.get("failed") or publication,
        publication_form=publication,
        redacted_form=forms.get("redacted") or RedactedCopyForm(formdata=None),
        unredacted_form=forms.get("unredacted") or UnredactedForm(formdata=None),
        large=large,
        upload_limit=file_types.megabytes(files.max_attachment_bytes()),
    )


@bp.route(BASES[0] + "/<notice_type>", methods=["GET", "POST"])
@bp.route(BASES[1] + "/<notice_type>", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def show(notice_type: str, competition_id: int | None = None, direct_award_id: int | None = None):
    kind, call_off_id = call_off_of(competition_id, direct_award_id)
    call_off, notice = lifecycle.get(current_user, kind, call_off_id, notice_type)
    form = PublicationForm()
    if not notice.published and form.validate_on_submit():
        try:
            lifecycle.record_publication(
                current_user, kind, call_off_id, notice_type, form.platform_notice_id.data or "", _published_at(form)
            )
        except (ValidationError, ConflictError) as error:
            attach_error(form, error, "platform_notice_id")
        else:
            flash(f"Publication recorded: {lifecycle.NOTICE_LABELS[notice_type]}", "success")
            return redirect(notice_url(kind, call_off_id, "notices.show", notice_type=notice_type))
    return render_notice(call_off, notice, publication=form)


@bp.route(BASES[0] + "/<notice_type>.json")
@bp.route(BASES[1] + "/<notice_type>.json")
@roles(PROCUREMENT_OFFICERS)
def download(notice_type: str, competition_id: int | None = None, direct_award_id: int | None = None):
    kind, call_off_id = call_off_of(competition_id, direct_award_id)
    _call_off, notice = lifecycle.get(current_user, kind, call_off_id, notice_type)
    if not notice.release_json:
        abort(404)
    body = json.dumps(lifecycle.release_of(notice), indent=2, ensure_ascii=False)
    filename = f"{notice.release_id}.json"
    return Response(
        body, mimetype="application/json", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
