"""The evaluation index, a competition's progress page and confirming the award (opening: dual_opening_views)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.access import roles
from portal.domain.competition_lifecycle import standstill_over
from portal.domain.roles import BUYER_SIDE, PROCUREMENT_OFFICERS
from portal.evaluation.forms import ConfirmForm
from portal.services import approvals
from portal.services.competitions import access
from portal.services.errors import ConflictError
from portal.services.evaluation import award, declarations, opening, overview, panel, workflow
from portal.services.notices import standstill

from .blueprint import bp


@bp.route("/")
@roles(BUYER_SIDE)
def index():
    rows = overview.index_rows(current_user)
    also = overview.assigned_elsewhere(current_user)
    return render_template("evaluation/index.html", rows=rows, also=also)


@bp.route("/<int:competition_id>")
@roles(BUYER_SIDE)
def competition(competition_id: int):
    if not current_user.is_procurement_officer:
        workflow.assigned_competition(current_user, competition_id)
        return redirect(url_for("evaluation.scoring", competition_id=competition_id))
    item = workflow.officer_competition(current_user, competition_id)
    return render_template(
        "evaluation/competition.html",
        competition=item,
        state=access.state(item),
        action=overview.next_action(current_user, item),
        evaluators=panel.evaluator_rows(item),
        # Sealed until opened: not even fetched before, so no template can show how many there are.
        bids=workflow.submitted_bids(item) if item.opened_at else [],
        moderation=overview.moderation_progress(item),
        standstill_over=standstill_over(access.facts(item), workflow.utcnow()),
        standstill_info=standstill.summary(item),
        is_evaluator=access.is_assigned_evaluator(current_user, item),
        form=ConfirmForm(),
        people=workflow.names_of(item.opened_by_id, item.opening_confirmed_by_id, item.opening_started_by_id),
        opening_request=opening.live_request(item),
        conflicts_record=declarations.competition_record(item),
        returned=approvals.latest_return(approvals.history(competition_id=item.id)),
    )


@bp.route("/<int:competition_id>/confirm-award", methods=["POST"])
@roles(PROCUREMENT_OFFICERS)
def confirm_award(competition_id: int):
    workflow.officer_competition(current_user, competition_id)
    if ConfirmForm().validate_on_submit():
        try:
            award.confirm(current_user, competition_id)
        except ConflictError as error:
            flash(error.message, "error")
        else:
            flash("Contract award confirmed", "success")
    return redirect(url_for("evaluation.competition", competition_id=competition_id))
