"""Suppliers and what the framework knows of them: lots, capabilities, prices, accreditations, exclusions."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain import suppliers as rules
from portal.models.base import Model, UTCDateTime, utcnow
from portal.models.organisation import ITL1_CODES_SQL, PartyIdentity

if TYPE_CHECKING:
    from portal.models.framework import Capability, Lot, PriceItem


class Supplier(PartyIdentity, Model):
    __tablename__ = "supplier"
    __table_args__ = (
        # Companies House numbers are 8 characters (e.g. 05379456, SC123456); blank is allowed for
        # suppliers not registered there, but two suppliers never share one.
        CheckConstraint(
            "companies_house_number IS NULL OR length(companies_house_number) = 8",
            name="companies_house_number_length",
        ),
        # Stored normalised (portal/domain/parties.py checks the pattern on entry); the lengths are the part of each
        # pattern both SQLite and PostgreSQL can check.
        CheckConstraint("ppon IS NULL OR length(ppon) = 14", name="ppon_length"),
        # A registered charity number (England and Wales) is 6 or 7 digits.
        CheckConstraint("charity_number IS NULL OR length(charity_number) IN (6, 7)", name="charity_number_length"),
        # Notices publish the region as an ITL 1 code: anything else is a region Find a Tender does not know.
        CheckConstraint(f"itl_region IS NULL OR itl_region IN ({ITL1_CODES_SQL})", name="known_itl_region"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Contracts and letters name a supplier by its legal name, so two suppliers never share one.
    legal_name: Mapped[str] = mapped_column(String(200), unique=True)
    trading_name: Mapped[str] = mapped_column(String(200), default="")
    # A company is registered once at Companies House: one number, one supplier.
    companies_house_number: Mapped[str | None] = mapped_column(String(8), unique=True)
    # The platform registers an organisation once: one PPON, one supplier. One identifier per scheme (a column each).
    ppon: Mapped[str | None] = mapped_column(String(14), unique=True)
    # A charity is registered once: one number, one supplier.
    charity_number: Mapped[str | None] = mapped_column(String(7), unique=True)
    itl_region: Mapped[str | None] = mapped_column(String(3))
    registered_address: Mapped[str] = mapped_column(Text, default="")
    sme: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    accreditations: Mapped[list[Accreditation]] = relationship(
        back_populates="supplier", order_by="Accreditation.scheme", cascade="all, delete-orphan"
    )
    memberships: Mapped[list[LotMembership]] = relationship(back_populates="supplier", cascade="all, delete-orphan")
    claims: Mapped[list[CapabilityClaim]] = relationship(back_populates="supplier", cascade="all, delete-orphan")
    exclusions: Mapped[list[Exclusion]] = relationship(
        back_populates="supplier", order_by="Exclusion.starts_on.desc()", cascade="all, delete-orphan"
    )

    @property
    def display_name(self) -> str:
        if self.trading_name and self.trading_name != self.legal_name:
            return f"{self.trading_name} ({self.legal_name})"
        return self.legal_name

    @property
    def short_name(self) -> str:
        return self.trading_name or self.legal_name

    def excluded_on(self, day: date) -> bool:
        return rules.is_excluded_on(day, [rules.Period(e.starts_on, e.ends_on) for e in self.exclusions])


class Accreditation(Model):
    __tablename__ = "accreditation"
    __table_args__ = (
        # A certificate cannot lapse before it was awarded.
        CheckConstraint(
            "expires_on IS NULL OR awarded_on IS NULL OR expires_on >= awarded_on", name="expires_after_award"
        ),
        # Covering indexes for the catalogue search (portal/services/catalogue/query.py): who holds a
        # scheme (the accreditation filter), and which schemes a supplier holds (the facet counts).
        Index("ix_accreditation_scheme_supplier_id", "scheme", "supplier_id", "expires_on"),
        Index("ix_accreditation_supplier_id_scheme", "supplier_id", "scheme", "expires_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="CASCADE"), index=True)
    scheme: Mapped[str] = mapped_column(String(120))
    certificate_reference: Mapped[str] = mapped_column(String(120), default="")
    awarded_on: Mapped[date | None]
    expires_on: Mapped[date | None]

    supplier: Mapped[Supplier] = relationship(back_populates="accreditations")

    def valid_on(self, day: date) -> bool:
        return rules.accreditation_valid_on(day, self.expires_on)


class LotMembership(Model):
    __tablename__ = "lot_membership"
    __table_args__ = (
        # A supplier is on a lot once; its history lives in the audit trail.
        UniqueConstraint("supplier_id", "lot_id"),
        # Only an active membership may be invited or awarded; suspended and removed ones keep the history.
        CheckConstraint("status IN ('active', 'suspended', 'removed')", name="known_status"),
        # A membership is a period on the lot; eligibility on a date relies on it running forwards.
        CheckConstraint("left_on IS NULL OR left_on >= joined_on", name="leaves_after_joining"),
        # Suspending or removing a supplier always says why.
        CheckConstraint("status = 'active' OR length(status_reason) > 0", name="reason_unless_active"),
        # 1 is the best, as 'highest ranking' direct awards read it; an unranked supplier has none, not 0.
        CheckConstraint("framework_ranking IS NULL OR framework_ranking > 0", name="ranking_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="CASCADE"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lot.id", ondelete="CASCADE"), index=True)
    joined_on: Mapped[date]
    left_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(10), default="active")
    status_reason: Mapped[str] = mapped_column(Text, default="")
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The framework's ranking of this supplier on the lot (1 = best), for "highest ranking" direct awards.
    framework_ranking: Mapped[int | None]

    supplier: Mapped[Supplier] = relationship(back_populates="memberships")
    lot: Mapped[Lot] = relationship(back_populates="memberships")

    @property
    def is_active(self) -> bool:
        return self.status == rules.MembershipStatus.ACTIVE


class CapabilityClaim(Model):
    """A supplier's claim that it meets a lot capability, with its evidence."""

    __tablename__ = "capability_claim"
    __table_args__ = (
        # One claim per capability per supplier: the evidence is edited, not duplicated.
        UniqueConstraint("supplier_id", "capability_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="CASCADE"), index=True)
    capability_id: Mapped[int] = mapped_column(ForeignKey("capability.id", ondelete="CASCADE"), index=True)
    evidence: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    supplier: Mapped[Supplier] = relationship(back_populates="claims")
    capability: Mapped[Capability] = relationship()


class SupplierPrice(Model):
    """One version of a supplier's unit price for a price item, effective from a date.

    Prices are never edited in place: a change adds a version, so the price that applied on
    any past date can be shown as evidence.
    """

    __tablename__ = "supplier_price"
    __table_args__ = (
        # One version per item per effective date, so "the price on a date" is unambiguous.
        UniqueConstraint("supplier_id", "price_item_id", "effective_from"),
        # An item may be free, but a negative price would pay the buyer and lower every cost it is in.
        CheckConstraint("unit_price_pence >= 0", name="price_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="CASCADE"), index=True)
    price_item_id: Mapped[int] = mapped_column(ForeignKey("price_item.id", ondelete="CASCADE"), index=True)
    unit_price_pence: Mapped[int]
    effective_from: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    price_item: Mapped[PriceItem] = relationship()


class Exclusion(Model):
    """An entry on the debarment list (or a recorded exclusion) against a supplier."""

    __tablename__ = "exclusion"
    __table_args__ = (
        # The kind caps how long an entry may last (PA 2023: 5 years mandatory, 3 discretionary).
        CheckConstraint("kind IN ('mandatory', 'discretionary')", name="known_kind"),
        # An exclusion is a period; whether it is in force on a date relies on it running forwards.
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="CASCADE"), index=True)
    ground: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(15))
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    supplier: Mapped[Supplier] = relationship(back_populates="exclusions")

    def active_on(self, day: date) -> bool:
        return rules.Period(self.starts_on, self.ends_on).covers(day)
