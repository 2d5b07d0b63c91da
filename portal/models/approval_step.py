"""The history of an award's approval: every recommendation, return with a comment and approval, kept for good.

The competition and direct award rows hold only the current recommendation (cleared when an approver returns it so
the buyer can revise it); these steps keep what was recommended, returned and approved before, by whom and why, for
the approver's page, the evaluation report and the direct award record.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Model, UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.user import User

APPROVAL_ACTIONS = ("recommend", "return", "approve")


class ApprovalStep(Model):
    __tablename__ = "approval_step"
    __table_args__ = (
        # A step belongs to exactly one award: a mini-competition's or a direct award's, never both or neither,
        # so each history reads one column and no step is lost between them.
        CheckConstraint("(competition_id IS NULL) <> (direct_award_id IS NULL)", name="one_award"),
        # The three steps of the four-eyes approval; the report words each, so no other value can be shown.
        CheckConstraint("action IN ('recommend', 'return', 'approve')", name="known_action"),
        # Returning sends the award back to the buyer, who must know what to change: a return always says why.
        CheckConstraint("action <> 'return' OR length(comment) > 0", name="return_has_comment"),
        # The history is read per award in order.
        Index("ix_approval_step_competition", "competition_id", "at"),
        Index("ix_approval_step_direct_award", "direct_award_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int | None] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"))
    direct_award_id: Mapped[int | None] = mapped_column(ForeignKey("direct_award.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    comment: Mapped[str] = mapped_column(Text, default="")
    # What was recommended at this step (a competition's bid, a direct award's supplier), so a revised
    # recommendation can be told from the one returned.
    bid_id: Mapped[int | None] = mapped_column(ForeignKey("bid.id", ondelete="SET NULL"))
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id"))

    actor: Mapped[User] = relationship(foreign_keys=[actor_id])
