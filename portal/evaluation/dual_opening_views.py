"""Opening the bids under dual control: the opening page, and starting, confirming and cancelling the opening
(portal.services.evaluation.opening). Any procurement officer of the buying organisation may use them; the service
says who may do what (the starter cannot confirm their own opening)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.access import roles
from portal.domain.roles import PROCUREMENT_OFFICERS
from portal.evaluation.forms import OpeningForm
from portal.forms_common import attach_error
from portal.services.competitions import access
from portal.services.errors import ConflictError
from portal.services.evaluation import opening, workflow

from .blueprint import bp


def _page(competition_id: int, form: OpeningForm):
    item = workflow.officer_competition(current_user, competition_id)
    now = workflow.utcnow()
    request = opening.request_of(item)
    people = workflow.names_of(item.opened_by_id, item.opening_confirmed_by_id, item.opening_started_by_id)
    return render_template(
        "evaluation/open.html",
        competition=item,
        state=access.state(item, now),
        form=form,
        opening_request=request,
        lapsed=request is not None and request.lapsed(now),
        deadline_passed=item.submission_deadline_at is not None and item.submission_deadline_at <= now,
        people=people,
    )


@bp.route("/<int:competition_id>/open")
@roles(PROCUREMENT_OFFICERS)
def open_bids(competition_id: int):
    return _page(competition_id, OpeningForm())


def _act(competition_id: int, action, done: str, then: str = "evaluation.open_bids"):
    form = OpeningForm()
    if form.validate_on_submit():
        try:
            action(current_user, competition_id)
        except ConflictError as error:
            attach_error(form, error)
            return _page(competition_id, form)  # the GOV.UK error summary, on the opening page
        flash(done, "success")
        return redirect(url_for(then, competition_id=competition_id))
    return redirect(url_for("evaluation.open_bids", competition_id=competition_id))


@bp.route("/<int:competition_id>/open/start", methods=["POST"])
@roles(PROCUREMENT_OFFICERS)
def start_opening(competition_id: int):
    return _act(competition_id, opening.start, "Opening started: a colleague must now confirm it")


@bp.route("/<int:competition_id>/open/confirm", methods=["POST"])
@roles(PROCUREMENT_OFFICERS)
def confirm_opening(competition_id: int):
    return _act(competition_id, opening.confirm, "Bids opened", then="evaluation.competition")


@bp.route("/<int:competition_id>/open/cancel", methods=["POST"])
@roles(PROCUREMENT_OFFICERS)
def cancel_opening(competition_id: int):
    return _act(competition_id, opening.cancel, "The opening was cancelled: the bids stay sealed")
