"""Demo documents (`seed_documents`, called after the demo direct awards and competitions): the evaluation report
of the awarded competition SUR-MC-DEMO-3 and the direct award record of DA-DEMO-0001, so the demo shows them.

Issued through the same services as the download actions: the report's data is read as the Surrey buyer (the seal
admits the buying organisation's officers), and the register attributes the issue to the system, like the rest of
the demo seed. Idempotent: the register returns the current version when the data is unchanged, so a second run
renders nothing and records no events.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import Competition, DirectAward, Document, User
from portal.services.bids import reads
from portal.services.documents import direct_award_record, register, report

BUYER = "buyer@surrey.police.example"
COMPETITION, DIRECT_AWARD = "SUR-MC-DEMO-3", "DA-DEMO-0001"


def seed_documents() -> str:
    """Issue the demo documents that are missing; return a one-line report."""
    buyer = db.session.scalar(select(User).where(User.email == BUYER))
    competition = db.session.scalar(select(Competition).where(Competition.reference == COMPETITION))
    award = db.session.scalar(select(DirectAward).where(DirectAward.reference == DIRECT_AWARD))
    specs = []
    if buyer is not None and competition is not None:
        with reads.unaudited():  # the demo's own invented bids (bid content reads are audited everywhere else)
            specs.append(report.report_issue(buyer, competition))
    if award is not None and award.shortlists:
        specs.append(direct_award_record.record_issue(award))
    issued = []
    try:
        for spec in specs:
            before = db.session.scalar(select(Document.id).where(Document.series_key == spec.series_key).limit(1))
            document = register.issue(None, spec, commit=False)
            if before is None or document.id != before:
                issued.append(document.title)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if not issued:
        return "Demo documents already issued: nothing new created."
    return f"Demo documents issued: {'; '.join(issued)}."
