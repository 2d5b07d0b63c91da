"""Every kind of notification the portal sends, in one table: who it goes to, whether it carries a legal step and
so can never be turned off, and how it is described on a person's notification settings.

A hand-off passes work from one person to another (a question to answer, an award to approve): it is always sent,
since the work would otherwise wait unseen. A reminder is computed from state before a deadline; a person may turn
off the reminders marked `optional`, and the e-mails of those carry a List-Unsubscribe header (RFC 2369, one-click
per RFC 8058). Kinds that carry a legal step (outcomes, standstill, awards, a supplier's suspension) are never
optional, whatever their category.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Category(StrEnum):
    HAND_OFF = "hand_off"
    RECEIPT = "receipt"
    REMINDER = "reminder"


@dataclass(frozen=True)
class Kind:
    key: str
    category: Category
    label: str  # as listed on the settings page and in the notifications list
    audience: str  # who receives it, in words
    legal_step: bool = False

    @property
    def optional(self) -> bool:
        """Whether a person may turn its e-mails off: only reminders that carry no legal step."""
        return self.category is Category.REMINDER and not self.legal_step


_KINDS = (
    # Competitions: invitations, questions, documents, deadlines
    Kind("invitation", Category.HAND_OFF, "You were invited to a competition", "invited suppliers"),
    Kind("question_asked", Category.HAND_OFF, "A supplier asked a clarification question", "the buyer"),
    Kind("question_answered", Category.HAND_OFF, "A clarification answer was published", "invited suppliers"),
    Kind("tender_documents_changed", Category.HAND_OFF, "Tender documents changed", "invited suppliers"),
    Kind("deadline_extended", Category.HAND_OFF, "A submission deadline was extended", "invited suppliers"),
    Kind("competition_cancelled", Category.HAND_OFF, "A competition was cancelled", "invited suppliers"),
    # Bids: receipts to the bidding supplier only (the seal: nobody else learns that a bid exists)
    Kind("bid_submitted", Category.RECEIPT, "Bid submitted (receipt)", "the bidding supplier"),
    Kind("bid_amended", Category.RECEIPT, "Bid amended (receipt)", "the bidding supplier"),
    Kind("bid_withdrawn", Category.RECEIPT, "Bid withdrawn (receipt)", "the bidding supplier"),
    # Evaluation and award
    Kind("bids_opened", Category.HAND_OFF, "Bids opened for evaluation", "evaluators"),
    Kind("scores_due", Category.HAND_OFF, "Scores due", "evaluators"),
    Kind("assessment_summary", Category.HAND_OFF, "Your assessment summary", "bidding suppliers", legal_step=True),
    Kind("award_recommended", Category.HAND_OFF, "An award waits for approval", "approvers", legal_step=True),
    Kind("award_returned", Category.HAND_OFF, "An award was returned with a comment", "the buyer", legal_step=True),
    Kind("award_approved", Category.HAND_OFF, "An award was approved", "the buyer", legal_step=True),
    # Direct awards
    Kind("direct_award_recommended", Category.HAND_OFF, "A direct award waits for approval", "approvers", True),
    Kind("direct_award_returned", Category.HAND_OFF, "A direct award was returned with a comment", "the buyer", True),
    Kind("direct_award_approved", Category.HAND_OFF, "A direct award waits for acceptance", "the supplier", True),
    Kind("direct_award_accepted", Category.HAND_OFF, "A direct award was accepted", "the buyer", True),
    # Contracts and suppliers
    Kind("contract_ready_to_sign", Category.HAND_OFF, "A contract is ready to sign", "buyer and supplier", True),
    Kind("contract_signed", Category.HAND_OFF, "The other party signed a contract", "buyer and supplier", True),
    Kind("supplier_suspended", Category.HAND_OFF, "Your organisation was suspended or excluded", "the supplier", True),
    # Reminders, computed from state (portal/services/notifications/reminders.py)
    Kind("reminder_deadline", Category.REMINDER, "Submission deadline in 3 days and in 1 day", "invited suppliers"),
    Kind("reminder_scores_due", Category.REMINDER, "Scores due", "evaluators"),
    Kind("reminder_approval_waiting", Category.REMINDER, "Approvals waiting more than two working days", "approvers"),
    Kind("reminder_standstill_ending", Category.REMINDER, "Standstill ending", "the buyer", legal_step=True),
    Kind("reminder_accreditation_expiring", Category.REMINDER, "Accreditation expiring in 60 and 30 days", "supplier"),
    Kind("reminder_contract_ending", Category.REMINDER, "Contract or option ending in 6 and 3 months", "buyer"),
)

KINDS: dict[str, Kind] = {kind.key: kind for kind in _KINDS}
OPTIONAL_KINDS: tuple[Kind, ...] = tuple(kind for kind in _KINDS if kind.optional)


def kind(key: str) -> Kind:
    """The kind named `key`; an unknown key is a programming error, raised at once rather than sent unlabelled."""
    try:
        return KINDS[key]
    except KeyError:
        raise ValueError(f"unknown notification kind {key!r}: declare it in notification_kinds.py") from None
