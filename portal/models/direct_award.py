"""Direct awards: the requirement, quantities, frozen shortlists and the award decision."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Model, UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.framework import Capability, Lot, PriceItem
    from portal.models.organisation import BuyerOrganisation


class DirectAward(Model):
    __tablename__ = "direct_award"
    __table_args__ = (
        # A call-off lasts at least a month; monthly price items are multiplied by the term in every cost.
        CheckConstraint("term_months > 0", name="term_positive"),
        # Four eyes: whoever recommends the award cannot also approve it.
        CheckConstraint(
            "approved_by_id IS NULL OR approved_by_id <> recommended_by_id", name="approver_not_recommender"
        ),
        # An award made without competition says why this supplier; the direct award record prints it.
        CheckConstraint("recommended_at IS NULL OR length(justification) > 0", name="recommendation_justified"),
        # Cancelling always says why, so the record shows the award was stopped on purpose.
        CheckConstraint("cancelled_at IS NULL OR length(cancel_reason) > 0", name="cancel_has_reason"),
        # A standstill runs between an approved award and its contract: it cannot start before approval.
        CheckConstraint("standstill_started_at IS NULL OR approved_at IS NOT NULL", name="standstill_after_approval"),
        # A standstill that started has an end (computed with it), and an end belongs to a started standstill.
        CheckConstraint(
            "(standstill_started_at IS NULL) = (standstill_ends_at IS NULL)", name="standstill_has_both_ends"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Buyers, suppliers and the direct award record cite an award by its reference, so it names one.
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    buyer_organisation_id: Mapped[int] = mapped_column(ForeignKey("buyer_organisation.id"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lot.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    title: Mapped[str] = mapped_column(String(200))
    statement_of_requirements: Mapped[str] = mapped_column(Text, default="")
    term_months: Mapped[int] = mapped_column(default=12)
    planned_start_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    justification: Mapped[str] = mapped_column(Text, default="")
    recommended_shortlist_id: Mapped[int | None] = mapped_column(ForeignKey("shortlist.id", use_alter=True))
    recommended_supplier_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id"))
    recommended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recommended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The buyer's choice at recommendation (PA 2023 s.51(3): call-offs are exempt, a voluntary standstill is
    # recommended); under PCR 2015 the portal always applies the voluntary standstill (portal.domain.law).
    standstill_applies: Mapped[bool] = mapped_column(default=True, server_default=true())
    # PCR 2015: from approval; PA 2023: from the day the contract award notice (UK6) is published.
    standstill_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    standstill_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}

    buyer_organisation: Mapped[BuyerOrganisation] = relationship()
    lot: Mapped[Lot] = relationship()
    capabilities: Mapped[list[DirectAwardCapability]] = relationship(cascade="all, delete-orphan")
    accreditations: Mapped[list[DirectAwardAccreditation]] = relationship(cascade="all, delete-orphan")
    quantities: Mapped[list[DirectAwardQuantity]] = relationship(cascade="all, delete-orphan")
    shortlists: Mapped[list[Shortlist]] = relationship(
        cascade="all, delete-orphan", order_by="Shortlist.version", foreign_keys="Shortlist.direct_award_id"
    )


class DirectAwardCapability(Model):
    __tablename__ = "direct_award_capability"

    direct_award_id: Mapped[int] = mapped_column(ForeignKey("direct_award.id", ondelete="CASCADE"), primary_key=True)
    capability_id: Mapped[int] = mapped_column(ForeignKey("capability.id"), primary_key=True)

    capability: Mapped[Capability] = relationship()


class DirectAwardAccreditation(Model):
    __tablename__ = "direct_award_accreditation"

    direct_award_id: Mapped[int] = mapped_column(ForeignKey("direct_award.id", ondelete="CASCADE"), primary_key=True)
    scheme: Mapped[str] = mapped_column(String(120), primary_key=True)


class DirectAwardQuantity(Model):
    __tablename__ = "direct_award_quantity"
    __table_args__ = (
        # A negative quantity would lower a supplier's whole-life cost and so change whom the mechanism selects.
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
    )

    direct_award_id: Mapped[int] = mapped_column(ForeignKey("direct_award.id", ondelete="CASCADE"), primary_key=True)
    price_item_id: Mapped[int] = mapped_column(ForeignKey("price_item.id"), primary_key=True)
    quantity: Mapped[int]

    price_item: Mapped[PriceItem] = relationship()


class Shortlist(Model):
    """A frozen shortlist: the evidence of a direct award.

    The requirement and the full result (supplier details, capability claims and the price card
    versions used, costs, reasons) are stored as canonical JSON with its SHA-256, so later edits
    to a supplier's profile or prices cannot change it. Changing the requirement after freezing
    makes a new version; old versions stay on record.
    """

    __tablename__ = "shortlist"
    __table_args__ = (
        # A changed requirement freezes a new version and the old ones stay as evidence: each number names one.
        UniqueConstraint("direct_award_id", "version"),
        # The hash proves the frozen evidence has not changed since; it must be a whole SHA-256.
        CheckConstraint("length(content_sha256) = 64", name="sha256_hex"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    direct_award_id: Mapped[int] = mapped_column(ForeignKey("direct_award.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    frozen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    frozen_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    content_json: Mapped[str] = mapped_column(Text)
    content_sha256: Mapped[str] = mapped_column(String(64))
    selected_supplier_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id"))
