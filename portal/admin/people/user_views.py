"""Users: find, invite, resend an invitation, send a reset link, deactivate and reactivate, change role, reset
two-factor sign-in."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import roles
from portal.admin.people.forms import (
    ChangeRoleForm,
    ConfirmForm,
    InviteUserForm,
    JobTitleForm,
    UserFilterForm,
    optional_int,
)
from portal.domain.roles import Role
from portal.forms_common import attach_error
from portal.services.errors import ConflictError, PermissionDeniedError, ValidationError
from portal.services.people import accounts, audit_log, mfa, organisations, users

from .blueprint import bp, page_number

ACTIVE_FILTER = {"yes": True, "no": False}


def _with_party_choices(form):
    form.set_party_choices(organisations.organisation_choices(), users.supplier_choices())
    return form


@bp.route("/users", endpoint="users")
@roles(Role.STAFF)
def users_list():
    form = _with_party_choices(UserFilterForm(formdata=request.args))
    results = None
    if form.validate():
        query = users.UserQuery(
            role=form.role.data or "",
            organisation_id=form.organisation_id.data,
            supplier_id=form.supplier_id.data,
            active=ACTIVE_FILTER.get(form.active.data or ""),
            search=form.q.data or "",
        )
        results = users.search_users(query, page=page_number())
    return render_template("admin/people/users.html", form=form, results=results)


@bp.route("/users/invite", methods=["GET", "POST"])
@roles(Role.STAFF)
def invite_user():
    form = _with_party_choices(InviteUserForm())
    if request.method == "GET":
        # Arriving from an organisation's or supplier's page preselects it.
        form.organisation_id.data = optional_int(request.args.get("organisation_id"))
        form.supplier_id.data = optional_int(request.args.get("supplier_id"))
        form.role.data = request.args.get("role") if request.args.get("role") in set(Role) else None
    if form.validate_on_submit():
        try:
            user = users.invite_user(
                current_user,
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                organisation_id=form.organisation_id.data,
                supplier_id=form.supplier_id.data,
                job_title=form.job_title.data or "",
            )
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash(f"Invitation sent to {user.email}", "success")
            return redirect(url_for("admin_people.user", user_id=user.id))
    return render_template("admin/people/invite.html", form=form)


@bp.route("/users/<int:user_id>")
@roles(Role.STAFF)
def user(user_id: int):
    person = users.get_user(user_id)
    events = audit_log.events_about(current_user, "user", person.id)
    return render_template("admin/people/user.html", person=person, events=events, form=ConfirmForm())


@bp.route("/users/<int:user_id>/resend-invitation", methods=["POST"])
@roles(Role.STAFF)
def resend_invitation(user_id: int):
    person = users.get_user(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        users.resend_invitation(current_user, person)
    except ConflictError as error:
        flash(error.message, "info")
    else:
        flash(f"Invitation sent again to {person.email}", "success")
    return redirect(url_for("admin_people.user", user_id=person.id))


@bp.route("/users/<int:user_id>/send-reset-link", methods=["POST"])
@roles(Role.STAFF)
def send_reset_link(user_id: int):
    person = users.get_user(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not person.active:
        flash("Reactivate this user before sending a password reset link", "info")
    else:
        accounts.send_reset_link(person, current_user)
        flash(f"Password reset link sent to {person.email}", "success")
    return redirect(url_for("admin_people.user", user_id=person.id))


def _set_active_page(user_id: int, active: bool):
    person = users.get_user(user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            users.set_active(current_user, person, active)
        except ConflictError as error:
            attach_error(form, error)
        else:
            flash(f"{person.email} {'reactivated' if active else 'deactivated'}", "success")
            return redirect(url_for("admin_people.user", user_id=person.id))
    return render_template("admin/people/confirm_active.html", form=form, person=person, active=active)


@bp.route("/users/<int:user_id>/deactivate", methods=["GET", "POST"])
@roles(Role.STAFF)
def deactivate_user(user_id: int):
    return _set_active_page(user_id, active=False)


@bp.route("/users/<int:user_id>/reactivate", methods=["GET", "POST"])
@roles(Role.STAFF)
def reactivate_user(user_id: int):
    return _set_active_page(user_id, active=True)


@bp.route("/users/<int:user_id>/job-title", methods=["GET", "POST"])
@roles(Role.STAFF)
def change_job_title(user_id: int):
    person = users.get_user(user_id)
    form = JobTitleForm(data={"job_title": person.job_title} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            users.set_job_title(current_user, person, form.job_title.data)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash(f"Job title saved for {person.email}", "success")
            return redirect(url_for("admin_people.user", user_id=person.id))
    return render_template("admin/people/job_title.html", form=form, person=person)


@bp.route("/users/<int:user_id>/role", methods=["GET", "POST"])
@roles(Role.STAFF)
def change_role(user_id: int):
    person = users.get_user(user_id)
    form = _with_party_choices(ChangeRoleForm())
    if request.method == "GET":
        form.role.data, form.organisation_id.data = person.role, person.buyer_organisation_id
        form.supplier_id.data = person.supplier_id
    if form.validate_on_submit():
        try:
            changed = users.change_role(
                current_user,
                person,
                role=form.role.data,
                organisation_id=form.organisation_id.data,
                supplier_id=form.supplier_id.data,
            )
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash(
                f"{person.email} is now {person.role_enum.label.lower()}" if changed else "Nothing was changed",
                "success",
            )
            return redirect(url_for("admin_people.user", user_id=person.id))
    return render_template("admin/people/change_role.html", form=form, person=person)


@bp.route("/users/<int:user_id>/reset-two-factor", methods=["GET", "POST"])
@roles(Role.STAFF)
def reset_two_factor(user_id: int):
    person = users.get_user(user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            mfa.reset_by_staff(current_user, person)
        except (ConflictError, PermissionDeniedError) as error:
            attach_error(form, error)
        else:
            flash(f"Two-factor sign-in reset for {person.email}; they have been told by email", "success")
            return redirect(url_for("admin_people.user", user_id=person.id))
    return render_template("admin/people/reset_two_factor.html", form=form, person=person)
