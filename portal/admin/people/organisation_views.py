"""Buyer organisations: list, create, edit, and the organisation's users."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import roles
from portal.admin.people.forms import OrganisationFilterForm, OrganisationForm
from portal.domain.roles import Role
from portal.forms_common import attach_error
from portal.services.errors import ConflictError, ValidationError
from portal.services.people import organisations

from .blueprint import bp


@bp.route("/organisations", endpoint="organisations")
@roles(Role.STAFF)
def organisations_list():
    form = OrganisationFilterForm(formdata=request.args)
    rows = None
    if form.validate():
        rows = organisations.list_organisations(form.organisation_type.data or "", form.q.data or "")
    return render_template("admin/people/organisations.html", form=form, rows=rows)


@bp.route("/organisations/new", methods=["GET", "POST"])
@roles(Role.STAFF)
def new_organisation():
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            org = organisations.create_organisation(
                current_user,
                name=form.name.data,
                organisation_type=form.organisation_type.data,
                region=form.region.data or "",
                address=form.address.data or "",
                identifier=form.identifier.data or "",
                legal_name=form.legal_name.data or "",
                **form.identity_values(),
            )
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash(f"{org.name} added", "success")
            return redirect(url_for("admin_people.organisation", organisation_id=org.id))
    return render_template("admin/people/organisation_form.html", form=form, organisation=None)


@bp.route("/organisations/<int:organisation_id>")
@roles(Role.STAFF)
def organisation(organisation_id: int):
    org = organisations.get_organisation(organisation_id)
    users = organisations.organisation_users(org)
    return render_template("admin/people/organisation.html", organisation=org, users=users)


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@roles(Role.STAFF)
def edit_organisation(organisation_id: int):
    org = organisations.get_organisation(organisation_id)
    form = OrganisationForm(obj=org)
    if form.validate_on_submit():
        try:
            changed = organisations.update_organisation(
                current_user,
                org,
                name=form.name.data,
                organisation_type=form.organisation_type.data,
                region=form.region.data or "",
                address=form.address.data or "",
                identifier=form.identifier.data or "",
                legal_name=form.legal_name.data or "",
                **form.identity_values(),
            )
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash(f"{org.name} updated" if changed else "Nothing was changed", "success")
            return redirect(url_for("admin_people.organisation", organisation_id=org.id))
    return render_template("admin/people/organisation_form.html", form=form, organisation=org)
