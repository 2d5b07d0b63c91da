"""Direct award, when it cannot be made: carry the requirement over to a draft mini-competition.

A buyer may carry a direct award over when no supplier is capable of its requirement, or when the lot does not
(or no longer) allow direct award. The draft competition is on the same lot, for the same organisation, and is
built by the competition builder as any other (portal.services.competition_builder: the criteria come from the
lot's framework award criteria). Carried over: the title, statement of requirements, contract term, planned start
date (unless it has passed: the builder refuses a past date), and the essential capabilities as the competition's
required capabilities, the one narrowing a competition allows, with the reason recorded.

The competition, its details, its narrowing and the audit events are committed together. The direct award's event
names the competition and the competition's event names the direct award, which links the two without a column;
the same event on the direct award stops a second carry-over (a double submit) making a second competition.
"""

from __future__ import annotations

import json

from sqlalchemy import select

from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import AuditEvent, Competition, DirectAward, User
from portal.services import audit
from portal.services.competitions import builder
from portal.services.competitions import invitees as builder_suppliers
from portal.services.direct_awards import requirements as awards
from portal.services.direct_awards import shortlist as shortlists
from portal.services.errors import ConflictError
from portal.services.frameworks import award_criteria

EVENT = "direct_award.carried_over_to_competition"
NO_CAPABLE_SUPPLIER = "no_capable_supplier"
DIRECT_AWARD_NOT_ALLOWED = "direct_award_not_allowed"
REASONS = {
    NO_CAPABLE_SUPPLIER: "no supplier is capable of meeting the requirement",
    DIRECT_AWARD_NOT_ALLOWED: "the lot does not allow direct award",
}


def why_competition(award: DirectAward) -> str | None:
    """Why this award's requirement is to be competed instead (a REASONS key), or None if nothing stops it."""
    if not award.lot.direct_award_allowed:
        return DIRECT_AWARD_NOT_ALLOWED
    if awards.ready_for_results(award) and not shortlists.run(award).capable:
        return NO_CAPABLE_SUPPLIER
    return None


def carried_over_to(award: DirectAward) -> int | None:
    """The id of the competition this award was carried over to, if it was."""
    after = db.session.scalar(
        select(AuditEvent.after_json)
        .where(AuditEvent.event_type == EVENT, AuditEvent.object_type == "direct_award")
        .where(AuditEvent.object_id == str(award.id))
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    return json.loads(after)["competition_id"] if after else None


def carried_over_competition(award: DirectAward) -> Competition | None:
    """The competition this award was carried over to, if it was."""
    competition_id = carried_over_to(award)
    return db.session.get(Competition, competition_id) if competition_id else None


def start_competition(user: User, direct_award_id: int) -> Competition:
    """A draft mini-competition with the direct award's requirement; the award itself is left as it is."""
    award = awards.get_for_officer(user, direct_award_id, for_update=True)  # 404 for another organisation's
    _check_can_carry_over(user, award)
    reason = why_competition(award)
    if reason is None:
        raise ConflictError(
            "A direct award is carried over to a mini-competition only when no supplier is capable of its "
            "requirement or its lot does not allow direct award. To compete this requirement anyway, start a "
            "mini-competition from the competitions page."
        )
    competition = builder.open_competition(user, lot_id=award.lot_id, title=award.title or award.reference)
    _carry_details(user, award, competition)
    capability_ids = [c.capability_id for c in award.capabilities]
    if capability_ids:
        builder_suppliers.narrow(
            user, competition, capability_ids,
            f"The essential capabilities of direct award {award.reference}, carried over because "
            f"{REASONS[reason]}.",
        )  # fmt: skip
    audit.record(
        user, EVENT, "direct_award", award.id,
        summary=f"{award.reference}: requirement carried over to mini-competition {competition.reference} "
        f"because {REASONS[reason]}",
        after={"competition_id": competition.id, "competition_reference": competition.reference, "reason": reason},
    )  # fmt: skip
    builder.commit()
    return competition


def _check_can_carry_over(user: User, award: DirectAward) -> None:
    if award.approved_at is not None:
        raise ConflictError("This direct award has been approved, so its requirement cannot be competed instead.")
    existing = carried_over_to(award)
    if existing is not None:
        competition = db.session.get(Competition, existing)
        reference = competition.reference if competition else "a mini-competition"
        raise ConflictError(f"This requirement has already been carried over to {reference}.")
    lot = award.lot
    label = f"{lot.framework.reference} {lot.label}"
    if not award_criteria.lot_has_criteria(lot.id):
        raise ConflictError(
            f"A mini-competition cannot be started on {label} yet: the framework has no award criteria for call-off "
            "competitions on this lot. Ask the framework team to add them."
        )
    if lot not in builder.startable_lots(user):
        raise ConflictError(
            f"You cannot start a mini-competition on {label}: the framework is not live, or it is not open to "
            "your organisation."
        )


def _carry_details(user: User, award: DirectAward, competition: Competition) -> None:
    before = audit.snapshot(competition, builder.DETAIL_FIELDS)
    competition.statement_of_requirements = award.statement_of_requirements or ""
    competition.term_months = min(award.term_months, award.lot.framework.max_call_off_months)
    if award.planned_start_on is not None and award.planned_start_on >= today_london():
        competition.planned_start_on = award.planned_start_on
    old, new = audit.changed(before, audit.snapshot(competition, builder.DETAIL_FIELDS))
    audit.record(
        user, "competition.details_updated", "competition", competition.id,
        summary=f"Details of {competition.reference} carried over from direct award {award.reference}",
        before=old,
        after=new | {"direct_award_id": award.id, "direct_award_reference": award.reference},
    )  # fmt: skip
