"""The buyer's evaluation panel: assigning evaluators to criteria, removing them, and mitigating declared conflicts."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.access import roles
from portal.domain.roles import PROCUREMENT_OFFICERS
from portal.evaluation.forms import AssignEvaluatorForm, ConfirmForm, CriteriaForm, MitigationForm
from portal.forms_common import attach_error
from portal.services.errors import ConflictError, PermissionDeniedError, ValidationError
from portal.services.evaluation import conflicts, declarations, panel, workflow
from portal.services.evaluation.scoring_adapter import quality_leaves

from .blueprint import bp


@bp.route("/<int:competition_id>/evaluators", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def evaluators(competition_id: int):
    item = workflow.officer_competition(current_user, competition_id)
    rows = panel.evaluator_rows(item)
    assigned = {row.user.id for row in rows}
    form = AssignEvaluatorForm()
    form.set_people([p for p in workflow.colleagues(None, item) if p.id not in assigned])
    form.set_criteria(quality_leaves(item.criteria))
    if form.validate_on_submit():
        try:
            person = panel.assign_evaluator(
                current_user, competition_id, form.user_id.data, form.criterion_ids.data or []
            )
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash(f"{person.name} assigned as an evaluator", "success")
            return redirect(url_for("evaluation.evaluators", competition_id=competition_id))
    return render_template(
        "evaluation/evaluators.html",
        competition=item,
        rows=rows,
        bidders=conflicts.bidding_suppliers(item),
        form=form,
        remove_form=ConfirmForm(),
        ideal=workflow.IDEAL_EVALUATORS,
    )


@bp.route("/<int:competition_id>/evaluators/<int:user_id>/criteria", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def evaluator_criteria(competition_id: int, user_id: int):
    item = workflow.officer_competition(current_user, competition_id)
    row = next((r for r in panel.evaluator_rows(item) if r.user.id == user_id), None)
    if row is None:
        return redirect(url_for("evaluation.evaluators", competition_id=competition_id))
    form = CriteriaForm()
    form.set_criteria(quality_leaves(item.criteria), {c.id for c in row.criteria})
    if form.validate_on_submit():
        try:
            panel.set_criteria(current_user, competition_id, user_id, form.criterion_ids.data or [])
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash(f"Criteria saved for {row.user.name}", "success")
            return redirect(url_for("evaluation.evaluators", competition_id=competition_id))
    return render_template("evaluation/evaluator_criteria.html", competition=item, row=row, form=form)


@bp.route("/<int:competition_id>/evaluators/<int:user_id>/remove", methods=["POST"])
@roles(PROCUREMENT_OFFICERS)
def remove_evaluator(competition_id: int, user_id: int):
    workflow.officer_competition(current_user, competition_id)
    if ConfirmForm().validate_on_submit():
        try:
            person = panel.remove_evaluator(current_user, competition_id, user_id)
        except ConflictError as error:
            flash(error.message, "error")
        else:
            flash(f"{person.name} removed as an evaluator", "success")
    return redirect(url_for("evaluation.evaluators", competition_id=competition_id))


@bp.route("/<int:competition_id>/declarations/<int:declaration_id>/mitigation", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def mitigation(competition_id: int, declaration_id: int):
    item = workflow.officer_competition(current_user, competition_id)
    declaration = panel.declaration(item, declaration_id)
    form = MitigationForm()
    if form.validate_on_submit():
        try:
            panel.record_mitigation(current_user, competition_id, declaration_id, form.mitigation.data)
        except (ValidationError, ConflictError, PermissionDeniedError) as error:
            attach_error(form, error)
        else:
            if declaration.role != "evaluator":
                flash(f"Mitigation recorded for {declaration.user.name}", "success")
                return redirect(url_for("evaluation.competition", competition_id=competition_id, _anchor="conflicts"))
            flash(
                f"Mitigation recorded: {declaration.user.name} may now score {declaration.supplier.short_name}",
                "success",
            )
            return redirect(url_for("evaluation.evaluators", competition_id=competition_id))
    return render_template(
        "evaluation/mitigation.html",
        competition=item,
        declaration=declaration,
        form=form,
        role_labels=declarations.ROLE_LABELS,
        role_actions=declarations.ACTIONS,
    )
