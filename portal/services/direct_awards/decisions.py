"""Direct award, steps 6 and 7: recommend, approve, supplier acceptance; cancelling; the award's status.

- The buyer recommends the supplier the mechanism selected on the current frozen shortlist, with a justification.
  Any other supplier is refused: departing from the mechanism is not a direct award (DOMAIN.md), so the buyer must
  run a mini-competition instead. With an unresolved tie at the top the mechanism selects nobody: no direct award.
- An approver of the same organisation, not the recommender (four eyes; the database refuses it too), approves, or
  returns the recommendation to the buyer with a comment (cleared so it can be revised; the steps are kept by
  portal.services.approvals and printed in the direct award record). The form offers only what `recommendable` says.
- Each hand-off is notified (award_notices.py): approvers, the buyer on a return, the supplier once approved, the
  buying organisation once accepted.
- Recommendation and approval re-check the live data at that moment (portal.domain.suppliers.eligibility_on): a
  supplier since suspended, removed or gone from the lot, or under an exclusion in force today, or on a framework no
  longer live, cannot be awarded (PA 2023 s.45: check the debarment list at award).
- The buyer chooses at recommendation whether a voluntary standstill applies where the law leaves it to them (PA
  2023 s.51(3)). Under PCR 2015 approval starts the voluntary 10 calendar days; under PA 2023 the 8 working days
  begin with the day the contract award notice (UK6) is published (portal/services/notices/standstill.py).
- The supplier sees the award once approved and accepts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import DirectAward, Lot, Supplier, User
from portal.models.base import utcnow
from portal.services import approvals, audit
from portal.services.direct_awards import award_notices
from portal.services.direct_awards import requirements as awards
from portal.services.direct_awards import shortlist as shortlists
from portal.services.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from portal.services.notices import standstill
from portal.services.suppliers import eligibility

NOT_A_DIRECT_AWARD = (
    "{chosen} is not the supplier the framework's mechanism selected ({selected}). Awarding to another supplier "
    "departs from the mechanism, so it is not a direct award: run a mini-competition instead."
)


def status(award: DirectAward, now: datetime | None = None) -> tuple[str, str]:
    """(label, GOV.UK tag colour class) for lists and headings."""
    now = now or utcnow()
    if award.cancelled_at:
        return "Cancelled", "govuk-tag--grey"
    if award.accepted_at:
        return "Accepted by supplier", "govuk-tag--green"
    if award.approved_at:
        if award.standstill_ends_at and now < award.standstill_ends_at:
            return "Approved: in standstill", "govuk-tag--turquoise"
        if award.standstill_started_at is None and standstill.starts_with_award_notice(award):
            return "Approved: award notice due", "govuk-tag--orange"
        return "Approved: awaiting supplier", "govuk-tag--blue"
    if award.recommended_at:
        return "Awaiting approval", "govuk-tag--yellow"
    if award.shortlists and shortlists.current_shortlist(award):
        return "Shortlist frozen", "govuk-tag--purple"
    return "In progress", "govuk-tag--light-blue"


# --- Step 6: recommend and approve --------------------------------------------------------------------------------


def recommend(
    user: User, direct_award_id: int, supplier_id: int | None, justification: str, standstill_applies: bool = True
) -> DirectAward:
    award = awards.get_for_officer(user, direct_award_id, for_update=True)
    if award.cancelled_at is not None:
        raise ConflictError("This direct award has been cancelled.")
    if award.recommended_at is not None:
        raise ConflictError("The award has already been recommended.")
    frozen = shortlists.current_shortlist(award)
    if frozen is None:
        raise ConflictError("Freeze the shortlist for this requirement before recommending the award.")
    content = shortlists.content_of(frozen)
    offered = recommendable(award, content)
    if offered.problem:
        raise ConflictError(offered.problem)
    selected = offered.suppliers[0]
    if supplier_id is None:
        raise ValidationError("Select the supplier to award the contract to", field="supplier_id")
    if supplier_id != selected["supplier"]["id"]:
        chosen = shortlists.supplier_in(content, supplier_id)
        name = chosen["supplier"]["name"] if chosen else "That supplier"
        message = NOT_A_DIRECT_AWARD.format(chosen=name, selected=selected["supplier"]["name"])
        raise ValidationError(message, field="supplier_id")
    justification = (justification or "").strip()
    if not justification:
        raise ValidationError("Enter the justification for the award", field="justification")
    award.recommended_shortlist_id = frozen.id
    award.recommended_supplier_id = supplier_id
    award.justification = justification
    award.recommended_at = utcnow()
    award.recommended_by_id = user.id
    award.standstill_applies = standstill_applies or not standstill.buyer_chooses(award)
    audit.record(
        user,
        "direct_award.recommended",
        "direct_award",
        award.id,
        summary=f"{award.reference}: award to {selected['supplier']['name']} recommended "
        f"(shortlist version {frozen.version})",
        after={
            "supplier_id": supplier_id,
            "shortlist_id": frozen.id,
            "justification": justification,
            "standstill_applies": award.standstill_applies,
        },
    )
    approvals.record(
        user,
        "recommend",
        direct_award_id=award.id,
        comment=justification,
        supplier_id=supplier_id,
        at=award.recommended_at,
    )
    award_notices.recommended(user, award, selected["supplier"]["name"])
    db.session.commit()
    return award


@dataclass(frozen=True)
class Recommendable:
    """The suppliers a direct award can be recommended to now (the form offers exactly these), or why none."""

    suppliers: list[dict[str, Any]]  # entries of the frozen shortlist's "capable" list
    problem: str | None


def recommendable(award: DirectAward, content: dict[str, Any]) -> Recommendable:
    """The one rule `recommend` applies and the form offers: only the supplier the mechanism selected on the frozen
    shortlist (any other departs from the mechanism), and only while it can be awarded today."""
    selected = shortlists.supplier_in(content, content["selected_supplier_id"])
    if selected is None:
        return Recommendable(
            [],
            "The mechanism does not select a supplier for this requirement, so a direct award cannot be made: "
            "change the requirement or run a mini-competition.",
        )
    if problem := live_problem(award, selected["supplier"]["id"]):
        return Recommendable([], problem)
    return Recommendable([selected], None)


def live_problem(award: DirectAward, supplier_id: int | None = None) -> str | None:
    """Why the recommended supplier (or `supplier_id`) cannot be awarded now, from today's data; None if it can."""
    if not award.lot.direct_award_allowed:
        return "The framework no longer allows direct award on this lot: run a mini-competition instead."
    supplier_id = supplier_id or award.recommended_supplier_id
    if supplier_id is None:
        return "No supplier has been recommended for this award."
    supplier = db.session.get(Supplier, supplier_id)
    name = supplier.short_name if supplier else "The supplier"
    verdict = eligibility.of_supplier(supplier_id, award.lot, today_london())
    return None if verdict.eligible else f"{verdict.sentence(name)}, so it cannot be awarded."


