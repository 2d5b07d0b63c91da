"""Results with robustness and chart, abnormally low prices, recommendation and approval of the award."""

from __future__ import annotations

from functools import lru_cache

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from portal.access import roles
from portal.domain.roles import PROCUREMENT_OFFICERS, Role
from portal.domain.scoring import display_down
from portal.evaluation import approval_views, charts
from portal.evaluation.forms import ConfirmForm, DecisionForm, ExplanationForm, RecommendForm, options
from portal.forms_common import attach_error
from portal.services import approvals
from portal.services.errors import ConflictError, NotFoundError, ValidationError
from portal.services.evaluation import award, moderation, results, workflow

from .blueprint import bp


@lru_cache(maxsize=4096, typed=True)  # typed: a Markup value must not share a plain string's entry
def _numeric_cell(value: str) -> str:
    return f'<td class="govuk-table__cell govuk-table__cell--numeric">{escape(value)}</td>'


def numeric_cells(values) -> Markup:
    """A row's score cells as one string: 10,000 cells rendered one by one in Jinja cost more than the scoring.
    Each value (a number or a dash from services.results) is still escaped; scores take a handful of values, so
    each distinct cell is built once (the bounded cache holds only these short number strings)."""
    return Markup("".join(map(_numeric_cell, values)))  # noqa: S704 - every interpolated value went through escape()


@bp.route("/<int:competition_id>/results", endpoint="results")
@roles(PROCUREMENT_OFFICERS)
def results_page(competition_id: int):
    item = workflow.officer_competition(current_user, competition_id)
    outcome = results.competition_results(current_user, item)
    return render_template(
        "evaluation/results.html",
        competition=item,
        outcome=outcome,
        pasted=moderation.pasted_rationales(item),
        chart=charts.results_chart(outcome),
        below_mean_text=results.below_mean_text,
        display_down=display_down,
        numeric_cells=numeric_cells,
    )


@bp.route("/<int:competition_id>/bids/<int:bid_id>/price-explanation")
@roles(PROCUREMENT_OFFICERS)
def price_explanation(competition_id: int, bid_id: int, forms=None):
    item = workflow.officer_competition(current_user, competition_id)
    outcome = results.competition_results(current_user, item)
    row = next((r for r in outcome.rows if r.bid.id == bid_id), None)
    if row is None or not (row.result.abnormally_low or row.explanation):
        raise NotFoundError("No abnormally low price to review for this bid")
    forms = forms or {}
    return render_template(
        "evaluation/price_explanation.html",
        competition=item,
        row=row,
        below=results.below_mean_text(row.result),
        request_form=forms.get("request") or ConfirmForm(),
        record_form=forms.get("record") or ExplanationForm(prefix="record"),
        form=forms.get("decide") or DecisionForm(prefix="decide"),
    )


@bp.route("/<int:competition_id>/bids/<int:bid_id>/price-explanation/request", methods=["POST"])
@roles(PROCUREMENT_OFFICERS)
def request_explanation(competition_id: int, bid_id: int):
    workflow.officer_competition(current_user, competition_id)
    if ConfirmForm().validate_on_submit():
        try:
            award.request_explanation(current_user, competition_id, bid_id)
        except ConflictError as error:
            flash(error.message, "error")
        else:
            flash("Explanation requested: the supplier has been emailed", "success")
    return redirect(url_for("evaluation.price_explanation", competition_id=competition_id, bid_id=bid_id))


@bp.route("/<int:competition_id>/bids/<int:bid_id>/price-explanation/record", methods=["POST"])
@roles(PROCUREMENT_OFFICERS)
def record_explanation(competition_id: int, bid_id: int):
    item = workflow.officer_competition(current_user, competition_id)
    form = ExplanationForm(prefix="record")
    if form.validate_on_submit():
        bid = workflow.competition_bid(current_user, item, bid_id)
        try:
            award.record_explanation(current_user, item, bid, form.explanation.data)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash("Explanation recorded", "success")
            return redirect(url_for("evaluation.price_explanation", competition_id=competition_id, bid_id=bid_id))
    return price_explanation(competition_id, bid_id, forms={"record": form})


@bp.route("/<int:competition_id>/bids/<int:bid_id>/price-explanation/decide", methods=["POST"])
@roles(PROCUREMENT_OFFICERS)
def decide_explanation(competition_id: int, bid_id: int):
    workflow.officer_competition(current_user, competition_id)
    form = DecisionForm(prefix="decide")
    if form.validate_on_submit():
        try:
            done = award.decide_explanation(current_user, competition_id, bid_id, form.outcome.data, form.reason.data)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash(f"Explanation {done.outcome}", "success")
            return redirect(url_for("evaluation.results", competition_id=competition_id))
    return price_explanation(competition_id, bid_id, forms={"decide": form})


@bp.route("/<int:competition_id>/recommend", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def recommend(competition_id: int):
    item = workflow.officer_competition(current_user, competition_id)
    outcome = results.competition_results(current_user, item)
    form = RecommendForm()
    allowed = award.recommendable(current_user, item, outcome)  # the rule recommend() applies, so they agree
    form.bid_id.choices = options(
        [(str(r.bid.id), f"{r.bid.supplier.short_name} (rank {r.result.rank}, total {r.total})") for r in allowed.rows]
    )
    if form.validate_on_submit():
        try:
            award.recommend(
                current_user, competition_id, form.bid_id.data, form.note.data, form.standstill.data != "no"
            )
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash("Award recommended: an approver must now approve it", "success")
            return redirect(url_for("evaluation.competition", competition_id=competition_id))
    steps = approvals.history(competition_id=item.id)
    return render_template(
        "evaluation/recommend.html",
        competition=item,
        outcome=outcome,
        form=form,
        allowed=allowed,
        returned=approvals.latest_return(steps),
    )


@bp.route("/<int:competition_id>/approve", methods=["GET", "POST"])
@roles(Role.APPROVER)
def approve(competition_id: int):
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            award.approve(current_user, competition_id)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash("Award approved: send the assessment summaries to every bidder next", "success")
            return redirect(url_for("evaluation.competition", competition_id=competition_id))
    return approval_views.approve_page(competition_id, approve_form=form)
