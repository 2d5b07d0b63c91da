"""Direct awards that cannot be made: carry the requirement over to a draft mini-competition."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from portal.access import roles
from portal.domain.roles import PROCUREMENT_OFFICERS
from portal.services.direct_awards import requirements as awards
from portal.services.direct_awards import to_competition as carry_over
from portal.services.errors import ConflictError

from .blueprint import bp


@bp.route("/<int:direct_award_id>/mini-competition", methods=["POST"])
@roles(PROCUREMENT_OFFICERS)
def compete(direct_award_id: int):
    # The form is only the button (CompeteForm) and its CSRF token, which CSRFProtect checks before this runs.
    award = awards.get_for_officer(current_user, direct_award_id)  # 404 for another organisation's
    back = url_for(".results" if awards.ready_for_results(award) else ".show", direct_award_id=award.id)
    try:
        competition = carry_over.start_competition(current_user, award.id)
    except ConflictError as error:
        flash(error.message)
        return redirect(back)
    flash(f"Mini-competition {competition.reference} started with the requirement of {award.reference}", "success")
    return redirect(url_for("competitions.show", competition_id=competition.id))
