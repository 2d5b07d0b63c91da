"""The audit log, one event, verifying the hash chain, and reviewing changes suppliers made."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import roles
from portal.admin.people.forms import AcknowledgeForm, AuditFilterForm, ConfirmForm
from portal.domain.roles import Role
from portal.forms_common import attach_error
from portal.services.errors import ConflictError, ValidationError
from portal.services.people import audit_log

from .blueprint import bp, page_number


@bp.route("/audit", endpoint="audit_log")
@roles(Role.STAFF)
def audit_log_page():
    form = AuditFilterForm(formdata=request.args)
    form.set_type_choices(audit_log.event_types(current_user), audit_log.object_types(current_user))
    events = None
    if form.validate():
        query = audit_log.AuditQuery(
            actor=form.actor.data or "",
            event_type=form.event_type.data or "",
            object_type=form.object_type.data or "",
            object_id=form.object_id.data or "",
            date_from=form.date_from.data,
            date_to=form.date_to.data,
        )
        try:
            events = audit_log.search_events(current_user, query, page=page_number())
        except ValidationError as error:
            attach_error(form, error)
    return render_template(
        "admin/people/audit_log.html", form=form, events=events, field_changes=audit_log.field_changes
    )


@bp.route("/audit/<int:event_id>")
@roles(Role.STAFF)
def audit_event(event_id: int):
    event = audit_log.get_event(current_user, event_id)
    return render_template(
        "admin/people/audit_event.html",
        event=event,
        changes=audit_log.field_changes(event),
        before=audit_log.pretty_json(event.before_json),
        after=audit_log.pretty_json(event.after_json),
    )


@bp.route("/audit/verify", methods=["GET", "POST"])
@roles(Role.STAFF)
def verify_chain():
    form = ConfirmForm()
    report = audit_log.verify_chain(current_user._get_current_object()) if form.validate_on_submit() else None
    return render_template("admin/people/audit_verify.html", form=form, report=report)


@bp.route("/supplier-changes", methods=["GET", "POST"])
@roles(Role.STAFF)
def supplier_changes():
    form = AcknowledgeForm()
    if form.validate_on_submit():
        try:
            count = audit_log.acknowledge(current_user, form.event_ids.data or [], form.note.data or "")
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash(f"{count} {'change' if count == 1 else 'changes'} acknowledged", "success")
            return redirect(url_for("admin_people.supplier_changes"))
    pending = audit_log.unreviewed_supplier_changes(current_user, page=page_number())
    return render_template(
        "admin/people/supplier_changes.html", form=form, pending=pending, field_changes=audit_log.field_changes
    )


@bp.route("/supplier-changes/acknowledged")
@roles(Role.STAFF)
def acknowledged_changes():
    reviews = audit_log.reviewed_supplier_changes(current_user, page=page_number())
    return render_template("admin/people/supplier_changes_acknowledged.html", reviews=reviews)


@bp.route("/supplier-changes/<int:event_id>", methods=["GET", "POST"])
@roles(Role.STAFF)
def supplier_change(event_id: int):
    event = audit_log.supplier_change(current_user, event_id)
    form = AcknowledgeForm()
    if form.validate_on_submit():
        try:
            audit_log.acknowledge(current_user, [event.id], form.note.data or "")
        except ValidationError as error:
            attach_error(form, error)
        except ConflictError:
            # Someone else acknowledged it first: show who, rather than an error about a form field.
            flash("This change has already been acknowledged", "info")
            return redirect(url_for("admin_people.supplier_change", event_id=event.id))
        else:
            flash(f"Change {event.id} acknowledged", "success")
            return redirect(url_for("admin_people.supplier_changes"))
    return render_template(
        "admin/people/supplier_change.html",
        form=form,
        event=event,
        changes=audit_log.field_changes(event),
        review=audit_log.review_of(event),
    )
