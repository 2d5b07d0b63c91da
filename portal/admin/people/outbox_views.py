"""The outbox: every email the portal sent, where staff find invitation links when SMTP is not set up."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from portal.access import roles
from portal.admin.people.forms import OutboxFilterForm
from portal.domain.roles import Role
from portal.services.people import audit_log

from .blueprint import bp, page_number


@bp.route("/outbox")
@roles(Role.STAFF)
def outbox():
    form = OutboxFilterForm(formdata=request.args)
    messages = None
    if form.validate():
        messages = audit_log.outbox_messages(
            current_user, form.recipient.data or "", form.status.data or "", page=page_number()
        )
    return render_template("admin/people/outbox.html", form=form, messages=messages)


@bp.route("/outbox/<int:message_id>")
@roles(Role.STAFF)
def outbox_message(message_id: int):
    return render_template(
        "admin/people/outbox_message.html", message=audit_log.outbox_message(current_user, message_id)
    )
