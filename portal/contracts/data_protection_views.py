"""The contract's data protection schedule, completed by a procurement officer of the buying organisation at award."""

from __future__ import annotations

from flask import flash, redirect, render_template
from flask_login import current_user

from portal.access import roles
from portal.contracts.forms import DataProtectionForm
from portal.domain.roles import PROCUREMENT_OFFICERS
from portal.forms_common import attach_error
from portal.models.data_protection import PARTICULARS
from portal.services.contracts import call_offs, kpis
from portal.services.contracts import data_protection as schedules
from portal.services.contracts.data_protection import DataProtectionInput
from portal.services.errors import ConflictError, ValidationError

from .blueprint import bp, call_off_of, contract_url

_ANSWERS = {"yes": True, "no": False}


def _input(form: DataProtectionForm) -> DataProtectionInput:
    return DataProtectionInput(
        _ANSWERS.get(form.processes_personal_data.data or ""),
        **{name: form[name].data or "" for name in PARTICULARS},
        law_enforcement_processing=_ANSWERS.get(form.law_enforcement_processing.data or ""),
    )


def _answer(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


@bp.route("/competitions/<int:competition_id>/data-protection", methods=["GET", "POST"])
@bp.route("/direct-awards/<int:direct_award_id>/data-protection", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def data_protection(competition_id: int | None = None, direct_award_id: int | None = None):
    kind, call_off_id = call_off_of(competition_id, direct_award_id)
    call_off = call_offs.for_officer(current_user, kind, call_off_id)
    schedule = schedules.schedule_of(call_off)
    form = DataProtectionForm()
    if not form.is_submitted() and schedule is not None:
        form.processes_personal_data.data = _answer(schedule.processes_personal_data)
        for name in PARTICULARS:
            form[name].data = getattr(schedule, name)
        form.law_enforcement_processing.data = _answer(schedule.law_enforcement_processing)
    if form.validate_on_submit():
        try:
            schedules.save(current_user, kind, call_off_id, _input(form))
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash("Data protection schedule saved", "success")
            return redirect(contract_url(kind, call_off_id))
    return render_template(
        "contracts/data_protection.html",
        call_off=call_off,
        schedule=schedule,
        refusal=kpis.editing_refusal(call_off),
        form=form,
        contract_url=contract_url,
    )
