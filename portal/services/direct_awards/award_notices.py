"""Who hears of each step of a direct award's approval and acceptance (portal.services.notifications.notify), in
the caller's transaction."""

from __future__ import annotations

from portal.models import DirectAward, Supplier, User
from portal.services.notifications import notify, recipients
from portal.services.notifications.links import path_for


def _named(award: DirectAward) -> str:
    return f"{award.reference} {award.title}"


def recommended(recommender: User, award: DirectAward, supplier_name: str) -> None:
    """The organisation's approvers, but not the recommender, who cannot approve their own recommendation."""
    notify(
        [p for p in recipients.approvers(award.buyer_organisation_id) if p.id != recommender.id],
        "direct_award_recommended",
        f"Direct award to approve: {_named(award)}",
        f"{recommender.name} recommends awarding {award.reference} directly to {supplier_name}.\n\n"
        "Approve the award, or return it to the buyer with a comment.",
        link=path_for("direct_awards.approve", direct_award_id=award.id),
    )


def returned(approver: User, award: DirectAward, recommender: User | None, comment: str) -> None:
    notify(
        [recommender] if recommender else [],
        "direct_award_returned",
        f"Direct award returned: {_named(award)}",
        f"{approver.name} returned the direct award with this comment:\n\n{comment}\n\n"
        "Revise the recommendation and submit it again.",
        link=path_for("direct_awards.award", direct_award_id=award.id),
    )


def approved(award: DirectAward) -> None:
    """The supplier's users: the award now waits for their acceptance."""
    supplier_id = award.recommended_supplier_id
    notify(
        recipients.supplier_users([supplier_id] if supplier_id else []),
        "direct_award_approved",
        f"Direct award to accept: {_named(award)}",
        f"{award.buyer_organisation.name} has approved a direct award of {award.reference} {award.title} to you.\n\n"
        "Read it and accept it.",
        link=path_for("direct_awards.supplier_award", direct_award_id=award.id),
    )


def accepted(award: DirectAward, supplier: Supplier | None) -> None:
    name = supplier.short_name if supplier else "The supplier"
    notify(
        recipients.procurement_officers(award.buyer_organisation_id),
        "direct_award_accepted",
        f"Direct award accepted: {_named(award)}",
        f"{name} accepted the direct award {award.reference}.",
        link=path_for("direct_awards.show", direct_award_id=award.id),
    )
