"""Moderation: every evaluator's score per bid and criterion, the consensus score, and completing moderation."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.access import roles
from portal.domain.roles import PROCUREMENT_OFFICERS
from portal.evaluation.forms import CompleteModerationForm, ModerateForm
from portal.forms_common import attach_error
from portal.services.bids import content as bid_content
from portal.services.bids import seal
from portal.services.competitions import access
from portal.services.errors import ConflictError, ValidationError
from portal.services.evaluation import moderation, workflow

from .blueprint import bp


@bp.route("/<int:competition_id>/moderation", endpoint="moderation")
@roles(PROCUREMENT_OFFICERS)
def moderation_board(competition_id: int):
    item = workflow.officer_competition(current_user, competition_id)
    board = moderation.board(current_user, item)
    return render_template(
        "evaluation/moderation.html",
        competition=item,
        board=board,
        state=access.state(item),
        can_moderate=moderation.can_moderate(item),
        can_complete=moderation.can_complete(item),
        pasted=moderation.pasted_rationales(item),
    )


@bp.route("/<int:competition_id>/bids/<int:bid_id>/criteria/<int:criterion_id>/moderate", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def moderate(competition_id: int, bid_id: int, criterion_id: int):
    item = workflow.officer_competition(current_user, competition_id)
    bid, criterion = workflow.bid_and_criterion(current_user, item, bid_id, criterion_id)
    cell = moderation.board(current_user, item).cells[(bid.id, criterion.id)]
    held = cell.moderated
    form = ModerateForm(data={"score": str(int(held.score)), "rationale": held.rationale} if held else None)
    form.set_scale(criterion)
    if form.validate_on_submit():
        try:
            moderation.record_moderated_score(
                current_user, competition_id, bid.id, criterion.id, form.score.data, form.rationale.data
            )
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash(f"Moderated score saved for {bid.supplier.short_name}: {criterion.title}", "success")
            return redirect(url_for("evaluation.moderation", competition_id=competition_id))
    content = seal.submitted_content(current_user, bid)
    answer, attachments = bid_content.for_criterion(content, criterion.id)
    return render_template(
        "evaluation/moderate.html",
        competition=item,
        bid=bid,
        criterion=criterion,
        cell=cell,
        answer=answer,
        attachments=attachments,
        rationale_only=moderation.rationale_only(item),
        form=form,
    )


@bp.route("/<int:competition_id>/moderation/complete", methods=["GET", "POST"])
@roles(PROCUREMENT_OFFICERS)
def complete_moderation(competition_id: int):
    """GET: the confirmation page (completing is irreversible). POST: completes, only with that page's confirmation."""
    item = workflow.officer_competition(current_user, competition_id)
    if not moderation.can_complete(item):
        return redirect(url_for("evaluation.moderation", competition_id=competition_id))
    form = CompleteModerationForm()
    if form.is_submitted():
        if not form.validate():
            # No confirmation (or no valid CSRF token): nothing is completed; ask again on the confirmation page.
            flash("Confirm that you want to complete moderation", "error")
            return redirect(url_for("evaluation.complete_moderation", competition_id=competition_id))
        try:
            moderation.complete_moderation(current_user, competition_id)
        except (ValidationError, ConflictError) as error:
            flash(error.message, "error")
            return redirect(url_for("evaluation.moderation", competition_id=competition_id))
        flash("Moderation complete: the results are final", "success")
        return redirect(url_for("evaluation.results", competition_id=competition_id))
    board = moderation.board(current_user, item)
    return render_template(
        "evaluation/complete_moderation.html", competition=item, board=board, missing=len(board.missing()), form=form
    )
