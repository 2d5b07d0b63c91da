"""Evaluation: the panel, who scores which criterion, conflicts per supplier, scores and moderated scores."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Model, UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.supplier import Supplier
    from portal.models.user import User


class CompetitionEvaluator(Model):
    """Panel membership: who evaluates this competition (their criteria are in EvaluatorAssignment)."""

    __tablename__ = "competition_evaluator"
    __table_args__ = (
        # A person sits on a competition's panel once; the criteria they score are their assignments.
        UniqueConstraint("competition_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    assigned_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class EvaluatorAssignment(Model):
    """A panel member assigned to score one quality criterion (the buyer chooses per criterion)."""

    __tablename__ = "evaluator_assignment"
    __table_args__ = (
        # One assignment per evaluator per criterion: assigning twice would double-count nothing but confuses audit.
        UniqueConstraint("competition_id", "user_id", "criterion_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("competition_criterion.id", ondelete="CASCADE"))
    assigned_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


CONFLICT_ROLES = ("opener", "evaluator", "moderator", "recommender", "approver")


class ConflictDeclaration(Model):
    """PA 2023 s.81-83 / PCR 2015 reg 24: everyone who influences the decision declares, per supplier and before
    they act, any conflict of interest.

    `role` says in which capacity: the officers who start and confirm the opening declare against the
    invited suppliers before the seal is broken; evaluators, the moderator, the officer who recommends and the
    approver against each bidding supplier once the bids are open. A declared conflict keeps the person from that
    action (an evaluator: from that supplier's bid) unless another officer of the buying organisation records a
    mitigation.
    """

    __tablename__ = "conflict_declaration"
    __table_args__ = (
        # One answer per person, capacity and supplier in a competition; a changed answer would rewrite history,
        # but the same person may act (and so declare) in two capacities, e.g. evaluator and moderator.
        UniqueConstraint("competition_id", "user_id", "role", "supplier_id"),
        # The capacities the portal gates on; anything else would be a declaration no action ever checks.
        CheckConstraint(
            "role IN ('opener', 'evaluator', 'moderator', 'recommender', 'approver')", name="known_conflict_role"
        ),
        # A conflict must say what it is, or nobody can judge a mitigation.
        CheckConstraint("NOT has_conflict OR length(details) > 0", name="conflict_has_details"),
        # Only a declared conflict can be mitigated.
        CheckConstraint("mitigation IS NULL OR has_conflict", name="mitigates_a_conflict"),
        # A mitigation is a decision: it names who recorded it and when, and says what it is.
        CheckConstraint(
            "mitigation IS NULL OR "
            "(length(mitigation) > 0 AND mitigated_by_id IS NOT NULL AND mitigated_at IS NOT NULL)",
            name="mitigation_names_officer",
        ),
        # Nobody mitigates their own conflict: another officer decides how it is managed.
        CheckConstraint("mitigated_by_id IS NULL OR mitigated_by_id <> user_id", name="mitigated_by_another"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id"))
    role: Mapped[str] = mapped_column(String(20), default="evaluator")
    has_conflict: Mapped[bool]
    details: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    mitigation: Mapped[str | None] = mapped_column(Text)
    mitigated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    mitigated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    supplier: Mapped[Supplier] = relationship()
    mitigated_by: Mapped[User | None] = relationship(foreign_keys=[mitigated_by_id])

    @property
    def bars(self) -> bool:
        """True if this declaration keeps the person from the supplier's bid (evaluator) or from acting."""
        return self.has_conflict and self.mitigation is None


class Score(Model):
    """One evaluator's score for one bid on one quality criterion, with a justification."""

    __tablename__ = "score"
    __table_args__ = (
        # Each evaluator scores each bid on each criterion once (re-scoring edits it, audited).
        UniqueConstraint("bid_id", "criterion_id", "evaluator_id"),
        # Scales start at 0 (the service checks the top against the criterion's scale).
        CheckConstraint("score >= 0", name="score_not_negative"),
        # A score without written reasons cannot be moderated, nor defended if a supplier challenges the award.
        CheckConstraint("length(justification) > 0", name="justified"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("competition_criterion.id", ondelete="CASCADE"))
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    score: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    justification: Mapped[str] = mapped_column(Text)
    scored_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    evaluator: Mapped[User] = relationship()


class ModeratedScore(Model):
    """The consensus score that counts; individual scores stay on record."""

    __tablename__ = "moderated_score"
    __table_args__ = (
        # The consensus score is the one that counts, so a bid has one per criterion.
        UniqueConstraint("bid_id", "criterion_id"),
        # Scales start at 0 (the service checks the top against the criterion's scale).
        CheckConstraint("score >= 0", name="score_not_negative"),
        # The consensus may differ from every evaluator's own score, so it is explained in writing.
        CheckConstraint("length(rationale) > 0", name="has_rationale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("competition_criterion.id", ondelete="CASCADE"))
    score: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    rationale: Mapped[str] = mapped_column(Text)
    moderator_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    moderated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
