"""The evaluation's hand-offs to the panel: the bids are opened, and scores are due.

Only after opening, and only to the evaluators on the panel: before opening nobody but a bidder learns of a bid, so
nothing here is sent earlier. A panel appointed before opening hears once, when the bids are opened (scoring starts
then); an evaluator appointed after opening hears that their scores are due when appointed.
"""

from __future__ import annotations

from portal.domain.timefmt import format_date
from portal.models import Competition, User
from portal.services import notifications
from portal.services.notifications import links, recipients


def _due(competition: Competition) -> str:
    if competition.planned_evaluation_on is None:
        return "Score as soon as you can: the buyer has set no date for the evaluation to finish."
    return f"Scores are due by {format_date(competition.planned_evaluation_on)} (the planned end of the evaluation)."


def _steps(competition: Competition) -> str:
    return (
        "First declare any conflict of interest with each bidding supplier; then score the bids on the criteria "
        f"assigned to you. {_due(competition)}"
    )


def _link(competition: Competition) -> str:
    return links.path_for("evaluation.scoring", competition_id=competition.id)


def bids_opened(competition: Competition, bid_count: int) -> None:
    """Tell the panel the bids are open (with how many, now no longer sealed)."""
    bids = "1 bid was" if bid_count == 1 else f"{bid_count} bids were"
    notifications.notify(
        recipients.panel(competition.id),
        "bids_opened",
        f"Bids opened: {competition.title} ({competition.reference})",
        f"The bids for {competition.title} ({competition.reference}) have been opened: {bids} received. You are "
        f"on the evaluation panel.\n\n{_steps(competition)}",
        link=_link(competition),
    )


def scores_due(competition: Competition, evaluators: list[User]) -> None:
    """Tell evaluators appointed after opening that they can score now."""
    notifications.notify(
        evaluators,
        "scores_due",
        f"Scores due: {competition.title} ({competition.reference})",
        f"You have been appointed to the evaluation panel for {competition.title} ({competition.reference}). The "
        f"bids are open, so you can start now.\n\n{_steps(competition)}",
        link=_link(competition),
    )
