"""Issued documents: the register of every PDF the portal generated, signatures, KPIs and generation jobs.

A document is one version in a series (e.g. "the unsuccessful letter of competition 12 to supplier 5").
The PDF bytes live in the content-addressed file store under their SHA-256 (portal/services/files/), encrypted
under a competition's data key when they hold sealed bid content (bid receipts);
the register row says what they are, whom they belong to, who generated them and when, and which
versions of the software rendered them, so the portal can later prove it issued a given file.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Model, UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.bid import StoredFile
    from portal.models.user import User

DOCUMENT_KINDS = (
    "bid_receipt",
    "call_off_contract",
    "award_letter",
    "unsuccessful_letter",
    "evaluation_report",
    "direct_award_record",
)


class Document(Model):
    __tablename__ = "document"
    __table_args__ = (
        # Versions of one series count up from 1 and never repeat: regenerating adds, never replaces.
        UniqueConstraint("series_key", "version", name="one_row_per_version"),
        # Versions count up from 1, the number printed on the document and in its file name.
        CheckConstraint("version >= 1", name="version_positive"),
        # Who may download a document follows from its kind (register.readable), so only known kinds are issued.
        CheckConstraint(
            "kind IN ('bid_receipt', 'call_off_contract', 'award_letter', 'unsuccessful_letter',"
            " 'evaluation_report', 'direct_award_record')",
            name="known_kind",
        ),
        # The pages that list a subject's documents find them by these subjects only.
        CheckConstraint("subject_type IN ('bid_submission', 'competition', 'direct_award')", name="known_subject"),
        # A signed contract always says which unsigned version its signatures cover.
        CheckConstraint("signed_at IS NULL OR signed_from_id IS NOT NULL", name="signed_names_its_original"),
        Index("ix_document_subject", "subject_type", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    # The series this version belongs to, e.g. "unsuccessful_letter:competition:12:supplier:5".
    series_key: Mapped[str] = mapped_column(String(120), index=True)
    version: Mapped[int]
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    # Procurement reference shown on the authenticity page (competition or direct award reference).
    reference: Mapped[str] = mapped_column(String(40))
    # Who may download it besides the portal's staff: the buying organisation and, where the document is
    # addressed to one supplier (a receipt, a letter, a contract), that supplier.
    buyer_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("buyer_organisation.id"), index=True)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id"), index=True)
    # The PDF, stored once under its hash; the authenticity check finds the register entry by it, so one each.
    file_sha256: Mapped[str] = mapped_column(ForeignKey("stored_file.sha256"), unique=True)
    # SHA-256 of the canonical JSON embedded in the PDF: a regeneration from unchanged data is not a new version.
    data_sha256: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[str] = mapped_column(String(40))
    # Software that rendered it, e.g. "Framework Portal 0.1.0; WeasyPrint 70.0; pydyf 0.13.0".
    generator: Mapped[str] = mapped_column(String(200))
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    generated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    page_count: Mapped[int] = mapped_column(default=1)
    # For a signed contract: the unsigned version whose hash the signature page carries.
    signed_from_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the PDF holds sealed bid content (a bid receipt lists the bid's prices): its bytes are then stored
    # only encrypted under this competition's data key (files.sealed_path_for), never in the plain store.
    sealed_for_competition_id: Mapped[int | None] = mapped_column(ForeignKey("competition.id"))

    file: Mapped[StoredFile] = relationship()
    generated_by: Mapped[User | None] = relationship()
    signed_from: Mapped[Document | None] = relationship(remote_side=[id])

    @property
    def filename(self) -> str:
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in self.reference)
        kind = self.kind.replace("_", "-")
        # A bid receipt is named with the bid version it receipts (its title ends "version N"), as well as its
        # own version in the register: "MC-0001-bid-receipt-version-3-v1.pdf".
        named = self.title.rsplit(" version ", 1) if self.kind == "bid_receipt" else []
        if len(named) == 2 and named[1].isdigit():
            kind += f"-version-{named[1]}"
        return f"{safe}-{kind}-v{self.version}.pdf"


class ContractSignature(Model):
    """A simple electronic signature of one party on one unsigned contract version."""

    __tablename__ = "contract_signature"
    __table_args__ = (
        # Each party signs a given version once.
        UniqueConstraint("document_id", "party", name="one_signature_per_party"),
        # A call-off contract has two parties, the supplier and the buyer, and each signs through its own users.
        CheckConstraint("party IN ('supplier', 'buyer')", name="known_party"),
        # A simple electronic signature is the typed name and role; without them the signature page says nothing.
        CheckConstraint("length(signer_name) > 0 AND length(signer_role) > 0", name="signer_named"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    party: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_role: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    document: Mapped[Document] = relationship()
    user: Mapped[User] = relationship()


class CallOffKpi(Model):
    """A key performance indicator the buyer sets at award; it goes into the contract's KPI schedule."""

    __tablename__ = "call_off_kpi"
    __table_args__ = (
        # A KPI belongs to exactly one call-off: a competition's or a direct award's.
        CheckConstraint("(competition_id IS NULL) <> (direct_award_id IS NULL)", name="kpi_belongs_to_one_call_off"),
        # The contract's KPI schedule lists each indicator by its title.
        CheckConstraint("length(title) > 0", name="kpi_titled"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int | None] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    direct_award_id: Mapped[int | None] = mapped_column(ForeignKey("direct_award.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    measure: Mapped[str] = mapped_column(Text, default="")
    target: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DocumentJob(Model):
    """A background job generating documents (every letter of a competition, or its evaluation report), with
    progress."""

    __tablename__ = "document_job"
    __table_args__ = (
        # One queued or running job per competition at a time; a stopped one is marked failed so another can start.
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="known_status"),
        # The buyer watches progress as done of total; a count outside it would be a bar past its end.
        CheckConstraint("done_count >= 0 AND done_count <= total", name="progress_in_range"),
        # The worker runs a job by its kind: a competition's letters or its evaluation report, the kinds it knows.
        CheckConstraint("kind IN ('competition_letters', 'evaluation_report')", name="known_job_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    competition_id: Mapped[int | None] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    # "local" (a worker thread in the web process) or "rq" (Redis Queue workers).
    backend: Mapped[str] = mapped_column(String(10), default="local")
    status: Mapped[str] = mapped_column(String(10), default="queued")
    total: Mapped[int] = mapped_column(default=0)
    done_count: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Stamped every few seconds by the process holding the job (portal/job_heartbeat.py): a queued or running job
    # not heard from for a minute lost its worker.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    requested_by: Mapped[User] = relationship()
