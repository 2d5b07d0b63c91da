"""The audit trail's hash chain: appending, verifying, and detecting tampering."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, text

from portal.domain.audit_chain import GENESIS_HASH, ChainedEvent, event_hash, verify_chain
from portal.extensions import db
from portal.models import AuditEvent
from portal.services import audit
from tests.factories import make_user


def _chain(n: int) -> list[ChainedEvent]:
    events, prev = [], GENESIS_HASH
    for i in range(1, n + 1):
        content = {"id": i, "what": f"event {i}"}
        h = event_hash(content, prev)
        events.append(ChainedEvent(i, content, prev, h))
        prev = h
    return events


def test_an_untouched_chain_is_intact():
    report = verify_chain(_chain(5))
    assert report.intact and report.checked == 5


def test_changed_content_is_reported_at_that_event():
    events = _chain(5)
    events[2] = ChainedEvent(3, {"id": 3, "what": "forged"}, events[2].prev_hash, events[2].hash)
    report = verify_chain(events)
    assert not report.intact and report.broken_at == 3 and report.checked == 2


def test_a_removed_event_breaks_the_next_link():
    events = _chain(5)
    del events[1]
    report = verify_chain(events)
    assert not report.intact and report.broken_at == 3


def test_recorded_events_chain_and_verify(app):
    actor = make_user("staff")
    for n in range(3):
        audit.record(actor, "thing.changed", "thing", n, before={"n": n}, after={"n": n + 1})
    db.session.commit()
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.id for e in events] == [1, 2, 3]
    assert events[0].prev_hash == GENESIS_HASH
    assert events[1].prev_hash == events[0].hash
    assert events[0].actor_party == "staff"
    assert audit.verify().intact


def test_editing_an_event_in_the_database_is_detected(app, runner):
    for n in range(3):
        audit.record(None, "thing.changed", "thing", n)
    db.session.commit()
    db.session.execute(text("UPDATE audit_event SET summary = 'rewritten' WHERE id = 2"))
    db.session.commit()
    report = audit.verify()
    assert not report.intact and report.broken_at == 2
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "BROKEN at event 2" in result.output


def test_deleting_the_newest_event_is_detected(app):
    for n in range(3):
        audit.record(None, "thing.changed", "thing", n)
    db.session.commit()
    db.session.execute(text("DELETE FROM audit_event WHERE id = 3"))
    db.session.commit()
    assert not audit.verify().intact


def test_cli_reports_an_intact_chain(app, runner):
    audit.record(None, "thing.changed", "thing", 1)
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0
    assert "Audit chain intact: 1 events verified." in result.output


def test_changed_helper_keeps_only_differences():
    before, after = audit.changed({"a": 1, "b": 2}, {"a": 1, "b": 3})
    assert before == {"b": 2} and after == {"b": 3}


def test_concurrent_writers_never_fork_the_chain(app, is_postgres):
    if not is_postgres:
        pytest.skip("SQLite serialises writers itself; the row lock matters on PostgreSQL")
    errors: list[Exception] = []

    def writer(k: int) -> None:
        with app.app_context():
            try:
                for n in range(10):
                    audit.record(None, "thing.changed", "thing", f"{k}-{n}")
                    db.session.commit()
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert db.session.scalar(select(db.func.count(AuditEvent.id))) == 40
    assert audit.verify().intact
