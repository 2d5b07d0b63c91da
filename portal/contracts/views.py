"""The contract page of a call-off (buyer's officers and the winning supplier), generating it, and signing it.

Each page serves both kinds of call-off: /contracts/competitions/<id> and /contracts/direct-awards/<id>.
The KPI pages are in kpi_views, on the same blueprint.
"""

from __future__ import annotations

from flask import flash, redirect, render_template
from flask_login import current_user

from portal.access import roles
from portal.contracts.forms import ConfirmForm, SignForm
from portal.domain.roles import PROCUREMENT_OFFICERS, Role
from portal.forms_common import attach_error
from portal.services.contracts import signing as contract_signing
from portal.services.documents import contract, register
from portal.services.errors import ConflictError, ValidationError

from .blueprint import bp, call_off_of, contract_url

PARTIES = (*PROCUREMENT_OFFICERS, Role.SUPPLIER)


@bp.route("/competitions/<int:competition_id>")
@bp.route("/direct-awards/<int:direct_award_id>")
@roles(PARTIES)
def show(competition_id: int | None = None, direct_award_id: int | None = None):
    kind, call_off_id = call_off_of(competition_id, direct_award_id)
    status = contract.status(current_user, kind, call_off_id)
    return render_template(
        "contracts/show.html",
        status=status,
        call_off=status.call_off,
        versions=register.versions(status.latest) if status.latest else [],
        form=ConfirmForm(),
        contract_url=contract_url,
    )


@bp.route("/competitions/<int:competition_id>/generate", methods=["POST"])
@bp.route("/direct-awards/<int:direct_award_id>/generate", methods=["POST"])
@roles(PARTIES)
def generate(competition_id: int | None = None, direct_award_id: int | None = None):
    kind, call_off_id = call_off_of(competition_id, direct_award_id)
    if ConfirmForm().validate_on_submit():
        try:
            document = contract.generate(current_user, kind, call_off_id)
        except ConflictError as error:
            flash(error.message, "error")
        else:
            flash(f"Version {document.version} of the contract is ready to download", "success")
    return redirect(contract_url(kind, call_off_id))


@bp.route("/<int:document_id>/sign", methods=["GET", "POST"])
@roles(Role.APPROVER, Role.SUPPLIER)
def sign(document_id: int):
    signing = contract_signing.target(current_user, document_id)
    call_off = signing.call_off
    form = SignForm()
    form.confirm.label.text = f"I confirm that I am signing this contract on behalf of {signing.organisation}"
    if not form.is_submitted():
        form.signer_name.data = current_user.name
    refusal = contract_signing.refusal(signing)
    if form.validate_on_submit():
        try:
            outcome = contract_signing.sign(
                current_user, document_id, form.signer_name.data, form.signer_role.data, form.confirm.data
            )
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            done = "Both parties have signed: the signed contract is ready" if outcome.signed else "You have signed"
            flash(f"{done}. {call_off.reference} contract version {signing.document.version}", "success")
            return redirect(contract_url(call_off.kind, call_off.id))
    return render_template("contracts/sign.html", form=form, signing=signing, call_off=call_off, refusal=refusal)
