"""Supplier self-service: profile, capability evidence, accreditations, colleagues.

Every page acts on the signed-in user's own supplier (`current_user.supplier_id`); no route takes a
supplier id, so one supplier can never reach another's records. Ids of child records (capability,
accreditation, colleague) are checked against that supplier by the services.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.access import roles
from portal.domain.roles import Role
from portal.domain.timefmt import today_london
from portal.forms_common import attach_error
from portal.services.errors import ConflictError, ValidationError
from portal.services.people import users
from portal.services.suppliers import evidence as supplier_evidence
from portal.services.suppliers import price_cards, profiles
from portal.supplier.forms import (
    AccreditationForm,
    ConfirmForm,
    EvidenceForm,
    InviteColleagueForm,
    SupplierContactForm,
)

from .blueprint import bp


def _profile(anchor: str | None = None):
    return redirect(url_for(".profile", _anchor=anchor))


@bp.route("/profile")
@roles(Role.SUPPLIER)
def profile():
    supplier = profiles.own_supplier(current_user)
    return render_template(
        "supplier/profile.html",
        supplier=supplier,
        lot_claims=supplier_evidence.claims_by_lot(current_user, supplier),
        price_cards=[
            (m, price_cards.price_card(supplier, m.lot, today_london()))
            for m in supplier_evidence.memberships_of(supplier)
        ],
        today=today_london(),
    )


@bp.route("/profile/edit", methods=["GET", "POST"])
@roles(Role.SUPPLIER)
def edit_profile():
    supplier = profiles.own_supplier(current_user)
    form = SupplierContactForm(obj=supplier)
    if form.validate_on_submit():
        values = {name: getattr(form, name).data or "" for name in profiles.SELF_SERVICE_FIELDS}
        try:
            changed = profiles.update_supplier(current_user, supplier, values)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error, "trading_name")
        else:
            flash("Your profile has been updated" if changed else "No changes to save", "success")
            return _profile()
    return render_template("supplier/edit_profile.html", form=form, supplier=supplier)


@bp.route("/capabilities/<int:capability_id>/evidence", methods=["GET", "POST"])
@roles(Role.SUPPLIER)
def evidence(capability_id: int):
    supplier = profiles.own_supplier(current_user)
    capability, claim = supplier_evidence.claimable_capability(current_user, supplier, capability_id)
    form = EvidenceForm(obj=claim)
    if form.validate_on_submit():
        try:
            supplier_evidence.save_claim(current_user, supplier, capability.id, form.evidence.data)
        except ValidationError as error:
            attach_error(form, error, "evidence")
        else:
            flash(f"Evidence for '{capability.name}' saved", "success")
            return _profile("capabilities")
    return render_template(
        "supplier/evidence.html",
        form=form,
        capability=capability,
        claim=claim,
        max_chars=supplier_evidence.EVIDENCE_MAX_CHARACTERS,
    )


def _accreditation_values(form: AccreditationForm) -> dict:
    return {
        "scheme": form.chosen_scheme(),
        "certificate_reference": form.certificate_reference.data,
        "awarded_on": form.awarded_on.data,
        "expires_on": form.expires_on.data,
    }


@bp.route("/accreditations/new", methods=["GET", "POST"])
@roles(Role.SUPPLIER)
def add_accreditation():
    supplier = profiles.own_supplier(current_user)
    form = AccreditationForm()
    if form.validate_on_submit():
        try:
            supplier_evidence.add_accreditation(current_user, supplier, **_accreditation_values(form))
        except ValidationError as error:
            attach_error(form, error, "scheme")
        else:
            flash(f"{form.chosen_scheme()} accreditation added", "success")
            return _profile("accreditations")
    return render_template("supplier/accreditation_form.html", form=form, accreditation=None)


@bp.route("/accreditations/<int:accreditation_id>/edit", methods=["GET", "POST"])
@roles(Role.SUPPLIER)
def edit_accreditation(accreditation_id: int):
    supplier = profiles.own_supplier(current_user)
    accreditation = supplier_evidence.get_accreditation(supplier, accreditation_id)
    form = AccreditationForm(obj=accreditation)
    if not form.is_submitted():
        form.show_scheme(accreditation.scheme)
    if form.validate_on_submit():
        try:
            supplier_evidence.update_accreditation(current_user, accreditation, **_accreditation_values(form))
        except ValidationError as error:
            attach_error(form, error, "scheme")
        else:
            flash(f"{accreditation.scheme} accreditation saved", "success")
            return _profile("accreditations")
    return render_template("supplier/accreditation_form.html", form=form, accreditation=accreditation)


@bp.route("/accreditations/<int:accreditation_id>/remove", methods=["GET", "POST"])
@roles(Role.SUPPLIER)
def remove_accreditation(accreditation_id: int):
    supplier = profiles.own_supplier(current_user)
    accreditation = supplier_evidence.get_accreditation(supplier, accreditation_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        scheme = accreditation.scheme
        supplier_evidence.remove_accreditation(current_user, accreditation)
        flash(f"{scheme} accreditation removed", "success")
        return _profile("accreditations")
    return render_template("supplier/accreditation_remove.html", form=form, accreditation=accreditation)


@bp.route("/colleagues")
@roles(Role.SUPPLIER)
def colleagues():
    supplier = profiles.own_supplier(current_user)
    return render_template(
        "supplier/colleagues.html", supplier=supplier, colleagues=profiles.supplier_users(supplier), form=None
    )


@bp.route("/colleagues/invite", methods=["GET", "POST"])
@roles(Role.SUPPLIER)
def invite_colleague():
    supplier = profiles.own_supplier(current_user)
    form = InviteColleagueForm()
    if form.validate_on_submit():
        try:
            address = users.invite_colleague(current_user, email=form.email.data, name=form.name.data)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error, "email")
        else:
            flash(f"Invitation sent to {address}", "success")
            return redirect(url_for(".colleagues"))
    return render_template("supplier/invite_colleague.html", form=form, supplier=supplier)


@bp.route("/colleagues/<int:user_id>/resend", methods=["POST"])
@roles(Role.SUPPLIER)
def resend_invitation(user_id: int):
    supplier = profiles.own_supplier(current_user)
    colleague = profiles.get_colleague(supplier, user_id)
    try:
        users.resend_invitation(current_user, colleague)
    except ConflictError as error:
        flash(error.message, "info")
    else:
        flash(f"Invitation sent again to {colleague.email}", "success")
    return redirect(url_for(".colleagues"))
