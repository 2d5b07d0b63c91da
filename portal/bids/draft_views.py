"""Drafting the bid: one page per question (quality or pass/fail) and the price schedule.

Each page has a "Save draft" button; every save persists in the database, so a draft survives sign-out.
Saving accepts a partial bid; only submission insists on everything being there.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, jsonify, render_template, request
from flask_login import current_user

from portal.access import roles
from portal.bids.forms import PassFailAnswerForm, QualityAnswerForm, prices_form
from portal.domain.money import format_pence, pence_to_pounds_text
from portal.domain.roles import Role
from portal.domain.timefmt import london
from portal.domain.word_count import count_words
from portal.forms_common import attach_error
from portal.services.bids import drafting
from portal.services.errors import ConflictError, ValidationError

from . import kept_views
from .blueprint import bp, to_competition


@bp.route("/competitions/<int:competition_id>/questions/<int:criterion_id>", methods=["GET", "POST"])
@roles(Role.SUPPLIER)
def answer(competition_id: int, criterion_id: int):
    competition, _bid, criterion, saved = drafting.criterion_and_answer(current_user, competition_id, criterion_id)
    quality = criterion.kind == "quality"
    passed = None if saved is None or saved.passed is None else ("yes" if saved.passed else "no")
    data = {"text": drafting.draft_answers(_bid)[criterion.id].text if saved else "", "passed": passed}
    kept = kept_views.restore(competition.id, criterion.id) if request.method == "GET" else None
    if kept is not None:  # typed when the session timed out: back in the form, not yet saved
        data = {"text": kept.text, "passed": None if kept.passed is None else ("yes" if kept.passed else "no")}
    form = QualityAnswerForm(data=data) if quality else PassFailAnswerForm(data=data)
    if form.validate_on_submit():
        try:
            drafting.save_answer(
                current_user,
                competition.id,
                criterion.id,
                form.text.data or "",
                None if quality else form.passed_value(),
            )
        except (ValidationError, ConflictError) as error:
            attach_error(form, error, "text")
        else:
            flash(f"Draft saved: {criterion.title}", "success")
            return to_competition(competition.id)
    return render_template(
        "bids/answer.html",
        form=form,
        competition=competition,
        criterion=criterion,
        quality=quality,
        words=count_words(form.text.data),
    )


@bp.route("/competitions/<int:competition_id>/questions/<int:criterion_id>/autosave", methods=["POST"])
@roles(Role.SUPPLIER)
def autosave_answer(competition_id: int, criterion_id: int):
    """The answer page's script saves the draft as the supplier types (portal/static/js/autosave.mjs): the same
    form, CSRF token and save as the button (sealed at rest, audited, deadline and standing checked), as JSON."""
    competition, _bid, criterion, _saved = drafting.criterion_and_answer(current_user, competition_id, criterion_id)
    quality = criterion.kind == "quality"
    form = QualityAnswerForm() if quality else PassFailAnswerForm()
    if not form.validate_on_submit():
        errors = [message for field in form.errors.values() for message in field]
        return jsonify(saved=False, error=errors[0] if errors else "Not saved"), 400
    try:
        drafting.save_answer(
            current_user, competition.id, criterion.id, form.text.data or "", None if quality else form.passed_value()
        )
    except (ValidationError, ConflictError) as error:
        return jsonify(saved=False, error=error.message), 409 if isinstance(error, ConflictError) else 400
    response = jsonify(saved=True, at=london(datetime.now(UTC)).strftime("%H:%M"))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/competitions/<int:competition_id>/prices", methods=["GET", "POST"])
@roles(Role.SUPPLIER)
def prices(competition_id: int):
    competition, bid = drafting.draft_for_editing(current_user, competition_id)
    lines = competition.schedule_lines
    saved = {f"price_{line_id}": pence_to_pounds_text(pence) for line_id, pence in drafting.unit_prices(bid).items()}
    form = prices_form(lines, data=None if request.method == "POST" else saved)
    if form.validate_on_submit():
        typed = {line.id: getattr(form, f"price_{line.id}").data for line in lines}
        _, errors = drafting.parse_unit_prices(competition, typed)
        for line_id, message in errors.items():
            getattr(form, f"price_{line_id}").errors.append(message)
        if not errors:
            try:
                total = drafting.save_prices(current_user, competition.id, typed)
            except (ValidationError, ConflictError) as error:
                attach_error(form, error)
            else:
                flash(f"Draft prices saved: total {format_pence(total)}", "success")
                return to_competition(competition.id)
    return render_template(
        "bids/prices.html",
        form=form,
        competition=competition,
        rows=drafting.schedule(competition, bid),
        fields={line.id: getattr(form, f"price_{line.id}") for line in lines},
        total=drafting.schedule_total(drafting.schedule(competition, bid)),
    )
