"""The contract register: one row per call-off contract signed by both parties, from either route.

The row is written in the same transaction as the second signature (portal/services/contracts/signing.py), from the
data the signed contract states: its parties, reference, lot, value, term and options. Its status is not stored: it
is derived from its dates and events (portal/domain/contract_status.py). Later parts of contract management (KPI
assessments, changes, extensions, termination) attach to this row by its id.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, BigInteger, CheckConstraint, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Model, UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.document import Document
    from portal.models.framework import Lot
    from portal.models.organisation import BuyerOrganisation
    from portal.models.supplier import Supplier
    from portal.models.user import User


class CallOffContract(Model):
    __tablename__ = "call_off_contract"
    __table_args__ = (
        # A contract is the outcome of exactly one call-off: a competition's or a direct award's (as CallOffKpi).
        CheckConstraint("(competition_id IS NULL) <> (direct_award_id IS NULL)", name="contract_of_one_call_off"),
        # Money in pence: a contract is never worth less than nothing, and its VAT is never negative.
        CheckConstraint(
            "(value_pence IS NULL OR value_pence >= 0) AND (vat_pence IS NULL OR vat_pence >= 0)",
            name="value_not_negative",
        ),
        # A term ends on or after the day it starts; the status is derived from the two.
        CheckConstraint("start_on IS NULL OR end_on IS NULL OR end_on >= start_on", name="term_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique: a call-off has one contract, registered once, when both parties have signed it.
    competition_id: Mapped[int | None] = mapped_column(ForeignKey("competition.id"), unique=True)
    # Unique for the same reason: a direct award has one contract.
    direct_award_id: Mapped[int | None] = mapped_column(ForeignKey("direct_award.id"), unique=True)
    reference: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(300))
    buyer_organisation_id: Mapped[int] = mapped_column(ForeignKey("buyer_organisation.id"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lot.id"), index=True)
    # Excluding VAT, and the VAT on it, as the signed contract states them. NULL only for a competition's contract
    # signed before the register existed: its value is inside the sealed bid, which a migration cannot open.
    value_pence: Mapped[int | None] = mapped_column(BigInteger)
    vat_pence: Mapped[int | None] = mapped_column(BigInteger)
    # The term the contract states (London calendar days, the end inclusive); no start while it is to be agreed.
    start_on: Mapped[date | None] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    # Extension options defined at award, months each in the order they may be exercised (e.g. [12, 12]).
    option_months: Mapped[list[int]] = mapped_column(JSON, default=list)
    # The signed version in the document register (its PDF carries both signatures).
    signed_document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), unique=True)
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The buyer's contract manager: a user of the buying organisation, set by its procurement officers.
    contract_manager_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    buyer_organisation: Mapped[BuyerOrganisation] = relationship()
    supplier: Mapped[Supplier] = relationship()
    lot: Mapped[Lot] = relationship()
    signed_document: Mapped[Document] = relationship()
    contract_manager: Mapped[User | None] = relationship()

    @property
    def gross_pence(self) -> int | None:
        """The value including VAT."""
        return None if self.value_pence is None or self.vat_pence is None else self.value_pence + self.vat_pence

    @property
    def call_off_kind(self) -> str:
        return "competition" if self.competition_id is not None else "direct_award"

    @property
    def call_off_id(self) -> int:
        return self.competition_id if self.competition_id is not None else self.direct_award_id  # type: ignore[return-value]
