"""Conflict-of-interest declarations by the officers who start and confirm the opening, moderate, recommend and approve
(portal.services.evaluation.declarations), reached from each action's page; evaluators declare on their own page
(scoring_views.declaration).

`declaration_problem` is a template global, so every action page can say, with a link, why its officer may not act
yet. Before the opening the page lists only the invited suppliers: nothing about bids is shown.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.access import roles
from portal.domain.roles import BUYER_SIDE
from portal.evaluation.forms import declaration_form
from portal.forms_common import attach_error
from portal.models import Competition
from portal.services.errors import ConflictError, ValidationError
from portal.services.evaluation import conflicts, declarations

from .blueprint import bp

RETURN_TO = {
    "opener": "evaluation.open_bids",
    "moderator": "evaluation.moderation",
    "recommender": "evaluation.recommend",
    "approver": "evaluation.approve",
}


@bp.app_template_global("declaration_problem")
def declaration_problem(competition: Competition, role: str) -> str | None:
    """Why the signed-in officer may not yet act in `role` on this competition (None if they may)."""
    refused = declarations.problem(current_user, competition, role)
    return refused.message if refused else None


@bp.route("/<int:competition_id>/declare/<any(opener, moderator, recommender, approver):role>", methods=["GET", "POST"])
@roles(BUYER_SIDE)
def role_declaration(competition_id: int, role: str):
    item = declarations.declarant_competition(current_user, competition_id, role)
    closed = declarations.declaring_open(item, role)
    pending = [] if closed else declarations.pending_suppliers(current_user, item, role)
    form = declaration_form(pending)
    if pending and form.validate_on_submit():
        try:
            declarations.declare(current_user, competition_id, role, form.answers(pending))
        except declarations.DeclarationIncomplete as incomplete:
            for problem in incomplete.problems:
                attach_error(form, problem)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error)
        else:
            flash("Declaration recorded", "success")
            if current_user.is_procurement_officer:
                return redirect(url_for(RETURN_TO[role], competition_id=competition_id))
            return redirect(url_for("evaluation.role_declaration", competition_id=competition_id, role=role))
    return render_template(
        "evaluation/role_declaration.html",
        competition=item,
        role=role,
        role_label=declarations.ROLE_LABELS[role],
        action=declarations.ACTIONS[role],
        form=form,
        pending=pending,
        closed=closed,
        declared=conflicts.declarations(current_user.id, item, role),
        suppliers=declarations.suppliers_for(item, role),
    )
