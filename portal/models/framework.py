"""Frameworks, their extension options, lots, capabilities and price items."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain import framework_term as term
from portal.models.base import Model, UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.supplier import LotMembership
    from portal.models.user import User


class Framework(Model):
    __tablename__ = "framework"
    __table_args__ = (
        # A framework's term must run forwards; every status calculation relies on it.
        CheckConstraint("initial_end_on > start_on", name="term_runs_forwards"),
        # The two regimes the law knows; each drives different call-off rules.
        CheckConstraint("regime IN ('pcr2015', 'pa2023')", name="known_regime"),
        # Call-off terms are capped at this many months; a cap of none would allow no call-off at all.
        CheckConstraint("max_call_off_months > 0", name="call_off_term_positive"),
        # The earliest allowed deadline is this many days after publication, never before it.
        CheckConstraint("min_bid_period_days >= 0", name="bid_period_not_negative"),
        # Standstill counts working days, and which days are bank holidays depends on the region.
        CheckConstraint(
            "bank_holiday_region IN ('england-and-wales', 'scotland', 'northern-ireland')",
            name="known_bank_holiday_region",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Every call-off and contract cites its framework by this reference, so it names one framework.
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    regime: Mapped[str] = mapped_column(String(10))
    start_on: Mapped[date]
    initial_end_on: Mapped[date]
    max_call_off_months: Mapped[int]
    min_bid_period_days: Mapped[int] = mapped_column(default=10)
    bank_holiday_region: Mapped[str] = mapped_column(String(20), default="england-and-wales")
    # The framework's call-off terms as a template with {placeholders}; every call-off contract carries them.
    call_off_terms: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lots: Mapped[list[Lot]] = relationship(
        back_populates="framework", order_by="Lot.number", cascade="all, delete-orphan"
    )
    extension_options: Mapped[list[ExtensionOption]] = relationship(
        back_populates="framework", order_by="ExtensionOption.sequence", cascade="all, delete-orphan"
    )
    eligible_buyer_types: Mapped[list[FrameworkBuyerType]] = relationship(
        cascade="all, delete-orphan", order_by="FrameworkBuyerType.organisation_type"
    )

    def _options(self) -> list[term.ExtensionOption]:
        return [term.ExtensionOption(o.sequence, o.months, o.exercised_at is not None) for o in self.extension_options]

    def status_on(self, today: date) -> term.FrameworkStatus:
        return term.status_on(today, self.start_on, self.initial_end_on, self._options())

    @property
    def current_end_on(self) -> date:
        return term.current_end(self.initial_end_on, self._options())

    @property
    def latest_possible_end_on(self) -> date:
        return term.latest_possible_end(self.initial_end_on, self._options())

    @property
    def regime_label(self) -> str:
        return term.Regime(self.regime).label

    @property
    def term_description(self) -> str:
        """E.g. '2 years + 1 + 1'."""
        initial = term.months_between(self.start_on, self.initial_end_on)
        return term.describe_term(initial, [o.months for o in self.extension_options])

    @property
    def buyer_type_values(self) -> list[str]:
        return [t.organisation_type for t in self.eligible_buyer_types]


class FrameworkBuyerType(Model):
    """Which kinds of buyer organisation may call off from a framework."""

    __tablename__ = "framework_buyer_type"
    __table_args__ = (
        # Eligibility compares these with a buyer organisation's type, drawn from the same set.
        CheckConstraint(
            "organisation_type IN ('police', 'fire', 'ambulance', 'local_authority', 'other')",
            name="known_organisation_type",
        ),
    )

    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id", ondelete="CASCADE"), primary_key=True)
    organisation_type: Mapped[str] = mapped_column(String(20), primary_key=True)


class ExtensionOption(Model):
    __tablename__ = "extension_option"
    __table_args__ = (
        # Options are numbered 1, 2, ... within a framework and exercised in that order.
        UniqueConstraint("framework_id", "sequence"),
        # An option extends the term; one of no months would change nothing.
        CheckConstraint("months > 0", name="months_positive"),
        # Numbering starts at 1, so 'option 1' on screen is the first one exercised.
        CheckConstraint("sequence > 0", name="sequence_positive"),
        # Exercising is recorded with who did it: both or neither.
        CheckConstraint("(exercised_at IS NULL) = (exercised_by_id IS NULL)", name="exercised_with_actor"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id", ondelete="CASCADE"), index=True)
    sequence: Mapped[int]
    months: Mapped[int]
    exercised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    exercised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    framework: Mapped[Framework] = relationship(back_populates="extension_options")
    exercised_by: Mapped[User | None] = relationship()


class Lot(Model):
    __tablename__ = "lot"
    __table_args__ = (
        # "Lot 1" means one thing within a framework.
        UniqueConstraint("framework_id", "number"),
        # Lots are numbered from 1, as the framework's documents name them.
        CheckConstraint("number > 0", name="number_positive"),
        # Direct award needs an objective mechanism (PA 2023 s.45); only these two are supported.
        CheckConstraint("selection_mechanism IN ('lowest_cost', 'highest_ranking')", name="known_selection_mechanism"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # The lot's main CPV code (e.g. "72000000-5"): transparency notices classify a call-off's items by it.
    cpv_code: Mapped[str | None] = mapped_column(String(10))
    # Direct award settings: whether the lot allows it and how the supplier is chosen.
    direct_award_allowed: Mapped[bool] = mapped_column(default=False)
    selection_mechanism: Mapped[str] = mapped_column(String(20), default="lowest_cost")
    # Comma-separated tie-break rule codes applied in order, e.g. "framework_ranking,lower_cost".
    direct_award_tie_break: Mapped[str] = mapped_column(String(100), default="framework_ranking,lower_cost")

    framework: Mapped[Framework] = relationship(back_populates="lots")
    capabilities: Mapped[list[Capability]] = relationship(
        back_populates="lot", order_by="Capability.position, Capability.id", cascade="all, delete-orphan"
    )
    price_items: Mapped[list[PriceItem]] = relationship(
        back_populates="lot", order_by="PriceItem.position, PriceItem.id", cascade="all, delete-orphan"
    )
    memberships: Mapped[list[LotMembership]] = relationship(back_populates="lot", cascade="all, delete-orphan")

    @property
    def label(self) -> str:
        return f"Lot {self.number}: {self.title}"


class Capability(Model):
    __tablename__ = "capability"
    __table_args__ = (
        # A capability is named once per lot so buyers can require it unambiguously.
        UniqueConstraint("lot_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lot.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    lot: Mapped[Lot] = relationship(back_populates="capabilities")


class PriceItem(Model):
    """A thing a supplier prices on a lot, e.g. a user licence per month or an onboarding day."""

    __tablename__ = "price_item"
    __table_args__ = (
        # Suppliers price items by name on their price cards; two alike on one lot could not be told apart.
        UniqueConstraint("lot_id", "name"),
        # Monthly items are multiplied by the contract's months; one-off items are not.
        CheckConstraint("basis IN ('per_month', 'one_off')", name="known_basis"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lot.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(100))
    basis: Mapped[str] = mapped_column(String(10), default="one_off")
    position: Mapped[int] = mapped_column(default=0)

    lot: Mapped[Lot] = relationship(back_populates="price_items")

    @property
    def basis_label(self) -> str:
        return "per month" if self.basis == "per_month" else "one-off"
