"""Framework staff: a lot's call-off award criteria (groups, weight ranges, criteria).

Registered on the `admin_frameworks` blueprint; groups and criteria are addressed by their own ids.
"""

from __future__ import annotations

from flask import render_template, url_for
from flask_login import current_user

from portal.access import roles
from portal.admin.frameworks.criteria_forms import AwardCriterionForm, AwardGroupForm
from portal.admin.frameworks.forms import ConfirmForm
from portal.domain.roles import Role
from portal.domain.scoring import percent_text
from portal.services.frameworks import award_criteria as criteria
from portal.services.frameworks import structure

from .blueprint import bp, save

FORM_TEMPLATE = "admin/frameworks/criteria/form.html"


def _criteria_url(lot) -> str:
    return url_for(".award_criteria", lot_id=lot.id)


@bp.route("/lots/<int:lot_id>/award-criteria")
@roles(Role.STAFF)
def award_criteria(lot_id: int):
    lot = structure.get_lot(lot_id)
    groups = criteria.groups_for(lot)
    return render_template(
        "admin/frameworks/criteria/index.html",
        lot=lot,
        groups=groups,
        kinds=criteria.GROUP_KINDS,
        criterion_kinds=criteria.CRITERION_KINDS,
        ranges_problem=criteria.weight_ranges_problem(groups),
        pct=percent_text,
        group_used={g.id: criteria.group_in_use(g) for g in groups},
        criterion_used={c.id: criteria.criterion_in_use(c) for g in groups for c in g.criteria},
    )


@bp.route("/lots/<int:lot_id>/award-criteria/groups/new", methods=["GET", "POST"])
@roles(Role.STAFF)
def award_group_new(lot_id: int):
    lot = structure.get_lot(lot_id)
    form = AwardGroupForm()
    done = save(
        form,
        lambda: criteria.add_group(current_user, lot, **form.values()),
        f"Group added: {form.name.data}",
        _criteria_url(lot),
    )
    return done or render_template(FORM_TEMPLATE, form=form, lot=lot, heading="Add a group of award criteria")


@bp.route("/award-criteria/groups/<int:group_id>/edit", methods=["GET", "POST"])
@roles(Role.STAFF)
def award_group_edit(group_id: int):
    group = criteria.get_group(group_id)
    form = AwardGroupForm(obj=group)
    if not form.is_submitted():
        form.min_weight.data = f"{group.min_weight.normalize():f}"
        form.max_weight.data = f"{group.max_weight.normalize():f}"
    done = save(
        form,
        lambda: criteria.update_group(current_user, group, **form.values()),
        f"Group updated: {form.name.data}",
        _criteria_url(group.lot),
    )
    return done or render_template(FORM_TEMPLATE, form=form, lot=group.lot, heading=f"Change group {group.name}")


@bp.route("/award-criteria/groups/<int:group_id>/remove", methods=["GET", "POST"])
@roles(Role.STAFF)
def award_group_remove(group_id: int):
    group = criteria.get_group(group_id)
    lot, name = group.lot, group.name
    form = ConfirmForm()
    done = save(form, lambda: criteria.remove_group(current_user, group), f"Group removed: {name}", _criteria_url(lot))
    return done or render_template(
        "admin/frameworks/criteria/remove.html",
        form=form,
        lot=lot,
        what="group",
        name=name,
        problem=criteria.group_removal_problem(group) if not form.errors else None,
    )


@bp.route("/award-criteria/groups/<int:group_id>/criteria/new", methods=["GET", "POST"])
@roles(Role.STAFF)
def award_criterion_new(group_id: int):
    group = criteria.get_group(group_id)
    form = AwardCriterionForm()
    done = save(
        form,
        lambda: criteria.add_criterion(current_user, group, **form.values()),
        f"Criterion added: {form.title.data}",
        _criteria_url(group.lot),
    )
    return done or render_template(
        FORM_TEMPLATE, form=form, lot=group.lot, heading=f"Add a criterion to {group.name}", group=group
    )


@bp.route("/award-criteria/criteria/<int:criterion_id>/edit", methods=["GET", "POST"])
@roles(Role.STAFF)
def award_criterion_edit(criterion_id: int):
    criterion = criteria.get_criterion(criterion_id)
    lot = criterion.group.lot
    form = AwardCriterionForm(obj=criterion)
    done = save(
        form,
        lambda: criteria.update_criterion(current_user, criterion, **form.values()),
        f"Criterion updated: {form.title.data}",
        _criteria_url(lot),
    )
    return done or render_template(
        FORM_TEMPLATE, form=form, lot=lot, heading=f"Change criterion {criterion.title}", group=criterion.group
    )


@bp.route("/award-criteria/criteria/<int:criterion_id>/remove", methods=["GET", "POST"])
@roles(Role.STAFF)
def award_criterion_remove(criterion_id: int):
    criterion = criteria.get_criterion(criterion_id)
    lot, name = criterion.group.lot, criterion.title
    form = ConfirmForm()
    done = save(
        form,
        lambda: criteria.remove_criterion(current_user, criterion),
        f"Criterion removed: {name}",
        _criteria_url(lot),
    )
    return done or render_template(
        "admin/frameworks/criteria/remove.html",
        form=form,
        lot=lot,
        what="criterion",
        name=name,
        problem=criteria.criterion_removal_problem(criterion) if not form.errors else None,
    )
