"""Clarification questions (suppliers ask) and answers (buyers publish to all or answer privately).

Suppliers and buyers have separate pages: only the buyer's page names the supplier who asked.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.access import roles
from portal.clarifications.forms import AnswerForm, QuestionForm
from portal.domain.roles import PROCUREMENT_OFFICERS, Role
from portal.forms_common import attach_error
from portal.services.competitions import clarifications
from portal.services.errors import ConflictError, ValidationError

from .blueprint import bp


@bp.route("/clarifications/competitions/<int:competition_id>", methods=["GET", "POST"])
@roles(Role.SUPPLIER)
def supplier_questions(competition_id: int):
    competition = clarifications.competition_for_supplier(current_user, competition_id)
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            clarifications.ask(current_user, competition.id, form.question.data)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash("Question sent to the buyer", "success")
            return redirect(url_for(".supplier_questions", competition_id=competition.id))
    return render_template(
        "clarifications/supplier.html",
        form=form,
        competition=competition,
        items=clarifications.for_supplier(current_user, competition),
        open=clarifications.questions_open(competition),
    )


@bp.route("/clarifications/competitions/<int:competition_id>/questions")
@roles(PROCUREMENT_OFFICERS)
def buyer_questions(competition_id: int):
    competition, items = clarifications.for_buyer(current_user, competition_id)
    return render_template("clarifications/buyer.html", competition=competition, items=items)


@bp.route("/clarifications/<int:clarification_id>/answer", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def answer(clarification_id: int):
    competition, clarification = clarifications.get_for_buyer(current_user, clarification_id)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            clarifications.answer(
                current_user,
                clarification.id,
                answer=form.answer.data,
                audience=form.audience.data,
                private_reason=form.private_reason.data,
            )
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash("Answer sent", "success")
            return redirect(url_for(".buyer_questions", competition_id=competition.id))
    return render_template(
        "clarifications/answer.html", form=form, competition=competition, clarification=clarification
    )