def approve(user: User, direct_award_id: int) -> DirectAward:
    if user.role != "approver":
        raise PermissionDeniedError("Only an approver can approve a direct award.")
    award = awards.get_for_officer(user, direct_award_id, for_update=True)
    if award.cancelled_at is not None:
        raise ConflictError("This direct award has been cancelled.")
    if award.recommended_at is None:
        raise ConflictError("The award has not been recommended yet.")
    if award.approved_at is not None:
        raise ConflictError("The award has already been approved.")
    if award.recommended_by_id == user.id:
        raise ConflictError("You recommended this award, so another approver must approve it.")
    if problem := live_problem(award):
        raise ConflictError(problem)
    now = utcnow()
    award.approved_at = now
    award.approved_by_id = user.id
    if not standstill.starts_with_award_notice(award):
        # PCR 2015: the voluntary standstill runs from approval; under the Act from the UK6's publication.
        award.standstill_started_at = now
        award.standstill_ends_at = standstill.ends_if_started(award, now)
    audit.record(
        user,
        "direct_award.approved",
        "direct_award",
        award.id,
        summary=f"{award.reference}: award approved; {standstill.describe(award)}",
        after={"approved_at": now, "standstill_ends_at": award.standstill_ends_at},
    )
    approvals.record(user, "approve", direct_award_id=award.id, supplier_id=award.recommended_supplier_id, at=now)
    award_notices.approved(award)
    db.session.commit()
    return award


