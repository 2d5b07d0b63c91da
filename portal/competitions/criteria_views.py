"""The criteria and weights section: the weights page, refining a criterion, and its sub-criteria."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.access import roles
from portal.competitions.criteria_forms import SubCriterionForm, criterion_form, weights_form
from portal.domain.roles import PROCUREMENT_OFFICERS
from portal.domain.scoring import percent_text
from portal.forms_common import attach_error
from portal.services.competitions import builder
from portal.services.competitions import builder_criteria as criteria_service
from portal.services.competitions.review import tree_rows
from portal.services.competitions.scales import descriptor_points
from portal.services.errors import ConflictError, ValidationError

if TYPE_CHECKING:
    from portal.models import CompetitionCriterion

from .blueprint import bp


def _describe(node) -> tuple[str, str]:
    if node.min_weight is not None and node.max_weight is not None:
        low, high = percent_text(node.min_weight), percent_text(node.max_weight)
        optional = " (optional: enter 0 to leave it out)" if node.min_weight == 0 else ""
        return node.title, f"Between {low} % and {high} % of the total{optional}"
    parent = node.parent.title if node.parent is not None else "the total"
    return node.title, f"Share of {parent}, in %"


def _criteria_url(competition) -> str:
    return url_for("competitions.criteria", competition_id=competition.id)


@bp.route("/<int:competition_id>/criteria", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def criteria(competition_id: int):
    competition = builder.competition_for_officer(current_user, competition_id)
    nodes = builder.weighted_nodes(competition)
    form = weights_form(nodes, _describe)
    if form.validate_on_submit():
        weights = {node.id: getattr(form, f"weight_{node.id}").data for node in nodes}
        try:
            problems = criteria_service.set_weights(current_user, competition, weights)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            if not problems:
                flash("Weights saved", "success")
                return redirect(url_for("competitions.show", competition_id=competition.id))
            _show_problems(form, problems)
    rows = tree_rows(competition)
    return render_template(
        "competitions/criteria.html",
        form=form,
        competition=competition,
        rows=rows,
        effective={row.node.id: row.effective for row in rows if row.effective is not None},
        draft=builder.is_draft(competition),
        pct=percent_text,
    )


def _show_problems(form, problems) -> None:
    """One message per field (the error summary shows a field's first message only), joined in order."""
    by_field: dict[str, list[str]] = {}
    for problem in problems:
        field = getattr(form, f"weight_{problem.node_id}", None) or form.submit
        by_field.setdefault(field.name, []).append(problem.message)
    for name, messages in by_field.items():
        getattr(form, name).errors = [". ".join(messages)]


def _points(node: CompetitionCriterion, scored: bool) -> list[tuple[int, str]]:
    if not scored:
        return []
    if node.scale_max is None:  # a scored criterion is given its scale when it is made
        raise ValueError(f"criterion {node.id} is scored but has no scale")
    return descriptor_points(node.scale_max)


@bp.route("/<int:competition_id>/criteria/<int:criterion_id>", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def criterion(competition_id: int, criterion_id: int):
    competition = builder.competition_for_officer(current_user, competition_id)
    node = builder.get_node(competition, criterion_id)
    scored = node.kind == "quality" and not any(c.kind == "quality" for c in node.children)
    form = criterion_form(node, _points(node, scored))
    if not scored:
        for name in ("word_limit", "scale_max", "min_score"):
            delattr(form, name)
    if form.validate_on_submit():
        try:
            scale_changed = criteria_service.update_criterion(
                current_user, competition, node.id, **_criterion_values(form, scored)
            )
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            if scale_changed:
                flash("Scoring scale changed: the descriptors have been reset to the defaults, check them", "success")
                return redirect(url_for("competitions.criterion", competition_id=competition.id, criterion_id=node.id))
            flash(f"{node.title} saved", "success")
            return redirect(_criteria_url(competition))
    return render_template(
        "competitions/criterion.html",
        form=form,
        competition=competition,
        node=node,
        scored=scored,
        points=_points(node, scored),
        draft=builder.is_draft(competition),
        sub_form=SubCriterionForm(formdata=None),
    )


def _criterion_values(form, scored: bool) -> dict:
    values = {"question": form.question.data, "guidance": form.guidance.data}
    if scored:
        values.update(word_limit=form.word_limit.data, scale_max=form.scale_max.data, min_score=form.min_score.data)
        values["descriptors"] = {
            int(name.removeprefix("descriptor_")): field.data or ""
            for name, field in form._fields.items()
            if name.startswith("descriptor_")
        }
    return values


@bp.route("/<int:competition_id>/criteria/<int:criterion_id>/sub-criteria", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def sub_criterion_new(competition_id: int, criterion_id: int):
    competition = builder.competition_for_officer(current_user, competition_id)
    node = builder.get_node(competition, criterion_id)
    form = SubCriterionForm()
    if form.validate_on_submit():
        try:
            criteria_service.add_sub_criterion(
                current_user,
                competition,
                node.id,
                title=form.title.data,
                question=form.question.data,
                guidance=form.guidance.data,
            )
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash(f"Sub-criterion added to {node.title}: now set the weights of its sub-criteria", "success")
            return redirect(_criteria_url(competition))
    return render_template("competitions/sub_criterion.html", form=form, competition=competition, node=node)


@bp.route("/<int:competition_id>/criteria/<int:criterion_id>/remove", methods=["POST"])
@roles(PROCUREMENT_OFFICERS)
def sub_criterion_remove(competition_id: int, criterion_id: int):
    competition = builder.competition_for_officer(current_user, competition_id)
    node = builder.get_node(competition, criterion_id)
    try:
        criteria_service.remove_sub_criterion(current_user, competition, node.id)
    except ConflictError as error:
        flash(error.message, "error")
    else:
        flash(f"Sub-criterion {node.title} removed", "success")
    return redirect(_criteria_url(competition))
