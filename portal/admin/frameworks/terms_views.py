"""Framework staff: a framework's call-off terms (the contract text with placeholders), on the frameworks blueprint."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import InputRequired

from portal.access import roles
from portal.domain.call_off_terms import PLACEHOLDERS
from portal.domain.roles import Role
from portal.forms_common import attach_error
from portal.services.errors import ValidationError
from portal.services.frameworks import call_off_terms, editing

from .blueprint import bp


class CallOffTermsForm(FlaskForm):
    call_off_terms = TextAreaField(
        "Call-off terms",
        widget=GovTextArea(),
        description=(
            "Number sections like 1. Definitions and clauses like 1.1. Put placeholders in braces, like "
            "{buyer_name}; write {{ or }} for a brace."
        ),
        validators=[InputRequired("Enter the call-off terms")],
    )
    submit = SubmitField("Save call-off terms", widget=GovSubmitInput())


@bp.route("/<int:framework_id>/call-off-terms", methods=["GET", "POST"])
@roles(Role.STAFF)
def call_off_terms_form(framework_id: int):
    framework = editing.get_framework(framework_id)
    form = CallOffTermsForm(data={"call_off_terms": framework.call_off_terms})
    if form.validate_on_submit():
        try:
            changed = call_off_terms.save(current_user, framework, form.call_off_terms.data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            flash(f"Call-off terms of {framework.reference} {'saved' if changed else 'unchanged'}", "success")
            return redirect(url_for(".show", framework_id=framework.id) + "#call-off-terms")
    return render_template(
        "admin/frameworks/call_off_terms.html", form=form, framework=framework, placeholders=PLACEHOLDERS
    )
