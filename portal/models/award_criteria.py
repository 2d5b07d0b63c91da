"""The framework's call-off award criteria per lot, maintained by framework staff.

A call-off competition starts from these and may refine them, not replace them (PA 2023 s.46):
groups (Quality, Price, Social value) with the weight range each may take, and criteria with
question text and guidance.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Model

if TYPE_CHECKING:
    from portal.models.framework import Lot


class AwardCriterionGroup(Model):
    __tablename__ = "award_criterion_group"
    __table_args__ = (
        # Buyers weight a lot's groups by name (Quality, Price ...): two of one name could not be told apart.
        UniqueConstraint("lot_id", "name"),
        # 'price' groups are scored by the competition's price method; the others hold criteria.
        CheckConstraint("kind IN ('quality', 'price', 'social_value')", name="known_kind"),
        # A range a buyer can actually choose a weight from.
        CheckConstraint("min_weight >= 0 AND max_weight <= 100 AND min_weight <= max_weight", name="weight_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lot.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    min_weight: Mapped[Decimal] = mapped_column(Numeric(7, 4))
    max_weight: Mapped[Decimal] = mapped_column(Numeric(7, 4))
    position: Mapped[int] = mapped_column(default=0)

    criteria: Mapped[list[AwardCriterion]] = relationship(
        back_populates="group", order_by="AwardCriterion.position, AwardCriterion.id", cascade="all, delete-orphan"
    )
    lot: Mapped[Lot] = relationship()


class AwardCriterion(Model):
    __tablename__ = "award_criterion"
    __table_args__ = (
        # Suppliers answer criteria by title: two of one title in a group would be one question asked twice.
        UniqueConstraint("group_id", "title"),
        # A framework criterion is scored or pass/fail; price is a group of its own, scored by the price method.
        CheckConstraint("kind IN ('quality', 'pass_fail')", name="known_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("award_criterion_group.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text, default="")
    guidance: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(10), default="quality")
    position: Mapped[int] = mapped_column(default=0)

    group: Mapped[AwardCriterionGroup] = relationship(back_populates="criteria")
