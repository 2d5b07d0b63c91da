"""A competition's data key: the key its bid content is encrypted with, stored wrapped by the master key.

portal/services/bids/crypto.py creates, unwraps and caches these; `flask seal rotate-master-key` re-wraps them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Model, UTCDateTime, utcnow


class CompetitionDataKey(Model):
    __tablename__ = "competition_data_key"

    # The id is the key id every ciphertext carries (portal/domain/envelope.py), naming the key that opens it.
    id: Mapped[int] = mapped_column(primary_key=True)
    # One data key per competition: its bids' content is readable with that key alone, and two suppliers starting
    # drafts at once must end up with the same key (the second insert does nothing).
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), unique=True)
    # The 32-byte key sealed by SEAL_MASTER_KEY with the competition and key id as associated data.
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    # Which master key wrapped it (envelope.master_key_id), so a rotation can tell done rows from pending ones.
    master_key_id: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    rewrapped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
