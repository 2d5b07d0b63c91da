"""Buyer side of mini-competitions: the task-list builder, review and publish, deadline extension, cancel.

Every route is for procurement officers (buyers and approvers); services scope each competition to the
officer's own organisation, so another organisation's competition is a 404. The sections' pages are in
criteria_views and section_views, on the same blueprint.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.access import roles
from portal.competitions.forms import (
    DetailsForm,
    ExtendForm,
    NewCompetitionForm,
    PublishForm,
    ReasonForm,
    london_instant,
)
from portal.domain.roles import PROCUREMENT_OFFICERS
from portal.forms_common import attach_error
from portal.services.competitions import access, builder, publication, tasks
from portal.services.competitions.review import review_context
from portal.services.errors import ConflictError, ServiceError, ValidationError

from .blueprint import bp


def task_list_url(competition) -> str:
    return url_for("competitions.show", competition_id=competition.id)


@bp.route("/")
@roles(PROCUREMENT_OFFICERS)
def index():
    competitions = builder.own_competitions(current_user)
    states = {c.id: access.state(c) for c in competitions}
    return render_template("competitions/index.html", competitions=competitions, states=states)


@bp.route("/new", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def new():
    form = NewCompetitionForm()
    lots = builder.startable_lots(current_user)
    form.lot_id.choices = [SelectChoice(lot.id, f"{lot.framework.reference}: {lot.label}") for lot in lots]
    if form.validate_on_submit():
        try:
            competition = builder.create_competition(current_user, lot_id=form.lot_id.data, title=form.title.data)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash(f"Competition {competition.reference} started", "success")
            return redirect(task_list_url(competition))
    return render_template("competitions/new.html", form=form, lots=lots)


@bp.route("/<int:competition_id>")
@roles(PROCUREMENT_OFFICERS)
def show(competition_id: int):
    competition = builder.competition_for_officer(current_user, competition_id)
    task_list = tasks.tasks(competition)
    return render_template(
        "competitions/task_list.html",
        competition=competition,
        tasks=task_list,
        progress=tasks.progress(task_list),
        state=access.state(competition),
        draft=builder.is_draft(competition),
    )


@bp.route("/<int:competition_id>/details", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def details(competition_id: int):
    competition = builder.competition_for_officer(current_user, competition_id)
    form = DetailsForm(obj=competition)
    if not form.is_submitted():
        form.estimated_value.data = competition.estimated_value_pence or None
    if form.validate_on_submit():
        values = builder.Details(
            form.title.data,
            form.statement_of_requirements.data,
            form.estimated_value.data,
            form.term_months.data,
            form.planned_start_on.data,
        )
        try:
            builder.update_details(current_user, competition, values)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash("Details saved", "success")
            return redirect(task_list_url(competition))
    return render_template(
        "competitions/details.html", form=form, competition=competition, draft=builder.is_draft(competition)
    )


@bp.route("/<int:competition_id>/review", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def review(competition_id: int):
    competition = builder.competition_for_officer(current_user, competition_id)
    form = PublishForm()
    if form.validate_on_submit():
        try:
            publication.publish(current_user, competition.id)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash(f"Competition {competition.reference} published: invited suppliers have been emailed", "success")
            return redirect(task_list_url(competition))
    return render_template("competitions/review.html", form=form, **review_context(competition))


@bp.route("/<int:competition_id>/extend", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def extend(competition_id: int):
    competition = builder.competition_for_officer(current_user, competition_id)
    form = ExtendForm()
    if form.validate_on_submit():
        new_deadline = london_instant(form, "new_date", "new_time", "new deadline")
        if not form.errors:
            try:
                publication.extend_deadline(current_user, competition.id, new_deadline, form.reason.data)
            except (ValidationError, ConflictError) as error:
                attach_error(form, _on_date(error))
            else:
                flash("Deadline extended: every invited supplier has been told", "success")
                return redirect(task_list_url(competition))
    return render_template("competitions/extend.html", form=form, competition=competition)


def _on_date(error: ServiceError) -> ServiceError:
    if error.field == "new_deadline":
        error.field = "new_date"
    return error


@bp.route("/<int:competition_id>/cancel", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def cancel(competition_id: int):
    competition = builder.competition_for_officer(current_user, competition_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            publication.cancel(current_user, competition.id, form.reason.data)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash(f"Competition {competition.reference} cancelled", "success")
            return redirect(task_list_url(competition))
    return render_template("competitions/cancel.html", form=form, competition=competition)
