"""Evaluators: the conflict-of-interest declaration per bidding supplier (before any bid is seen), the scoring list
(assigned criteria, bids not withheld by a conflict) and the score form."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.access import roles
from portal.domain.roles import BUYER_SIDE
from portal.evaluation.forms import ScoreForm, declaration_form
from portal.forms_common import attach_error
from portal.services.bids import content as bid_content
from portal.services.bids import seal
from portal.services.errors import ConflictError, PermissionDeniedError, ValidationError
from portal.services.evaluation import conflicts, panel, workflow
from portal.services.evaluation.conflicts import ConflictedError, UnassignedCriterionError, UndeclaredError

from .blueprint import bp


@bp.route("/<int:competition_id>/declaration", methods=["GET", "POST"])
@roles(BUYER_SIDE)
def declaration(competition_id: int):
    item = workflow.assigned_competition(current_user, competition_id)
    pending = panel.declaration_form_suppliers(current_user, item)
    form = declaration_form(pending)
    if pending and form.validate_on_submit():
        try:
            panel.declare_conflicts(current_user, competition_id, form.answers(pending))
        except panel.DeclarationIncomplete as incomplete:
            for problem in incomplete.problems:
                attach_error(form, problem)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash("Declaration recorded", "success")
            return redirect(url_for("evaluation.scoring", competition_id=competition_id))
    return render_template(
        "evaluation/declaration.html",
        competition=item,
        form=form,
        pending=pending,
        declared=conflicts.standing(current_user, item),
    )


@bp.route("/<int:competition_id>/scoring")
@roles(BUYER_SIDE)
def scoring(competition_id: int):
    item = workflow.assigned_competition(current_user, competition_id)
    if panel.declaration_form_suppliers(current_user, item):
        return redirect(url_for("evaluation.declaration", competition_id=competition_id))
    problem = None
    try:
        workflow.ready_to_score(current_user, item)
    except (ConflictError, PermissionDeniedError) as error:
        problem = error.message
    sheet = workflow.scoring_sheet(current_user, item)
    return render_template("evaluation/scoring.html", competition=item, sheet=sheet, problem=problem)


@bp.route("/<int:competition_id>/bids/<int:bid_id>/criteria/<int:criterion_id>/score", methods=["GET", "POST"])
@roles(BUYER_SIDE)
def score(competition_id: int, bid_id: int, criterion_id: int):
    item = workflow.assigned_competition(current_user, competition_id)
    try:
        bid, criterion = workflow.scoring_target(current_user, item, bid_id, criterion_id)
    except UndeclaredError:
        return redirect(url_for("evaluation.declaration", competition_id=competition_id))
    except (ConflictedError, UnassignedCriterionError) as error:
        flash(error.message, "error")
        return redirect(url_for("evaluation.scoring", competition_id=competition_id))
    mine = workflow.own_score(current_user, bid.id, criterion.id)
    form = ScoreForm(data={"score": str(int(mine.score)), "justification": mine.justification} if mine else None)
    form.set_scale(criterion)
    if form.validate_on_submit():
        try:
            workflow.record_score(
                current_user, competition_id, bid.id, criterion.id, form.score.data, form.justification.data
            )
        except (ValidationError, ConflictError, PermissionDeniedError) as error:
            attach_error(form, error)
        else:
            flash(f"Score saved for {bid.supplier.short_name}: {criterion.title}", "success")
            return redirect(url_for("evaluation.scoring", competition_id=competition_id))
    content = seal.submitted_content(current_user, bid)
    answer, attachments = bid_content.for_criterion(content, criterion.id)
    return render_template(
        "evaluation/score.html",
        competition=item,
        bid=bid,
        criterion=criterion,
        answer=answer,
        attachments=attachments,
        form=form,
    )
