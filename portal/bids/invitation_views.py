"""The supplier's competitions: the list, one competition as published, and the decision to bid or decline."""

from __future__ import annotations

from flask import flash, render_template, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from portal.access import roles
from portal.bids.forms import DecisionForm
from portal.domain.roles import Role
from portal.forms_common import attach_error
from portal.models.base import utcnow
from portal.services.bids import changes, drafting, eligibility, seal, submission
from portal.services.competitions import access, tender_documents
from portal.services.errors import ConflictError, ValidationError

from .blueprint import bp, to_competition


@bp.route("")
@roles(Role.SUPPLIER)
def index():
    rows = drafting.invited_competitions(current_user)
    changed = {
        r.competition.id
        for r in rows
        if drafting.bidding_open(r.competition) and changes.changed_since(r.bid, r.latest)
    }
    return render_template("bids/index.html", rows=rows, changed=changed, now=utcnow(), time_left=drafting.time_left)


@bp.route("/competitions/<int:competition_id>")
@roles(Role.SUPPLIER)
def competition(competition_id: int):
    competition = drafting.get_competition(current_user, competition_id)
    bid = drafting.own_bid(current_user, competition)
    latest = seal.latest_submission(bid) if bid else None
    return render_template(
        "bids/competition.html",
        bar=eligibility.bar_for(competition, current_user.supplier_id),
        changed=changes.changed_since(bid, latest),
        competition=competition,
        invitation=access.invitation_for(current_user, competition),
        state=access.state(competition),
        open_for_bids=drafting.bidding_open(competition),
        bid=bid,
        status=drafting.section_status(competition, bid),
        criteria=drafting.leaf_criteria(competition),
        schedule=drafting.schedule(competition, bid),
        versions=submission.versions(current_user, bid) if bid else [],
        latest=latest,
        rules=drafting.published_rules(competition),
        clarifications_url=_clarifications_url(competition.id),
        tender_documents=tender_documents.readable_documents(current_user, competition.id),
        tender_document_labels=tender_documents.TYPE_LABELS,
        time_left=drafting.time_left,
        now=utcnow(),
    )


def _clarifications_url(competition_id: int) -> str | None:
    # The clarifications blueprint (another area) defines the supplier's questions page.
    try:
        return url_for("clarifications.supplier_questions", competition_id=competition_id)
    except BuildError:
        return None


@bp.route("/competitions/<int:competition_id>/decision", methods=["GET", "POST"])
@roles(Role.SUPPLIER)
def decision(competition_id: int):
    competition = drafting.get_competition(current_user, competition_id)
    invitation = access.invitation_for(current_user, competition)
    form = DecisionForm(
        data={
            "decision": None if invitation.response == "pending" else invitation.response,
            "reason": invitation.decline_reason,
        }
    )
    if form.validate_on_submit():
        try:
            drafting.respond(current_user, competition.id, form.decision.data, form.reason.data or "")
        except (ValidationError, ConflictError) as error:
            attach_error(form, error, "decision")
        else:
            flash(
                "You are bidding: draft your bid below"
                if form.decision.data == "bidding"
                else "You have declined this competition",
                "success",
            )
            return to_competition(competition.id)
    return render_template("bids/decision.html", form=form, competition=competition)
