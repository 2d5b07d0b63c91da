"""Mini-competitions: the call-off, its criteria tree, price schedule, invitations and clarifications.

The lifecycle state is derived from the timestamps below by portal/domain/competition_lifecycle.py;
it is never stored twice.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Model, UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.framework import Capability, Lot, PriceItem
    from portal.models.organisation import BuyerOrganisation
    from portal.models.supplier import Supplier
    from portal.models.user import User


class Competition(Model):
    __tablename__ = "competition"
    __table_args__ = (
        # A call-off lasts at least a month; monthly price items are multiplied by the term.
        CheckConstraint("term_months > 0", name="term_positive"),
        # The estimated value is what the buyer expects to spend; below zero it is a typing error.
        CheckConstraint("estimated_value_pence >= 0", name="value_not_negative"),
        # The published price method must be one of the domain's PRICE_METHODS, or no bid could be scored.
        CheckConstraint("price_method IN ('lowest', 'mean', 'linear')", name="known_price_method"),
        # Linear scoring runs from zero to a budget, so it needs one.
        CheckConstraint("price_method <> 'linear' OR price_budget_pence > 0", name="linear_needs_budget"),
        # Suppliers must have the answers to their questions before they have to submit.
        CheckConstraint(
            "clarification_deadline_at IS NULL OR submission_deadline_at IS NULL"
            " OR clarification_deadline_at < submission_deadline_at",
            name="clarifications_close_first",
        ),
        # Cancelling always says why; the reason is sent to every invited supplier.
        CheckConstraint("cancelled_at IS NULL OR length(cancel_reason) > 0", name="cancel_has_reason"),
        # Four eyes: whoever recommends the award cannot also approve it.
        CheckConstraint(
            "approved_by_id IS NULL OR approved_by_id <> recommended_by_id", name="approver_not_recommender"
        ),
        # A started opening always names who started it and when, and the reverse.
        CheckConstraint(
            "(opening_started_at IS NULL) = (opening_started_by_id IS NULL)", name="opening_started_by_someone"
        ),
        # Four eyes on opening: the officer who confirms it cannot be the one who opened (started) it.
        CheckConstraint(
            "opening_confirmed_by_id IS NULL OR opening_confirmed_by_id <> opened_by_id",
            name="opening_confirmer_not_opener",
        ),
        # Assessment summaries report an approved result (PA 2023 s.50, reg 31): none is sent before approval.
        CheckConstraint(
            "assessment_summaries_sent_at IS NULL OR approved_at IS NOT NULL", name="summaries_after_approval"
        ),
        # Sending is audited and the notice names the date: a sending always has its sender, and the reverse.
        CheckConstraint(
            "(assessment_summaries_sent_at IS NULL) = (assessment_summaries_sent_by_id IS NULL)",
            name="summaries_sent_by_someone",
        ),
        # How far below the others' mean a price is abnormally low: at 0 % every cheaper bid would be, at 100 % none.
        CheckConstraint(
            "abnormally_low_percent > 0 AND abnormally_low_percent < 100", name="abnormally_low_threshold_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Buyers, suppliers and issued documents cite a competition by its reference, so it names one.
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    buyer_organisation_id: Mapped[int] = mapped_column(ForeignKey("buyer_organisation.id"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lot.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    title: Mapped[str] = mapped_column(String(200))
    statement_of_requirements: Mapped[str] = mapped_column(Text, default="")
    estimated_value_pence: Mapped[int] = mapped_column(BigInteger, default=0)
    term_months: Mapped[int] = mapped_column(default=12)
    planned_start_on: Mapped[date | None]
    price_method: Mapped[str] = mapped_column(String(10), default="lowest")
    price_budget_pence: Mapped[int | None] = mapped_column(BigInteger)
    # Published tie-break rule codes applied in order, e.g. "higher_quality,lower_price".
    tie_break: Mapped[str] = mapped_column(String(100), default="higher_quality,lower_price")
    abnormally_low_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("20"))
    voluntary_standstill_days: Mapped[int] = mapped_column(default=10)
    # The buyer's choice at recommendation (PA 2023 s.51(3): call-offs are exempt, a voluntary standstill is
    # recommended); under PCR 2015 the portal always applies the voluntary standstill (portal.domain.law).
    standstill_applies: Mapped[bool] = mapped_column(default=True, server_default=true())
    clarification_deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submission_deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    planned_evaluation_on: Mapped[date | None]
    planned_award_on: Mapped[date | None]
    # Why the invitation list is narrower than every active member of the lot (by required capabilities).
    narrowing_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Opening under dual control: one officer starts the opening (a pending request, until it is confirmed,
    # cancelled or lapses), a second officer confirms it in their own session, and only then are the bids opened.
    opening_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opening_started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    opening_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    evaluation_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recommended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recommended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recommended_bid_id: Mapped[int | None] = mapped_column(ForeignKey("bid.id", use_alter=True))
    recommendation_note: Mapped[str] = mapped_column(Text, default="")
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    standstill_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    standstill_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the buyer sent every assessed supplier its assessment summary (letter), and who did: the UK6 carries the
    # date (award.assessmentSummariesDateSent); suppliers see their outcome and letter from then on.
    assessment_summaries_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assessment_summaries_sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    awarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    awarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    # Optimistic locking: two officers editing the same draft cannot silently overwrite each other.
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}

    buyer_organisation: Mapped[BuyerOrganisation] = relationship()
    lot: Mapped[Lot] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    criteria: Mapped[list[CompetitionCriterion]] = relationship(
        back_populates="competition",
        order_by="CompetitionCriterion.position, CompetitionCriterion.id",
        cascade="all, delete-orphan",
    )
    schedule_lines: Mapped[list[PriceScheduleLine]] = relationship(
        back_populates="competition", cascade="all, delete-orphan", order_by="PriceScheduleLine.id"
    )
    invitations: Mapped[list[Invitation]] = relationship(back_populates="competition", cascade="all, delete-orphan")
    required_capabilities: Mapped[list[CompetitionRequiredCapability]] = relationship(cascade="all, delete-orphan")
    extensions: Mapped[list[DeadlineExtension]] = relationship(
        cascade="all, delete-orphan", order_by="DeadlineExtension.extended_at"
    )


class CompetitionCriterion(Model):
    """A node of the competition's criteria tree.

    Top-level nodes are groups (or the price node); groups hold quality or pass/fail criteria,
    which may be split into sub-criteria. Pass/fail nodes carry no weight; every other set of
    siblings sums to exactly 100 (checked by the domain before publication).
    """

    __tablename__ = "competition_criterion"
    __table_args__ = (
        # The tree holds groups, the price node and quality or pass/fail leaves; scoring knows nothing else.
        CheckConstraint("kind IN ('group', 'quality', 'pass_fail', 'price')", name="known_kind"),
        # A weight is a percentage of its siblings (the domain checks each set sums to 100 before publication).
        CheckConstraint("weight IS NULL OR (weight >= 0 AND weight <= 100)", name="weight_percent"),
        # Each allowed scale divides a power of ten, which keeps every weighted score an exact decimal.
        CheckConstraint("scale_max IS NULL OR scale_max IN (4, 5, 10, 100)", name="known_scale"),
        # A limit of no words would forbid the answer the question asks for.
        CheckConstraint("word_limit IS NULL OR word_limit > 0", name="word_limit_positive"),
        # Scores start at 0, so a negative minimum would be a threshold no bid could fall below.
        CheckConstraint("min_score IS NULL OR min_score >= 0", name="min_score_not_negative"),
        # Pass/fail is a gate, not a weighted score.
        CheckConstraint("kind <> 'pass_fail' OR weight IS NULL", name="pass_fail_unweighted"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("competition_criterion.id", ondelete="CASCADE"))
    source_group_id: Mapped[int | None] = mapped_column(ForeignKey("award_criterion_group.id"))
    source_criterion_id: Mapped[int | None] = mapped_column(ForeignKey("award_criterion.id"))
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text, default="")
    guidance: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))
    min_weight: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))
    max_weight: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))
    word_limit: Mapped[int | None]
    scale_max: Mapped[int | None]
    min_score: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    position: Mapped[int] = mapped_column(default=0)

    competition: Mapped[Competition] = relationship(back_populates="criteria")
    parent: Mapped[CompetitionCriterion | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[CompetitionCriterion]] = relationship(
        back_populates="parent",
        order_by="CompetitionCriterion.position, CompetitionCriterion.id",
        cascade="all, delete-orphan",
    )
    descriptors: Mapped[list[ScoreDescriptor]] = relationship(
        cascade="all, delete-orphan", order_by="ScoreDescriptor.score"
    )


class ScoreDescriptor(Model):
    """What a score means on a criterion's scale, published with the criteria."""

    __tablename__ = "score_descriptor"
    __table_args__ = (
        # Each point of the scale has one published meaning, so evaluators and bidders read the same descriptor.
        UniqueConstraint("criterion_id", "score"),
        # Scales start at 0: a descriptor for a negative score could never be given.
        CheckConstraint("score >= 0", name="score_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("competition_criterion.id", ondelete="CASCADE"), index=True)
    score: Mapped[int]
    descriptor: Mapped[str] = mapped_column(Text)


class PriceScheduleLine(Model):
    """A price item the buyer wants priced, with its quantity (months come from the term for monthly items)."""

    __tablename__ = "price_schedule_line"
    __table_args__ = (
        # Each price item is priced once; a second line would count its quantity twice in every bid's total.
        UniqueConstraint("competition_id", "price_item_id"),
        # A negative quantity would turn a supplier's price into a discount on its total.
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    price_item_id: Mapped[int] = mapped_column(ForeignKey("price_item.id"))
    quantity: Mapped[int]

    competition: Mapped[Competition] = relationship(back_populates="schedule_lines")
    price_item: Mapped[PriceItem] = relationship()


class CompetitionRequiredCapability(Model):
    """A capability every invited supplier must claim (the only allowed way to narrow the list)."""

    __tablename__ = "competition_required_capability"

    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), primary_key=True)
    capability_id: Mapped[int] = mapped_column(ForeignKey("capability.id"), primary_key=True)

    capability: Mapped[Capability] = relationship()


class Invitation(Model):
    """A supplier invited to the competition; the list is frozen at publication."""

    __tablename__ = "invitation"
    __table_args__ = (
        # The frozen list names each supplier once: it is notified once and answers once.
        UniqueConstraint("competition_id", "supplier_id"),
        # Pending until the supplier says it will bid or declines; a supplier with a submitted bid cannot decline.
        CheckConstraint("response IN ('pending', 'bidding', 'declined')", name="known_response"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id"), index=True)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    response: Mapped[str] = mapped_column(String(10), default="pending")
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decline_reason: Mapped[str] = mapped_column(Text, default="")

    competition: Mapped[Competition] = relationship(back_populates="invitations")
    supplier: Mapped[Supplier] = relationship()


class DeadlineExtension(Model):
    __tablename__ = "deadline_extension"
    __table_args__ = (
        # An extension gives suppliers more time; moving the deadline earlier would cut their bids short.
        CheckConstraint("new_deadline_at > previous_deadline_at", name="extends_later"),
        # Every invited supplier is told why the deadline moved.
        CheckConstraint("length(reason) > 0", name="has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    previous_deadline_at: Mapped[datetime] = mapped_column(UTCDateTime)
    new_deadline_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text)
    extended_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    extended_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Clarification(Model):
    """A supplier's question and the buyer's answer, published to all (anonymously) or privately."""

    __tablename__ = "clarification"
    __table_args__ = (
        # Which suppliers may read an answer follows from this: every invited supplier, or only the asker.
        CheckConstraint("audience IN ('all', 'private')", name="known_audience"),
        # A private answer withholds information from competitors, so the reason is recorded.
        CheckConstraint("audience <> 'private' OR length(private_reason) > 0", name="private_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id"), index=True)
    asked_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    question: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answer: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(10), default="all")
    private_reason: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    supplier: Mapped[Supplier] = relationship()
