"""The evaluation index, a competition's progress page, opening the bids and confirming the award."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.access import roles
from portal.domain.competition_lifecycle import standstill_over
from portal.domain.roles import BUYER_SIDE, PROCUREMENT_OFFICERS
from portal.evaluation.blueprint import attach_error, bp
from portal.evaluation.forms import ConfirmForm, OpenBidsForm
from portal.services import award, competition_access, evaluation, evaluation_overview, evaluation_panel
from portal.services.errors import ConflictError, ValidationError


@bp.route("/")
@roles(BUYER_SIDE)
def index():
    rows = evaluation_overview.index_rows(current_user)
    also = evaluation_overview.assigned_elsewhere(current_user)
    return render_template("evaluation/index.html", rows=rows, also=also)


@bp.route("/<int:competition_id>")
@roles(BUYER_SIDE)
def competition(competition_id: int):
    if not current_user.is_procurement_officer:
        evaluation.assigned_competition(current_user, competition_id)
        return redirect(url_for("evaluation.scoring", competition_id=competition_id))
    item = evaluation.officer_competition(current_user, competition_id)
    return render_template(
        "evaluation/competition.html",
        competition=item,
        state=competition_access.state(item),
        action=evaluation_overview.next_action(current_user, item),
        evaluators=evaluation_panel.evaluator_rows(item),
        bids=evaluation.submitted_bids(item),
        moderation=evaluation_overview.moderation_progress(item),
        standstill_over=standstill_over(competition_access.facts(item), evaluation.utcnow()),
        is_evaluator=competition_access.is_assigned_evaluator(current_user, item),
        form=ConfirmForm(),
        people=evaluation.names_of(item.opened_by_id, item.opening_witness_id),
    )


@bp.route("/<int:competition_id>/open", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def open_bids(competition_id: int):
    item = evaluation.officer_competition(current_user, competition_id)
    form = OpenBidsForm()
    form.set_people(evaluation.colleagues(current_user, item))
    if form.validate_on_submit():
        try:
            evaluation.open_bids(current_user, competition_id, form.witness_id.data)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash("Bids opened", "success")
            return redirect(url_for("evaluation.competition", competition_id=competition_id))
    bids = evaluation.submitted_bids(item)
    return render_template("evaluation/open.html", competition=item, form=form, bid_count=len(bids))


@bp.route("/<int:competition_id>/confirm-award", methods=["POST"])
@roles(PROCUREMENT_OFFICERS)
def confirm_award(competition_id: int):
    evaluation.officer_competition(current_user, competition_id)
    if ConfirmForm().validate_on_submit():
        try:
            award.confirm(current_user, competition_id)
        except ConflictError as error:
            flash(error.message, "error")
        else:
            flash("Contract award confirmed", "success")
    return redirect(url_for("evaluation.competition", competition_id=competition_id))
