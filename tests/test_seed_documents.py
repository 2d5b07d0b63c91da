"""The demo documents (portal.seed.documents): both are issued by the demo seed, once, and only Surrey reads them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Document, User
from portal.seed import demo
from portal.seed.documents import seed_documents
from portal.services.documents import register
from portal.services.errors import NotFoundError
from tests.documents_support import assert_archival, pdf_text

DEMO_NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def _user(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()


def test_demo_seed_issues_the_report_and_the_record_once():
    with time_machine.travel(DEMO_NOW, tick=False):
        report = demo.seed()
        assert "Demo documents issued: Evaluation report: SUR-MC-DEMO-3; Direct award record: DA-DEMO-0001." in report
        events = db.session.scalar(select(func.count(AuditEvent.id)))
        assert seed_documents() == "Demo documents already issued: nothing new created."
    assert db.session.scalar(select(func.count(AuditEvent.id))) == events
    issued = {d.kind: d for d in db.session.scalars(select(Document))}
    # The signed Procurement Act call-off's contract (unsigned and signed versions) too: portal/seed/pa_call_offs.py
    assert set(issued) == {"evaluation_report", "direct_award_record", "call_off_contract"}
    issued.pop("call_off_contract")
    report_pdf = register.pdf_bytes(issued["evaluation_report"])
    assert_archival(report_pdf, "Evaluation report: SUR-MC-DEMO-3")
    assert "Beacon Engage Ltd" in pdf_text(report_pdf)
    assert "Orlo Limited (selected)" in pdf_text(register.pdf_bytes(issued["direct_award_record"]))
    surrey, northumbria = _user("buyer@surrey.police.example"), _user("buyer@northumbria.police.example")
    for document in issued.values():
        assert document.generated_by_id is None  # issued by the system, like the rest of the demo seed
        assert register.get_readable(surrey, document.id) == document
        with pytest.raises(NotFoundError):
            register.get_readable(northumbria, document.id)
