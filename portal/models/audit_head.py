"""The head of the audit hash chain: one row, locked while an event is appended."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Model


class AuditChainHead(Model):
    __tablename__ = "audit_chain_head"
    __table_args__ = (
        # A single chain: exactly one head row, so concurrent writers queue on its lock.
        CheckConstraint("id = 1", name="single_row"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    last_event_id: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
