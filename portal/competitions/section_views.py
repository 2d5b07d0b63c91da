"""The price, timetable and suppliers sections of the builder."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.access import roles
from portal.competitions.forms import SuppliersForm, TimetableForm, london_instant, price_form, time_text
from portal.domain.roles import PROCUREMENT_OFFICERS
from portal.domain.scoring import PRICE_METHODS, TIE_BREAK_RULES
from portal.domain.timefmt import london
from portal.forms_common import attach_error
from portal.services.bids import eligibility as bid_eligibility
from portal.services.competitions import builder
from portal.services.competitions import builder_terms as terms
from portal.services.competitions import invitees as suppliers
from portal.services.errors import ConflictError, ValidationError

from .blueprint import bp

# Timetable problems from the domain, keyed by its field names, and the form fields they belong beside.
TIMETABLE_FIELDS = {
    "clarification_deadline_at": "clarification_date",
    "submission_deadline_at": "submission_date",
    "evaluation_on": "evaluation_on",
    "award_on": "award_on",
}


def _done(competition, message: str):
    flash(message, "success")
    return redirect(url_for("competitions.show", competition_id=competition.id))


@bp.route("/<int:competition_id>/price", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def price(competition_id: int):
    competition = builder.competition_for_officer(current_user, competition_id)
    choices = [
        SelectChoice(key, rule.description[0].upper() + rule.description[1:]) for key, rule in TIE_BREAK_RULES.items()
    ]
    form = price_form(competition, choices)
    if form.validate_on_submit():
        values = terms.PriceTerms(
            quantities={item.id: getattr(form, f"quantity_{item.id}").data for item in competition.lot.price_items},
            price_method=form.price_method.data,
            budget_pence=form.budget.data,
            tie_break=[form.tie_break_1.data, form.tie_break_2.data],
            abnormally_low_percent=form.abnormally_low_percent.data,
        )
        try:
            terms.set_price_terms(current_user, competition, values)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            return _done(competition, "Price schedule and scoring saved")
    return render_template(
        "competitions/price.html",
        form=form,
        competition=competition,
        methods=PRICE_METHODS,
        draft=builder.is_draft(competition),
    )


@bp.route("/<int:competition_id>/timetable", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def timetable(competition_id: int):
    competition = builder.competition_for_officer(current_user, competition_id)
    form = TimetableForm()
    if not form.is_submitted():
        _fill_timetable(form, competition)
    if form.validate_on_submit():
        clarify = london_instant(form, "clarification_date", "clarification_time", "clarification deadline")
        submit = london_instant(form, "submission_date", "submission_time", "submission deadline")
        if not form.errors:
            try:
                terms.set_timetable(
                    current_user,
                    competition,
                    clarification_deadline_at=clarify,
                    submission_deadline_at=submit,
                    evaluation_on=form.evaluation_on.data,
                    award_on=form.award_on.data,
                )
            except terms.TimetableInvalid as error:
                for name, message in error.errors.items():
                    attach_error(form, ValidationError(message, field=TIMETABLE_FIELDS.get(name)))
            except (ValidationError, ConflictError) as error:
                attach_error(form, error)
            else:
                return _done(competition, "Timetable saved")
    return render_template(
        "competitions/timetable.html",
        form=form,
        competition=competition,
        framework=competition.lot.framework,
        draft=builder.is_draft(competition),
    )


def _fill_timetable(form, competition) -> None:
    for prefix, instant in (
        ("clarification", competition.clarification_deadline_at),
        ("submission", competition.submission_deadline_at),
    ):
        getattr(form, f"{prefix}_date").data = london(instant).date() if instant else None
        getattr(form, f"{prefix}_time").data = time_text(instant)
    form.evaluation_on.data = competition.planned_evaluation_on
    form.award_on.data = competition.planned_award_on


@bp.route("/<int:competition_id>/suppliers", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def supplier_list(competition_id: int):
    competition = builder.competition_for_officer(current_user, competition_id)
    form = SuppliersForm()
    form.capability_ids.choices = [SelectChoice(c.id, c.name) for c in competition.lot.capabilities]
    if not form.is_submitted():
        form.capability_ids.data = [r.capability_id for r in competition.required_capabilities]
        form.narrowing_reason.data = competition.narrowing_reason
    if form.validate_on_submit():
        try:
            suppliers.set_required_capabilities(
                current_user, competition, form.capability_ids.data or [], form.narrowing_reason.data
            )
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            invited = len(suppliers.invitable_suppliers(competition))
            return _done(competition, f"Supplier list saved: {invited} to be invited")
    draft = builder.is_draft(competition)
    return render_template(
        "competitions/suppliers.html",
        form=form,
        competition=competition,
        standings=suppliers.supplier_standings(competition) if draft else [],
        # Suspended or excluded since invited: the supplier's standing only, the same whether or not it has a bid.
        bars={} if draft else bid_eligibility.bars(competition, [i.supplier_id for i in competition.invitations]),
        draft=draft,
    )
