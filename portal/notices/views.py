"""A call-off's notices for its buying organisation's procurement officers: list, read, JSON, record publication."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from flask import Response, abort, flash, redirect, render_template
from flask_login import current_user

from portal.access import roles
from portal.domain.roles import PROCUREMENT_OFFICERS
from portal.domain.timefmt import LONDON
from portal.forms_common import attach_error
from portal.services.errors import ConflictError, ValidationError
from portal.services.notices import lifecycle

from .blueprint import bp, call_off_of, notice_url
from .forms import PrepareForm, PublicationForm

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
    return render_template(
        "notices/show.html",
        call_off=call_off,
        notice=notice,
        label=lifecycle.NOTICE_LABELS[notice_type],
        release=lifecycle.release_of(notice),
        errors=lifecycle.errors(notice),
        form=form,
    )


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
