"""KPIs the buyer sets at award (procurement officers of the buying organisation), for both kinds of call-off."""

from __future__ import annotations

from flask import flash, redirect, render_template
from flask_login import current_user

from portal.access import roles
from portal.contracts.forms import ConfirmForm, KpiForm
from portal.domain.roles import PROCUREMENT_OFFICERS
from portal.forms_common import attach_error
from portal.services.contracts import call_offs
from portal.services.contracts import kpis as call_off_kpis
from portal.services.contracts.kpis import KpiInput
from portal.services.errors import ConflictError, ValidationError

from .blueprint import bp, call_off_of, contract_url


def _input(form: KpiForm) -> KpiInput:
    return KpiInput(form.title.data or "", form.measure.data or "", form.target.data or "")


@bp.route("/competitions/<int:competition_id>/kpis", methods=["GET", "POST"])
@bp.route("/direct-awards/<int:direct_award_id>/kpis", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def kpis(competition_id: int | None = None, direct_award_id: int | None = None):
    kind, call_off_id = call_off_of(competition_id, direct_award_id)
    call_off = call_offs.for_officer(current_user, kind, call_off_id)
    form = KpiForm()
    if form.validate_on_submit():
        try:
            kpi = call_off_kpis.add(current_user, kind, call_off_id, _input(form))
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash(f"KPI added: {kpi.title}", "success")
            return redirect(contract_url(kind, call_off_id, "contracts.kpis"))
    return render_template(
        "contracts/kpis.html",
        call_off=call_off,
        kpis=call_off_kpis.kpis_of(call_off),
        refusal=call_off_kpis.editing_refusal(call_off),
        form=form,
        contract_url=contract_url,
    )


@bp.route("/competitions/<int:competition_id>/kpis/<int:kpi_id>", methods=["GET", "POST"])
@bp.route("/direct-awards/<int:direct_award_id>/kpis/<int:kpi_id>", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def edit_kpi(kpi_id: int, competition_id: int | None = None, direct_award_id: int | None = None):
    kind, call_off_id = call_off_of(competition_id, direct_award_id)
    call_off, kpi = call_off_kpis.get_kpi(current_user, kind, call_off_id, kpi_id)
    form = KpiForm(obj=kpi)
    if form.validate_on_submit():
        try:
            call_off_kpis.update(current_user, kind, call_off_id, kpi_id, _input(form))
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash(f"KPI changed: {form.title.data}", "success")
            return redirect(contract_url(kind, call_off_id, "contracts.kpis"))
    refusal = call_off_kpis.editing_refusal(call_off)
    return render_template(
        "contracts/kpi_form.html", call_off=call_off, kpi=kpi, form=form, refusal=refusal, contract_url=contract_url
    )


@bp.route("/competitions/<int:competition_id>/kpis/<int:kpi_id>/remove", methods=["GET", "POST"])
@bp.route("/direct-awards/<int:direct_award_id>/kpis/<int:kpi_id>/remove", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def remove_kpi(kpi_id: int, competition_id: int | None = None, direct_award_id: int | None = None):
    kind, call_off_id = call_off_of(competition_id, direct_award_id)
    call_off, kpi = call_off_kpis.get_kpi(current_user, kind, call_off_id, kpi_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            call_off_kpis.remove(current_user, kind, call_off_id, kpi_id)
        except ConflictError as error:
            attach_error(form, error)
        else:
            flash(f"KPI removed: {kpi.title}", "success")
            return redirect(contract_url(kind, call_off_id, "contracts.kpis"))
    return render_template(
        "contracts/kpi_remove.html", call_off=call_off, kpi=kpi, form=form, contract_url=contract_url
    )
