"""Direct awards, step 6: recommend the selected supplier with a justification, approve (another person), cancel;
and the direct award record (PDF)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.access import roles
from portal.direct_awards.forms import ApproveForm, CancelForm, RecommendForm
from portal.domain.roles import PROCUREMENT_OFFICERS, Role
from portal.forms_common import ReturnForm, attach_error
from portal.services import approvals
from portal.services.direct_awards import decisions
from portal.services.direct_awards import requirements as awards
from portal.services.direct_awards import shortlist as shortlists
from portal.services.documents import direct_award_record
from portal.services.errors import ConflictError, ValidationError
from portal.services.notices import standstill

from .blueprint import bp, task_url


@bp.route("/<int:direct_award_id>/award", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def award(direct_award_id: int):
    award = awards.get_for_officer(current_user, direct_award_id)
    frozen = shortlists.current_shortlist(award)
    content = shortlists.content_of(frozen) if frozen else None
    form = RecommendForm()
    # Only the supplier recommend() accepts (the mechanism's selection, awardable today): the same rule, so they agree.
    allowed = decisions.recommendable(award, content) if content else None
    form.supplier_id.choices = [
        SelectChoice(s["supplier"]["id"], s["supplier"]["name"]) for s in (allowed.suppliers if allowed else [])
    ]
    if not form.is_submitted() and not award.recommended_at and award.justification:
        form.justification.data = award.justification  # a returned recommendation's, to revise
    departed = False
    if content and form.validate_on_submit():
        try:
            decisions.recommend(
                current_user, award.id, form.supplier_id.data, form.justification.data, form.standstill.data != "no"
            )
        except (ValidationError, ConflictError) as error:
            attach_error(form, error, "supplier_id")
            departed = error.field == "supplier_id" and form.supplier_id.data is not None
        else:
            flash("Award recommended. An approver must now approve it.", "success")
            return redirect(task_url(award))
    steps = approvals.history(direct_award_id=award.id)
    return render_template(
        "direct_awards/award.html",
        award=award,
        frozen=frozen,
        content=content,
        form=form,
        departed=departed,
        allowed=allowed,
        returned=approvals.latest_return(steps),
    )


@bp.route("/<int:direct_award_id>/approve", methods=["GET", "POST"])
@roles(Role.APPROVER)
def approve(direct_award_id: int):
    form = ApproveForm()
    if form.validate_on_submit():
        try:
            decisions.approve(current_user, direct_award_id)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            award = awards.get_for_officer(current_user, direct_award_id)
            info = standstill.summary(award)
            then = "Publish the contract award notice (UK6) next." if info.starts_with_notice else info.sentence
            flash(f"Award approved. {then}", "success")
            return redirect(task_url(award))
    return _approve_page(direct_award_id, form, ReturnForm(prefix="return"))


@bp.route("/<int:direct_award_id>/return", methods=["POST"])
@roles(Role.APPROVER)
def return_award(direct_award_id: int):
    awards.get_for_officer(current_user, direct_award_id)
    form = ReturnForm(prefix="return")
    if form.validate_on_submit():
        try:
            decisions.return_award(current_user, direct_award_id, form.comment.data)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error, "comment")
        else:
            flash("Award returned to the buyer with your comment.", "success")
            return redirect(url_for(".show", direct_award_id=direct_award_id))
    return _approve_page(direct_award_id, ApproveForm(), form)


def _approve_page(direct_award_id: int, approve_form: ApproveForm, return_form: ReturnForm):
    award = awards.get_for_officer(current_user, direct_award_id)
    frozen = next((s for s in award.shortlists if s.id == award.recommended_shortlist_id), None)
    return render_template(
        "direct_awards/approve.html",
        award=award,
        form=return_form if return_form.errors else approve_form,  # the one whose errors the summary lists
        approve_form=approve_form,
        return_form=return_form,
        content=shortlists.content_of(frozen) if frozen else None,
        frozen=frozen,
        problem=decisions.live_problem(award) if award.recommended_supplier_id else None,
        people=decisions.people(award),
        standstill_info=standstill.summary(award),
        steps=approvals.history(direct_award_id=award.id),
    )


@bp.route("/<int:direct_award_id>/cancel", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def cancel(direct_award_id: int):
    award = awards.get_for_officer(current_user, direct_award_id)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            decisions.cancel(current_user, award.id, form.reason.data)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error, "reason")
        else:
            flash(f"Direct award {award.reference} cancelled", "success")
            return redirect(url_for(".index"))
    return render_template("direct_awards/cancel.html", award=award, form=form)


@bp.route("/<int:direct_award_id>/record")
@roles(PROCUREMENT_OFFICERS)
def record(direct_award_id: int):
    """The direct award record PDF: issued (or the current version found) now, then downloaded."""
    document = direct_award_record.issue_record(current_user, direct_award_id)
    return redirect(url_for("documents.download", document_id=document.id))
