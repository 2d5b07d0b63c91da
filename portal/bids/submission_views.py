"""Check and submit (or amend), withdraw, and the receipt of every submitted version."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.access import roles
from portal.bids.forms import ConfirmForm
from portal.domain.roles import Role
from portal.services.bids import drafting
from portal.services.bids import submission as bid_submission
from portal.services.errors import ConflictError

from .blueprint import bp, to_competition


def _check_page(competition, bid, form, problems, refusal=None, status=200):
    return render_template(
        "bids/check.html",
        form=form,
        competition=competition,
        bid=bid,
        problems=problems,
        refusal=refusal,
        criteria=drafting.leaf_criteria(competition),
        answers=drafting.draft_answers(bid),
        words=drafting.word_counts(bid),
        schedule=drafting.schedule(competition, bid),
        open_for_bids=drafting.bidding_open(competition),
    ), status


@bp.route("/competitions/<int:competition_id>/submit", methods=["GET", "POST"])
@roles(Role.SUPPLIER)
def submit(competition_id: int):
    competition, bid = drafting.draft_for_editing(current_user, competition_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            submission = bid_submission.submit(current_user, competition.id)
        except bid_submission.SubmissionIncomplete as error:
            return _check_page(competition, bid, form, error.problems)
        except ConflictError as error:
            return _check_page(competition, bid, form, [], refusal=error.message)
        # The receipt page's panel confirms the submission; no banner needed on top of it.
        return redirect(url_for("bids.receipt", submission_id=submission.id))
    return _check_page(competition, bid, form, [])


@bp.route("/competitions/<int:competition_id>/withdraw", methods=["GET", "POST"])
@roles(Role.SUPPLIER)
def withdraw(competition_id: int):
    competition, bid = drafting.draft_for_editing(current_user, competition_id)
    form = ConfirmForm()
    refusal = None
    if form.validate_on_submit():
        try:
            withdrawn = bid_submission.withdraw(current_user, competition.id)
        except ConflictError as error:
            refusal = error.message
        else:
            flash(f"Version {withdrawn.version} of your bid has been withdrawn", "success")
            return to_competition(competition.id)
    return render_template("bids/withdraw.html", form=form, competition=competition, bid=bid, refusal=refusal)


@bp.route("/submissions/<int:submission_id>/receipt")
@roles(Role.SUPPLIER)
def receipt(submission_id: int):
    return render_template("bids/receipt.html", receipt=bid_submission.receipt(current_user, submission_id))
