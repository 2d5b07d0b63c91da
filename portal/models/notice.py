"""Transparency notices: the OCDS release the portal prepares for a call-off, and its publication once recorded.

A notice is prepared by the portal (its release JSON, regenerated while it is unpublished) and published by the
buyer on Find a Tender (Procurement Act 2023) or Contracts Finder (PCR 2015); the portal only records that
publication (the platform's notice identifier and time, entered by the buyer). See portal/services/notices/.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Model, UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.user import User

NOTICE_TYPES = ("UK6", "UK7", "contracts_finder_award")
NOTICE_STATUSES = ("prepared", "published")
CONTRACT_COPIES = ("redacted", "unredacted")


class TransparencyNotice(Model):
    __tablename__ = "transparency_notice"
    __table_args__ = (
        # A notice is about exactly one call-off: a competition or a direct award (as CallOffKpi).
        CheckConstraint("(competition_id IS NULL) <> (direct_award_id IS NULL)", name="notice_of_one_call_off"),
        # Only the notices the portal knows how to build: PA 2023 UK6 and UK7, PCR 2015 Contracts Finder award.
        CheckConstraint("notice_type IN ('UK6', 'UK7', 'contracts_finder_award')", name="known_notice_type"),
        # Prepared by the portal, published by the buyer on the platform; nothing else.
        CheckConstraint("status IN ('prepared', 'published')", name="known_status"),
        # A notice is published only when the buyer has recorded when and under which identifier it was published.
        CheckConstraint(
            "status <> 'published' OR (published_at IS NOT NULL AND platform_notice_id IS NOT NULL"
            " AND published_by_id IS NOT NULL)",
            name="published_is_recorded",
        ),
        # Only a contract details notice carries the published contract (PA 2023 s.52, over the value threshold).
        CheckConstraint("contract_copy IS NULL OR notice_type = 'UK7'", name="contract_copy_on_uk7"),
        # The buyer publishes a redacted copy it uploads, or the signed contract in full; nothing else.
        CheckConstraint("contract_copy IS NULL OR contract_copy IN ('redacted', 'unredacted')", name="known_copy"),
        # A published copy says which file, of which signed contract, who chose it and when (the audit trail's facts).
        CheckConstraint(
            "contract_copy IS NULL OR (contract_copy_sha256 IS NOT NULL AND contract_copy_of_id IS NOT NULL"
            " AND contract_copy_by_id IS NOT NULL AND contract_copy_at IS NOT NULL)",
            name="contract_copy_recorded",
        ),
        # Publishing in full is the buyer's confirmation that nothing is exempt, and it says why.
        CheckConstraint(
            "contract_copy IS NULL OR contract_copy <> 'unredacted' OR length(contract_copy_reason) > 0",
            name="unredacted_copy_has_reason",
        ),
        # One notice of each type per call-off: while unpublished it is regenerated in place (no versions to
        # choose between); once published it is the record, and a later change would be a different notice
        # (a contract change notice), not a second UK6.
        UniqueConstraint("competition_id", "notice_type"),
        # The same for a direct award.
        UniqueConstraint("direct_award_id", "notice_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int | None] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    direct_award_id: Mapped[int | None] = mapped_column(ForeignKey("direct_award.id", ondelete="CASCADE"), index=True)
    notice_type: Mapped[str] = mapped_column(String(30))
    ocid: Mapped[str] = mapped_column(String(120))
    release_id: Mapped[str] = mapped_column(String(160))
    # The release exactly as generated (canonical JSON text): what the buyer downloads and what was validated.
    release_json: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="prepared")
    prepared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    prepared_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    # Recorded by the buyer from the platform (the portal never marks a notice published on its own).
    platform_notice_id: Mapped[str | None] = mapped_column(String(40))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # UK7 over the large-contract threshold: the copy of the signed contract the buyer publishes ("redacted", an
    # uploaded PDF; "unredacted", the signed contract itself), the file by its hash, the signed version it copies,
    # and the buyer's reason (for "unredacted", the confirmation that nothing in it is exempt from publication).
    contract_copy: Mapped[str | None] = mapped_column(String(10))
    contract_copy_sha256: Mapped[str | None] = mapped_column(ForeignKey("stored_file.sha256"))
    contract_copy_of_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    contract_copy_reason: Mapped[str] = mapped_column(Text, default="")
    contract_copy_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    contract_copy_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    prepared_by: Mapped[User] = relationship(foreign_keys=[prepared_by_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])

    @property
    def published(self) -> bool:
        return self.status == "published"
