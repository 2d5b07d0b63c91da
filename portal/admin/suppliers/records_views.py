"""Framework staff: a supplier's accreditations, exclusions and users."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.access import roles
from portal.admin.suppliers.forms import EndExclusionForm, ExclusionForm
from portal.domain.roles import Role
from portal.domain.timefmt import format_date
from portal.forms_common import attach_error
from portal.services.errors import ConflictError, ValidationError
from portal.services.people import users
from portal.services.suppliers import evidence, exclusions, profiles
from portal.supplier.forms import AccreditationForm, ConfirmForm, InviteColleagueForm

from .blueprint import bp


def _back(supplier_id: int, anchor: str):
    return redirect(url_for(".show", supplier_id=supplier_id, _anchor=anchor))


def _accreditation_values(form: AccreditationForm) -> dict:
    return {
        "scheme": form.chosen_scheme(),
        "certificate_reference": form.certificate_reference.data,
        "awarded_on": form.awarded_on.data,
        "expires_on": form.expires_on.data,
    }


@bp.route("/<int:supplier_id>/accreditations/new", methods=["GET", "POST"])
@roles(Role.STAFF)
def add_accreditation(supplier_id: int):
    supplier = profiles.get_supplier(supplier_id)
    form = AccreditationForm()
    if form.validate_on_submit():
        try:
            evidence.add_accreditation(current_user, supplier, **_accreditation_values(form))
        except ValidationError as error:
            attach_error(form, error, "scheme")
        else:
            flash(f"{form.chosen_scheme()} accreditation added", "success")
            return _back(supplier.id, "accreditations")
    return render_template("admin/suppliers/accreditation_form.html", form=form, supplier=supplier, accreditation=None)


@bp.route("/<int:supplier_id>/accreditations/<int:accreditation_id>/edit", methods=["GET", "POST"])
@roles(Role.STAFF)
def edit_accreditation(supplier_id: int, accreditation_id: int):
    supplier = profiles.get_supplier(supplier_id)
    accreditation = evidence.get_accreditation(supplier, accreditation_id)
    form = AccreditationForm(obj=accreditation)
    if not form.is_submitted():
        form.show_scheme(accreditation.scheme)
    if form.validate_on_submit():
        try:
            evidence.update_accreditation(current_user, accreditation, **_accreditation_values(form))
        except ValidationError as error:
            attach_error(form, error, "scheme")
        else:
            flash(f"{accreditation.scheme} accreditation saved", "success")
            return _back(supplier.id, "accreditations")
    return render_template(
        "admin/suppliers/accreditation_form.html", form=form, supplier=supplier, accreditation=accreditation
    )


@bp.route("/<int:supplier_id>/accreditations/<int:accreditation_id>/remove", methods=["GET", "POST"])
@roles(Role.STAFF)
def remove_accreditation(supplier_id: int, accreditation_id: int):
    supplier = profiles.get_supplier(supplier_id)
    accreditation = evidence.get_accreditation(supplier, accreditation_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        scheme = accreditation.scheme
        evidence.remove_accreditation(current_user, accreditation)
        flash(f"{scheme} accreditation removed", "success")
        return _back(supplier.id, "accreditations")
    return render_template(
        "admin/suppliers/accreditation_remove.html", form=form, supplier=supplier, accreditation=accreditation
    )


@bp.route("/<int:supplier_id>/exclusions/new", methods=["GET", "POST"])
@roles(Role.STAFF)
def add_exclusion(supplier_id: int):
    supplier = profiles.get_supplier(supplier_id)
    form = ExclusionForm()
    if form.validate_on_submit():
        try:
            exclusion = exclusions.add_exclusion(
                current_user,
                supplier,
                ground=form.ground.data,
                kind=form.kind.data,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
            )
        except ValidationError as error:
            attach_error(form, error, "ground")
        else:
            flash(f"Exclusion recorded until {format_date(exclusion.ends_on)}", "success")
            return _back(supplier.id, "exclusions")
    return render_template("admin/suppliers/exclusion_form.html", form=form, supplier=supplier)


@bp.route("/<int:supplier_id>/exclusions/<int:exclusion_id>/end", methods=["GET", "POST"])
@roles(Role.STAFF)
def end_exclusion(supplier_id: int, exclusion_id: int):
    supplier = profiles.get_supplier(supplier_id)
    exclusion = exclusions.get_exclusion(supplier, exclusion_id)
    form = EndExclusionForm()
    if form.validate_on_submit():
        try:
            exclusions.end_early(current_user, exclusion, form.ends_on.data, form.reason.data)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error, "ends_on")
        else:
            flash("Exclusion end date changed", "success")
            return _back(supplier.id, "exclusions")
    return render_template("admin/suppliers/exclusion_end.html", form=form, supplier=supplier, exclusion=exclusion)


@bp.route("/<int:supplier_id>/users/invite", methods=["GET", "POST"])
@roles(Role.STAFF)
def invite_user(supplier_id: int):
    supplier = profiles.get_supplier(supplier_id)
    form = InviteColleagueForm()
    if form.validate_on_submit():
        try:
            user = users.invite_user(
                current_user, email=form.email.data, name=form.name.data, role=Role.SUPPLIER, supplier_id=supplier.id
            )
        except (ValidationError, ConflictError) as error:
            attach_error(form, error, "email")
        else:
            flash(f"Invitation sent to {user.email}", "success")
            return _back(supplier.id, "users")
    return render_template("admin/suppliers/invite_user.html", form=form, supplier=supplier)
