"""Framework staff: frameworks, lots, capabilities, price items and extension options.

This module holds the framework pages (list, create, edit, exercise an option); the lot,
capability and price item pages are in structure_views, on the same blueprint.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.access import roles
from portal.admin.frameworks.forms import ConfirmForm, FrameworkForm
from portal.domain.roles import BankHolidayRegion, OrganisationType, Role
from portal.domain.timefmt import format_date, today_london
from portal.forms_common import attach_error
from portal.services.errors import ConflictError, ValidationError
from portal.services.frameworks import editing

from .blueprint import bp


@bp.route("/")
@roles(Role.STAFF)
def index():
    return render_template("admin/frameworks/index.html", frameworks=editing.list_frameworks(), today=today_london())


@bp.route("/new", methods=["GET", "POST"])
@roles(Role.STAFF)
def new():
    form = FrameworkForm()
    if form.validate_on_submit():
        try:
            framework = editing.create_framework(current_user, form.details())
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash(f"Framework {framework.reference} created", "success")
            return redirect(url_for(".show", framework_id=framework.id))
    return render_template("admin/frameworks/framework_form.html", form=form, framework=None)


@bp.route("/<int:framework_id>")
@roles(Role.STAFF)
def show(framework_id: int):
    framework = editing.get_framework(framework_id)
    today = today_london()
    next_option = next((o for o in framework.extension_options if o.exercised_at is None), None)
    can_exercise = next_option is not None and editing.exercise_problem(framework, next_option, today) is None
    return render_template(
        "admin/frameworks/show.html",
        framework=framework,
        status=framework.status_on(today),
        next_option=next_option if can_exercise else None,
        buyer_labels={t.value: t.label for t in OrganisationType},
        region_labels={r.value: r.label for r in BankHolidayRegion},
    )


@bp.route("/<int:framework_id>/edit", methods=["GET", "POST"])
@roles(Role.STAFF)
def edit(framework_id: int):
    framework = editing.get_framework(framework_id)
    form = FrameworkForm.for_framework(framework)
    if form.validate_on_submit():
        try:
            editing.update_framework(current_user, framework, form.details())
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash(f"Framework {framework.reference} updated", "success")
            return redirect(url_for(".show", framework_id=framework.id))
    return render_template("admin/frameworks/framework_form.html", form=form, framework=framework)


@bp.route("/options/<int:option_id>/exercise", methods=["GET", "POST"])
@roles(Role.STAFF)
def exercise_option(option_id: int):
    option = editing.get_option(option_id)
    framework = option.framework
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            editing.exercise_extension(current_user, framework, option.id)
        except ConflictError as error:
            attach_error(form, error)
        else:
            flash(
                f"Option {option.sequence} exercised: {framework.reference} now ends on "
                f"{format_date(framework.current_end_on)}",
                "success",
            )
            return redirect(url_for(".show", framework_id=framework.id))
    return render_template(
        "admin/frameworks/exercise.html",
        form=form,
        framework=framework,
        option=option,
        problem=editing.exercise_problem(framework, option) if not form.errors else None,
        new_end_on=editing.end_if_exercised(framework, option),
    )
