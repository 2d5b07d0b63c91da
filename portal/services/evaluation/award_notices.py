"""Who hears of each step of a mini-competition award's approval (portal.services.notifications.notify), in the
caller's transaction. Nothing here names a bid before the results exist: these steps follow moderation, after opening.
"""

from __future__ import annotations

from portal.models import Bid, Competition, User
from portal.services.notifications import notify, recipients
from portal.services.notifications.links import path_for


def _named(competition: Competition) -> str:
    return f"{competition.reference} {competition.title}"


def recommended(recommender: User, competition: Competition, bid: Bid) -> None:
    """The organisation's approvers, but not the recommender, who cannot approve their own recommendation."""
    approvers = [p for p in recipients.approvers(competition.buyer_organisation_id) if p.id != recommender.id]
    notify(
        approvers,
        "award_recommended",
        f"Award to approve: {_named(competition)}",
        f"{recommender.name} recommends awarding {competition.reference} to {bid.supplier.short_name}.\n\n"
        "Approve the award, or return it to the buyer with a comment.",
        link=path_for("evaluation.approve", competition_id=competition.id),
    )


def returned(approver: User, competition: Competition, recommender: User | None, comment: str) -> None:
    """The buyer who recommended and the organisation's procurement officers (any of them may revise it)."""
    people = ([recommender] if recommender else []) + recipients.procurement_officers(competition.buyer_organisation_id)
    notify(
        [p for p in people if p.id != approver.id],
        "award_returned",
        f"Award returned: {_named(competition)}",
        f"{approver.name} returned the award recommendation with this comment:\n\n{comment}\n\n"
        "Revise the recommendation and submit it again.",
        link=path_for("evaluation.recommend", competition_id=competition.id),
    )


def approved(approver: User, competition: Competition, bid: Bid) -> None:
    notify(
        [p for p in recipients.procurement_officers(competition.buyer_organisation_id) if p.id != approver.id],
        "award_approved",
        f"Award approved: {_named(competition)}",
        f"{approver.name} approved the award to {bid.supplier.short_name}.\n\n"
        "Send the assessment summaries to every bidder next.",
        link=path_for("evaluation.competition", competition_id=competition.id),
    )
