"""Tender documents: what the buyer issues with a competition (specification, pricing workbook, draft contract...).

A tender document is the buyer's, not sealed bid content: its bytes are in the ordinary (plain) file store under
their SHA-256 (portal/services/files/), named by a StoredFile row, which keeps them from `flask files gc`. Each
change is a new version; old versions are kept (suppliers may have priced against them) and the current version
is the highest number. Before publication the buyer may remove a document outright; after publication documents
are never deleted, only superseded (portal/services/competitions/tender_documents.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Model, UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.bid import StoredFile
    from portal.models.user import User

DOCUMENT_TYPES = ("specification", "pricing_workbook", "draft_contract", "other")


class TenderDocument(Model):
    __tablename__ = "tender_document"
    __table_args__ = (
        # Suppliers find a document by what it is; the list and the notification name the type in words, so it must
        # be one the portal knows how to describe.
        CheckConstraint(
            "document_type IN ('specification', 'pricing_workbook', 'draft_contract', 'other')", name="known_type"
        ),
        # Suppliers pick a document from the list by its title: an untitled one could not be told apart.
        CheckConstraint("length(title) > 0", name="has_title"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    document_type: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))

    versions: Mapped[list[TenderDocumentVersion]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="TenderDocumentVersion.version"
    )

    @property
    def current(self) -> TenderDocumentVersion:
        """The version suppliers work from: the highest number."""
        return self.versions[-1]


class TenderDocumentVersion(Model):
    __tablename__ = "tender_document_version"
    __table_args__ = (
        # Each number names one version, so "version 2" in a notification is unambiguous and the highest is current.
        UniqueConstraint("document_id", "version"),
        # Versions are numbered from 1, as the supplier's page shows them.
        CheckConstraint("version > 0", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("tender_document.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    # RESTRICT: the stored file stays while a version names it (suppliers may still download an old version).
    file_sha256: Mapped[str] = mapped_column(ForeignKey("stored_file.sha256", ondelete="RESTRICT"))
    filename: Mapped[str] = mapped_column(String(255))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(120))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Why it changed, told to every invited supplier: required for a change after publication (the service checks,
    # as before publication there is nobody to tell).
    change_note: Mapped[str] = mapped_column(Text, default="")

    document: Mapped[TenderDocument] = relationship(back_populates="versions")
    file: Mapped[StoredFile] = relationship()
    uploaded_by: Mapped[User] = relationship()
