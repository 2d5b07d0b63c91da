"""Bids: the supplier's working draft, its submitted versions, attachments and price review.

Bid content is sealed until the submission deadline: read it only through
portal/services/bids/seal.py, which knows who may see what and when.

Bid content is also encrypted at rest: answers, prices and submitted versions are stored only as ciphertext
(`*_sealed` columns, AES-256-GCM under the competition's data key, portal/services/bids/crypto.py), so a database
dump or backup holds none of it. Read and write them through that service, never the columns.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Model, UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.competition import Competition
    from portal.models.supplier import Supplier
    from portal.models.user import User


class Bid(Model):
    __tablename__ = "bid"
    __table_args__ = (
        # One bid per supplier per competition: amendments are new versions of the same bid.
        UniqueConstraint("competition_id", "supplier_id"),
        # Only a submitted bid is opened and scored; a withdrawn one stays on record but never counts.
        CheckConstraint("status IN ('draft', 'submitted', 'withdrawn')", name="known_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Serialises submit/amend/withdraw on the same bid (also locked FOR UPDATE by the service).
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}

    competition: Mapped[Competition] = relationship(foreign_keys=[competition_id])
    supplier: Mapped[Supplier] = relationship()
    answers: Mapped[list[BidAnswer]] = relationship(cascade="all, delete-orphan")
    prices: Mapped[list[BidPrice]] = relationship(cascade="all, delete-orphan")
    attachments: Mapped[list[BidAttachment]] = relationship(cascade="all, delete-orphan", order_by="BidAttachment.id")
    submissions: Mapped[list[BidSubmission]] = relationship(
        cascade="all, delete-orphan", order_by="BidSubmission.version"
    )


class BidAnswer(Model):
    """The draft answer to one criterion: text for quality, yes/no with evidence for pass/fail."""

    __tablename__ = "bid_answer"
    __table_args__ = (
        # One draft answer per question: a submitted version freezes exactly one answer to each criterion.
        UniqueConstraint("bid_id", "criterion_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("competition_criterion.id", ondelete="CASCADE"))
    # The answer text, sealed (crypto.answer_text / crypto.set_answer_text): bound to this bid and criterion.
    text_sealed: Mapped[str] = mapped_column(Text)
    passed: Mapped[bool | None]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class BidPrice(Model):
    __tablename__ = "bid_price"
    __table_args__ = (
        # One price per schedule line, so the bid's total and its price score have one value.
        UniqueConstraint("bid_id", "line_id"),
        # (A price of nothing is not a tender: drafting refuses it; the database cannot check a sealed amount.)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id", ondelete="CASCADE"), index=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("price_schedule_line.id", ondelete="CASCADE"))
    # The unit price in pence, sealed (crypto.unit_price / crypto.set_unit_price): bound to this bid and line.
    unit_price_sealed: Mapped[str] = mapped_column(Text)


class StoredFile(Model):
    """An uploaded file's content, stored once outside the web root under its SHA-256.

    A bid attachment's bytes are stored encrypted under its competition's data key (files.sealed_path_for), never
    in the plain store; this row then holds only the hash, size and type."""

    __tablename__ = "stored_file"
    __table_args__ = (
        # The hash is the file's name in the store (ab/cd/<sha256>) and the proof of its content.
        CheckConstraint("length(sha256) = 64", name="sha256_hex"),
        # An empty file is evidence of nothing; uploads refuse it and every PDF has content.
        CheckConstraint("size_bytes > 0", name="not_empty"),
    )

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BidAttachment(Model):
    __tablename__ = "bid_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int | None] = mapped_column(ForeignKey("competition_criterion.id", ondelete="CASCADE"))
    file_sha256: Mapped[str] = mapped_column(ForeignKey("stored_file.sha256"))
    filename: Mapped[str] = mapped_column(String(255))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))

    file: Mapped[StoredFile] = relationship()


class BidSubmission(Model):
    """A submitted version of a bid, frozen: the content as canonical JSON and its SHA-256.

    Every version is kept; the latest not withdrawn is the one that counts.
    """

    __tablename__ = "bid_submission"
    __table_args__ = (
        # A bid's versions count up and the latest not withdrawn counts, so each number names one submission.
        UniqueConstraint("bid_id", "version"),
        # Versions are numbered from 1, as the supplier's receipt prints them.
        CheckConstraint("version > 0", name="version_positive"),
        # The receipt gives the supplier this hash as proof of what it submitted; it must be a whole SHA-256.
        CheckConstraint("length(content_sha256) = 64", name="sha256_hex"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    # The canonical JSON of the whole bid and its total price, sealed (crypto.submission_content): bound to this
    # bid and version. The hash stays in the clear: it is the supplier's receipt and names no content.
    content_sealed: Mapped[str] = mapped_column(Text)
    content_sha256: Mapped[str] = mapped_column(String(64))
    total_price_sealed: Mapped[str] = mapped_column(Text)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    submitted_by: Mapped[User] = relationship()


class PriceExplanation(Model):
    """An abnormally low price: the explanation must be requested and recorded before any rejection."""

    __tablename__ = "price_explanation"
    __table_args__ = (
        # One explanation is requested per bid, and the decision on its price rests on that one record.
        UniqueConstraint("bid_id"),
        # Undecided, accepted or rejected: an abnormally low winner is awarded only once it is accepted.
        CheckConstraint("outcome IS NULL OR outcome IN ('accepted', 'rejected')", name="known_outcome"),
        # Rejection only after the supplier's explanation is on record.
        CheckConstraint("outcome IS NULL OR explanation_recorded_at IS NOT NULL", name="decided_after_explanation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id", ondelete="CASCADE"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    explanation: Mapped[str] = mapped_column(Text, default="")
    explanation_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(10))
    outcome_reason: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
