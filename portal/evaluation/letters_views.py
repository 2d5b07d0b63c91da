"""Letters to bidders: after approval the buyer sends the assessment summaries (which tells every bidder and starts
generating every letter in the background) and watches the progress; a supplier downloads its own letter (rendered
in that request if it is not yet generated: one document, never the set)."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, url_for
from flask_login import current_user

from portal import jobs
from portal.access import roles
from portal.domain.roles import PROCUREMENT_OFFICERS, Role
from portal.evaluation.forms import ConfirmForm
from portal.services.documents import letters as document_letters
from portal.services.errors import ConflictError
from portal.services.evaluation import summaries, workflow

from .blueprint import bp


@bp.route("/<int:competition_id>/letters")
@roles(PROCUREMENT_OFFICERS)
def letters(competition_id: int):
    competition = workflow.officer_competition(current_user, competition_id)
    job = jobs.latest_job(competition.id)
    return render_template(
        "evaluation/letters.html",
        competition=competition,
        job=job,
        # A job whose worker died shows as failed, with a button to try again.
        job_status=jobs.shown_status(job) if job else None,
        job_error=jobs.shown_error(job) if job else "",
        active=jobs.is_active(job),
        decided=document_letters.is_decided(competition),
        sending=summaries.status(competition),
        letters=document_letters.letters(current_user, competition),
        form=ConfirmForm(),
    )


@bp.route("/<int:competition_id>/letters/progress")
@roles(PROCUREMENT_OFFICERS)
def letters_progress(competition_id: int):
    """The latest job's progress as JSON, which the Letters page polls while a job runs (no page refresh)."""
    competition = workflow.officer_competition(current_user, competition_id)
    job = jobs.latest_job(competition.id)
    if job is None:
        return jsonify(status=None, done=0, total=0)
    response = jsonify(status=jobs.shown_status(job), done=job.done_count, total=job.total)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:competition_id>/letters", methods=["POST"])
@roles(PROCUREMENT_OFFICERS)
def generate_letters(competition_id: int):
    workflow.officer_competition(current_user, competition_id)
    if ConfirmForm().validate_on_submit():
        try:
            jobs.enqueue_competition_letters(current_user, competition_id)
        except jobs.JobAlreadyRunning:
            flash("The letters are already being generated: their progress is shown below", "info")
        except ConflictError as error:
            flash(error.message, "error")
    return redirect(url_for("evaluation.letters", competition_id=competition_id))


@bp.route("/<int:competition_id>/assessment-summaries", methods=["POST"])
@roles(PROCUREMENT_OFFICERS)
def send_summaries(competition_id: int):
    """Send every assessed bidder its assessment summary, then generate every letter in the background."""
    workflow.officer_competition(current_user, competition_id)
    if ConfirmForm().validate_on_submit():
        try:
            summaries.send_assessment_summaries(current_user, competition_id)
        except ConflictError as error:
            flash(error.message, "error")
        else:
            flash("Assessment summaries sent: every bidder has been e-mailed its outcome and letter", "success")
            try:
                jobs.enqueue_competition_letters(current_user, competition_id)
            except ConflictError as error:  # already running: its progress is shown
                flash(error.message, "info")
    return redirect(url_for("evaluation.letters", competition_id=competition_id))


@bp.route("/outcomes/<int:competition_id>/letter")
@roles(Role.SUPPLIER)
def outcome_letter(competition_id: int):
    document = document_letters.issue_own_letter(current_user, competition_id)
    return redirect(url_for("documents.download", document_id=document.id))
