"""The head of the audit hash chain: one row, locked while an event is appended, and sealed with AUDIT_KEY."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Model


class AuditChainHead(Model):
    __tablename__ = "audit_chain_head"
    __table_args__ = (
        # A single chain: exactly one head row, so concurrent writers queue on its lock.
        CheckConstraint("id = 1", name="single_row"),
        # Keying begins at an event already written or at the next one: never before the first, never in the future.
        CheckConstraint(
            "keyed_from_event_id >= 1 AND keyed_from_event_id <= last_event_id + 1", name="keyed_from_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    last_event_id: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
    # Events from this one on are HMAC-keyed with AUDIT_KEY; earlier ones (a chain from before keying) are plain
    # SHA-256, bound by the first keyed event (portal/domain/audit_chain.py).
    keyed_from_event_id: Mapped[int] = mapped_column(default=1, server_default="1")
    # HMAC of (last event, last hash, keyed from): empty only between the migration and the first keyed event.
    seal: Mapped[str] = mapped_column(String(64), default="", server_default="")
