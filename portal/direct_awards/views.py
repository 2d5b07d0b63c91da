"""Direct awards, buyer side steps 1-5: the task list, framework and lot, requirement, quantities, results, freeze.

Steps 6 (recommend, approve, cancel) are in award_views and the supplier's pages in supplier_views, on this
blueprint. Every step persists when saved, so nothing is lost if the session expires mid-journey.
"""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.access import roles
from portal.direct_awards.forms import FreezeForm, LotForm, RequirementForm, quantities_form
from portal.domain.paging import page_of
from portal.domain.roles import PROCUREMENT_OFFICERS
from portal.forms_common import attach_error, parse_page
from portal.services import approvals
from portal.services.direct_awards import decisions
from portal.services.direct_awards import requirements as awards
from portal.services.direct_awards import shortlist as shortlists
from portal.services.errors import ConflictError, ValidationError
from portal.services.notices import standstill

from .blueprint import bp, task_url


def _result_pages(content: dict) -> dict:
    """The capable and the not-capable suppliers a page at a time, each list with its own page number in the URL,
    so a lot of thousands of suppliers stays a page a browser can show. The CSV has every row."""
    size = current_app.config["DIRECT_AWARD_RESULTS_PAGE_SIZE"]
    return {
        f"{name}_page": page_of(content[name], parse_page(request.args.get(f"{name}_page")), size)
        for name in ("capable", "not_capable")
    }


@bp.route("/")
@roles(PROCUREMENT_OFFICERS)
def index():
    return render_template("direct_awards/index.html", awards=awards.list_for_officer(current_user))


def _lot_form(award=None):
    choices = awards.lot_choices(current_user)
    form = LotForm(data={"lot_id": award.lot_id} if award else None)
    form.lot_id.choices = [
        SelectChoice(c.lot.id, f"{c.framework.reference}: {c.lot.label}") for c in choices if c.allowed
    ]
    return form, choices


@bp.route("/new", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def new():
    form, choices = _lot_form()
    if form.validate_on_submit():
        try:
            award = awards.start(current_user, form.lot_id.data)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error, "lot_id")
        else:
            flash(f"Direct award {award.reference} started", "success")
            return redirect(task_url(award))
    return render_template("direct_awards/lot.html", form=form, choices=choices, award=None)


@bp.route("/<int:direct_award_id>")
@roles(PROCUREMENT_OFFICERS)
def show(direct_award_id: int):
    award = awards.get_for_officer(current_user, direct_award_id)
    return render_template(
        "direct_awards/show.html",
        award=award,
        current=shortlists.current_shortlist(award),
        superseded=shortlists.superseded(award),
        people=decisions.people(award),
        standstill_info=standstill.summary(award),
        returned=approvals.latest_return(approvals.history(direct_award_id=award.id)),
    )


@bp.route("/<int:direct_award_id>/lot", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def lot(direct_award_id: int):
    award = awards.get_for_officer(current_user, direct_award_id)
    form, choices = _lot_form(award)
    if form.validate_on_submit():
        try:
            awards.change_lot(current_user, award, form.lot_id.data)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error, "lot_id")
        else:
            flash("Framework and lot saved", "success")
            return redirect(task_url(award))
    return render_template("direct_awards/lot.html", form=form, choices=choices, award=award)


@bp.route("/<int:direct_award_id>/requirement", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def requirement(direct_award_id: int):
    award = awards.get_for_officer(current_user, direct_award_id)
    saved = {
        "title": award.title,
        "statement": award.statement_of_requirements,
        "capability_ids": [c.capability_id for c in award.capabilities],
        "schemes": [a.scheme for a in award.accreditations],
        "term_months": award.term_months,
        "planned_start_on": award.planned_start_on,
    }
    form = RequirementForm(data=saved)
    form.capability_ids.choices = [SelectChoice(c.id, c.name) for c in award.lot.capabilities]
    form.schemes.choices = [SelectChoice(s, s) for s in awards.accreditation_schemes()]
    form.max_call_off_months = award.lot.framework.max_call_off_months
    if form.validate_on_submit():
        data = awards.RequirementInput(
            form.title.data, form.statement.data, form.capability_ids.data or [], form.schemes.data or [],
            form.term_months.data, form.planned_start_on.data,
        )  # fmt: skip
        try:
            awards.save_requirement(current_user, award, data)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash("Requirement saved", "success")
            return redirect(task_url(award))
    return render_template("direct_awards/requirement.html", form=form, award=award)


@bp.route("/<int:direct_award_id>/quantities", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def quantities(direct_award_id: int):
    award = awards.get_for_officer(current_user, direct_award_id)
    items = award.lot.price_items
    form = quantities_form(items, {f"quantity_{q.price_item_id}": q.quantity for q in award.quantities})
    if form.validate_on_submit():
        given = {i.id: form[f"quantity_{i.id}"].data for i in items}
        try:
            awards.save_quantities(current_user, award, given)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash("Quantities saved", "success")
            return redirect(task_url(award))
    return render_template("direct_awards/quantities.html", form=form, award=award, items=items)


@bp.route("/<int:direct_award_id>/results")
@roles(PROCUREMENT_OFFICERS)
def results(direct_award_id: int):
    award = awards.get_for_officer(current_user, direct_award_id)
    if not awards.ready_for_results(award):
        flash("Complete the requirement and the quantities to see the results")
        return redirect(task_url(award))
    content = shortlists.live_content(award)
    return render_template(
        "direct_awards/results.html",
        award=award,
        content=content,
        current=shortlists.current_shortlist(award),
        form=FreezeForm(),
        **_result_pages(content),
    )


@bp.route("/<int:direct_award_id>/results.csv")
@roles(PROCUREMENT_OFFICERS)
def results_csv(direct_award_id: int):
    award = awards.get_for_officer(current_user, direct_award_id)
    if not awards.ready_for_results(award):
        flash("Complete the requirement and the quantities to see the results")
        return redirect(task_url(award))
    text = shortlists.export_csv(current_user, award, shortlists.live_content(award))
    filename = f"{award.reference}-results.csv"
    return Response(text, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/<int:direct_award_id>/freeze", methods=["POST"])
@roles(PROCUREMENT_OFFICERS)
def freeze(direct_award_id: int):
    award = awards.get_for_officer(current_user, direct_award_id)
    try:
        frozen = shortlists.freeze(current_user, award)
    except ConflictError as error:
        flash(error.message)
        return redirect(task_url(award))
    flash(f"Shortlist version {frozen.version} frozen", "success")
    return redirect(url_for(".shortlist", shortlist_id=frozen.id))


@bp.route("/shortlists/<int:shortlist_id>")
@roles(PROCUREMENT_OFFICERS)
def shortlist(shortlist_id: int):
    award, frozen = shortlists.get_shortlist(current_user, shortlist_id)
    current = shortlists.current_shortlist(award)
    content = shortlists.content_of(frozen)
    return render_template(
        "direct_awards/shortlist.html",
        award=award,
        frozen=frozen,
        content=content,
        is_current=current is not None and current.id == frozen.id,
        **_result_pages(content),
    )