def return_award(user: User, direct_award_id: int, comment: str) -> DirectAward:
    """An approver other than the recommender sends the recommendation back to the buyer with a comment; it is
    cleared so the buyer can revise and recommend again, and the history keeps it (portal.services.approvals)."""
    if user.role != "approver":
        raise PermissionDeniedError("Only an approver can return a direct award.")
    award = awards.get_for_officer(user, direct_award_id, for_update=True)
    if award.cancelled_at is not None:
        raise ConflictError("This direct award has been cancelled.")
    if award.recommended_at is None or award.approved_at is not None:
        raise ConflictError("Only an award waiting for approval can be returned.")
    if award.recommended_by_id == user.id:
        raise ConflictError("You recommended this award, so another approver must decide on it.")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError("Enter a comment saying what the buyer should change", field="comment")
    recommender = db.session.get(User, award.recommended_by_id) if award.recommended_by_id else None
    supplier_id = award.recommended_supplier_id
    before = {
        "recommended_at": award.recommended_at,
        "recommended_by_id": award.recommended_by_id,
        "supplier_id": supplier_id,
        "justification": award.justification,
    }
    award.recommended_at = award.recommended_by_id = None
    award.recommended_shortlist_id = award.recommended_supplier_id = None
    audit.record(
        user, "direct_award.returned", "direct_award", award.id,
        summary=f"{award.reference}: recommendation returned to the buyer", before=before, after={"comment": comment},
    )  # fmt: skip
    approvals.record(user, "return", direct_award_id=award.id, comment=comment, supplier_id=supplier_id)
    award_notices.returned(user, award, recommender, comment)
    db.session.commit()
    return award


def cancel(user: User, direct_award_id: int, reason: str) -> DirectAward:
    award = awards.get_for_officer(user, direct_award_id, for_update=True)
    if award.cancelled_at is not None:
        raise ConflictError("This direct award has already been cancelled.")
    if award.accepted_at is not None:
        raise ConflictError("The supplier has accepted the award, so it cannot be cancelled here.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Enter the reason for cancelling", field="reason")
    award.cancelled_at = utcnow()
    award.cancelled_by_id = user.id
    award.cancel_reason = reason
    audit.record(
        user, "direct_award.cancelled", "direct_award", award.id, summary=f"{award.reference}: cancelled",
        after={"reason": reason},
    )  # fmt: skip
    db.session.commit()
    return award


# --- Step 7: the supplier -----------------------------------------------------------------------------------------


def _supplier_query(user: User):
    if not user.is_supplier:
        raise PermissionDeniedError("Only supplier users can see their direct awards.")
    return select(DirectAward).where(
        DirectAward.recommended_supplier_id == user.supplier_id, DirectAward.approved_at.is_not(None)
    )


def supplier_awards(user: User) -> list[DirectAward]:
    query = _supplier_query(user).options(
        selectinload(DirectAward.buyer_organisation), selectinload(DirectAward.lot).selectinload(Lot.framework)
    )
    return list(db.session.scalars(query.order_by(DirectAward.approved_at.desc())))


def get_for_supplier(user: User, direct_award_id: int, *, for_update: bool = False) -> DirectAward:
    query = _supplier_query(user).where(DirectAward.id == direct_award_id)
    if for_update:
        query = query.with_for_update()
    award = db.session.scalar(query)
    if award is None:
        raise NotFoundError("Direct award not found")
    return award


def accept(user: User, direct_award_id: int) -> DirectAward:
    award = get_for_supplier(user, direct_award_id, for_update=True)
    if award.cancelled_at is not None:
        raise ConflictError("The buyer has cancelled this award.")
    if award.accepted_at is not None:
        raise ConflictError("You have already accepted this award.")
    award.accepted_at = utcnow()
    award.accepted_by_id = user.id
    audit.record(
        user, "direct_award.accepted", "direct_award", award.id, summary=f"{award.reference}: accepted by supplier",
        after={"accepted_at": award.accepted_at},
    )  # fmt: skip
    award_notices.accepted(award, db.session.get(Supplier, award.recommended_supplier_id))
    db.session.commit()
    return award


def people(award: DirectAward) -> dict[str, User | None]:
    ids = {
        "recommended_by": award.recommended_by_id,
        "approved_by": award.approved_by_id,
        "accepted_by": award.accepted_by_id,
        "cancelled_by": award.cancelled_by_id,
    }
    return {k: db.session.get(User, v) if v else None for k, v in ids.items()}
