"""The approver's page for a recommended award (approve, or return it to the buyer with a comment) and the
return itself; the recommend and approve posts are in results_views.py."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.access import roles
from portal.domain.roles import Role
from portal.evaluation.forms import ConfirmForm
from portal.forms_common import ReturnForm, attach_error
from portal.services import approvals
from portal.services.errors import ConflictError, ValidationError
from portal.services.evaluation import award_return, results, workflow
from portal.services.notices import standstill

from .blueprint import bp


def approve_page(competition_id: int, approve_form: ConfirmForm | None = None, return_form: ReturnForm | None = None):
    item = workflow.officer_competition(current_user, competition_id)
    outcome = results.competition_results(current_user, item)
    approve_form = approve_form or ConfirmForm()
    return_form = return_form or ReturnForm(prefix="return")
    recommended = next((r for r in outcome.rows if r.bid.id == item.recommended_bid_id), None)
    return render_template(
        "evaluation/approve.html",
        competition=item,
        outcome=outcome,
        recommended=recommended,
        form=return_form if return_form.errors else approve_form,  # the one whose errors the summary lists
        approve_form=approve_form,
        return_form=return_form,
        steps=approvals.history(competition_id=item.id),
        standstill_info=standstill.summary(item),
    )


@bp.route("/<int:competition_id>/return", methods=["POST"])
@roles(Role.APPROVER)
def return_award(competition_id: int):
    workflow.officer_competition(current_user, competition_id)
    form = ReturnForm(prefix="return")
    if form.validate_on_submit():
        try:
            award_return.return_award(current_user, competition_id, form.comment.data)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error, "comment")
        else:
            flash("Award returned to the buyer with your comment", "success")
            return redirect(url_for("evaluation.competition", competition_id=competition_id))
    return approve_page(competition_id, return_form=form)
