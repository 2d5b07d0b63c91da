"""The data protection schedule of a call-off contract: the UK GDPR Article 28(3) particulars the buyer completes.

One per call-off (a competition's or a direct award's). Either the buyer answers that no personal data is processed
under the contract, or it gives the particulars Article 28(3) requires a processing contract to set out (subject
matter, duration, nature and purpose of the processing, types of personal data, categories of data subjects) and
says whether the processing is law-enforcement processing under Part 3 of the Data Protection Act 2018. The contract
cannot be signed until it is complete (portal/services/contracts/readiness.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Model, UTCDateTime, utcnow

PARTICULARS = ("subject_matter", "duration", "nature_and_purpose", "personal_data_types", "data_subject_categories")


class DataProtectionSchedule(Model):
    """The buyer's answers for the contract's data protection schedule."""

    __tablename__ = "data_protection_schedule"
    __table_args__ = (
        # A schedule belongs to exactly one call-off: a competition's or a direct award's.
        CheckConstraint(
            "(competition_id IS NULL) <> (direct_award_id IS NULL)", name="schedule_belongs_to_one_call_off"
        ),
        # Where personal data is processed, Article 28(3) needs every particular and the DPA 2018 Part 3 answer.
        CheckConstraint(
            "NOT processes_personal_data OR (length(subject_matter) > 0 AND length(duration) > 0 "
            "AND length(nature_and_purpose) > 0 AND length(personal_data_types) > 0 "
            "AND length(data_subject_categories) > 0 AND law_enforcement_processing IS NOT NULL)",
            name="particulars_complete",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A contract has one data protection schedule: a second row for the same call-off would be two answers.
    competition_id: Mapped[int | None] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), unique=True)
    # A contract has one data protection schedule: a second row for the same call-off would be two answers.
    direct_award_id: Mapped[int | None] = mapped_column(ForeignKey("direct_award.id", ondelete="CASCADE"), unique=True)
    processes_personal_data: Mapped[bool]
    subject_matter: Mapped[str] = mapped_column(Text, default="")
    duration: Mapped[str] = mapped_column(Text, default="")
    nature_and_purpose: Mapped[str] = mapped_column(Text, default="")
    personal_data_types: Mapped[str] = mapped_column(Text, default="")
    data_subject_categories: Mapped[str] = mapped_column(Text, default="")
    # Data Protection Act 2018 Part 3: processing by a competent authority for law-enforcement purposes.
    law_enforcement_processing: Mapped[bool | None]
    completed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
