"""Bidders: their outcome and assessment summary (reg 31), and their explanation of an abnormally low price."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.access import roles
from portal.domain.roles import Role
from portal.domain.scoring import display
from portal.evaluation.forms import ExplanationForm
from portal.forms_common import attach_error
from portal.services.errors import ConflictError, NotFoundError, ValidationError
from portal.services.evaluation import award, results
from portal.services.notices import standstill

from .blueprint import bp


@bp.route("/outcomes/<int:competition_id>")
@roles(Role.SUPPLIER)
def outcome(competition_id: int):
    summary = results.assessment_summary(current_user, competition_id)
    return render_template(
        "evaluation/outcome.html",
        summary=summary,
        competition=summary.competition,
        display=display,
        standstill_info=standstill.summary(summary.competition),
    )


@bp.route("/outcomes/<int:competition_id>/price-explanation", methods=["GET", "POST"])
@roles(Role.SUPPLIER)
def supplier_explanation(competition_id: int):
    competition, bid = results.supplier_bid(current_user, competition_id)
    explanation = award.explanation_for(competition, bid.id)
    if explanation is None:
        raise NotFoundError("No explanation of your price has been requested")
    form = ExplanationForm()
    form.explanation.label.text = "Your explanation of your price"
    if explanation.explanation_recorded_at is None and form.validate_on_submit():
        try:
            award.record_explanation(current_user, competition, bid, form.explanation.data)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash("Your explanation has been sent to the buyer", "success")
            return redirect(url_for("evaluation.supplier_explanation", competition_id=competition_id))
    return render_template(
        "evaluation/supplier_explanation.html", competition=competition, explanation=explanation, form=form
    )
