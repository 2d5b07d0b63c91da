"""The audit chain is keyed with AUDIT_KEY: a forger who can write the database but lacks the key cannot edit an
event and recompute the chain, nor move where keying began, nor cut the newest events off; a chain written before
keying is bound by its first keyed event (migration 0014 + `flask audit rekey`)."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from portal import create_app
from portal.config import ConfigurationError, load_config
from portal.domain.audit_chain import GENESIS_HASH, event_hash
from portal.extensions import db
from portal.models import AuditChainHead, AuditEvent
from portal.services import audit


def _events() -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def _rechain_plain(from_id: int) -> None:
    """What a forger with database access does: recompute every hash from `from_id` with plain SHA-256 (the old
    scheme, all a forger can compute), relink, and point the head at the new end."""
    events = _events()
    prev = events[from_id - 2].hash if from_id > 1 else GENESIS_HASH
    for event in events[from_id - 1 :]:
        new_hash = event_hash(event.chain_content(), prev)
        db.session.execute(
            text("UPDATE audit_event SET prev_hash = :p, hash = :h WHERE id = :i"),
            {"p": prev, "h": new_hash, "i": event.id},
        )
        prev = new_hash
    db.session.execute(text("UPDATE audit_chain_head SET last_hash = :h"), {"h": prev})
    db.session.commit()


def _forge(event_id: int, summary: str = "rewritten") -> None:
    db.session.execute(text("UPDATE audit_event SET summary = :s WHERE id = :i"), {"s": summary, "i": event_id})
    db.session.commit()
    _rechain_plain(event_id)


def _record(n: int) -> None:
    for i in range(n):
        audit.record(None, "thing.changed", "thing", i, after={"n": i})
    db.session.commit()


def test_an_edit_rechained_with_plain_sha256_is_caught(runner):
    _record(3)
    _forge(2)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "BROKEN at event 2" in result.output  # today: "intact"


def test_every_hash_is_an_hmac_under_audit_key(app, monkeypatch):
    _record(2)
    first = _events()[0]
    assert first.hash == event_hash(first.chain_content(), GENESIS_HASH, app.config["AUDIT_KEY"].encode())
    assert first.hash != event_hash(first.chain_content(), GENESIS_HASH)
    assert audit.verify().intact
    monkeypatch.setitem(app.config, "AUDIT_KEY", "another key entirely, 32 characters")
    report = audit.verify()
    assert not report.intact and report.broken_at == 1 and "AUDIT_KEY is not the key" in report.reason


def test_cutting_off_the_newest_events_is_caught_even_with_the_head_rewritten():
    _record(3)
    second = _events()[1]
    db.session.execute(text("DELETE FROM audit_event WHERE id = 3"))
    db.session.execute(
        text("UPDATE audit_chain_head SET last_event_id = 2, last_hash = :h, keyed_from_event_id = 1"),
        {"h": second.hash},
    )
    db.session.commit()
    report = audit.verify()
    assert not report.intact and "seal does not match" in report.reason


def _legacy_chain(n: int) -> None:
    """A chain as it stands straight after migration 0014: plain SHA-256 events, keyed from the next one."""
    prev = GENESIS_HASH
    for i in range(1, n + 1):
        event = AuditEvent(
            id=i,
            occurred_at=datetime(2026, 1, i, 9, 0, tzinfo=UTC),
            actor_label="system",
            actor_party="system",
            event_type="thing.changed",
            object_type="thing",
            object_id=str(i),
            summary=f"old event {i}",
            before_json="{}",
            after_json="{}",
            prev_hash=prev,
        )
        event.hash = prev = event_hash(event.chain_content(), prev)
        db.session.add(event)
    db.session.add(AuditChainHead(id=1, last_event_id=n, last_hash=prev, keyed_from_event_id=n + 1, seal=""))
    db.session.commit()


def test_a_chain_from_before_keying_verifies_and_says_to_key_it(runner):
    _legacy_chain(3)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "intact: 3 events" in result.output and "flask audit rekey" in result.output


def test_rekey_binds_the_old_events_under_the_key(runner):
    _legacy_chain(3)
    plain = [e.hash for e in _events()]
    result = runner.invoke(args=["audit", "rekey"])
    assert result.exit_code == 0 and "keyed from event 4" in result.output
    old = _events()
    assert [e.hash for e in old[:3]] == plain  # nothing rewritten
    assert old[3].event_type == "audit.chain_keyed" and '"keyed_from_event":4' in old[3].after_json
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "intact: 4 events" in result.output and "Note" not in result.output
    assert "already keyed" in runner.invoke(args=["audit", "rekey"]).output
    _forge(2)  # the old events are plain SHA-256, but event 4's HMAC covers their end
    report = audit.verify()
    assert not report.intact and report.broken_at == 4


def test_the_first_event_after_the_upgrade_keys_the_chain_without_rekey():
    _legacy_chain(2)
    _record(1)
    assert audit.verify().intact and not audit.verify().note
    _forge(1)
    assert audit.verify().broken_at == 3


def test_moving_where_keying_began_is_caught():
    _legacy_chain(2)
    _record(2)  # events 3 and 4 keyed
    db.session.execute(text("UPDATE audit_chain_head SET keyed_from_event_id = 5"))
    db.session.commit()
    _forge(3)  # with keying "from event 5", events 3 and 4 would pass as plain
    report = audit.verify()
    assert not report.intact and "seal does not match" in report.reason


def test_a_keyed_chain_whose_head_seal_was_blanked_is_caught():
    _record(2)
    db.session.execute(text("UPDATE audit_chain_head SET seal = ''"))
    db.session.commit()
    assert "seal is missing" in audit.verify().reason


def test_rekey_refuses_a_broken_chain(runner):
    _legacy_chain(3)
    db.session.execute(text("UPDATE audit_event SET summary = 'edited' WHERE id = 2"))
    db.session.commit()
    result = runner.invoke(args=["audit", "rekey"])
    assert result.exit_code == 1 and "BROKEN at event 2" in result.output
    assert len(_events()) == 3


def test_migration_0014_keys_from_the_next_event_and_downgrades():
    path = Path(tempfile.mkdtemp(prefix="portal-migrate-")) / "m.sqlite3"
    key = "a scratch audit key of at least 32 characters"
    scratch = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "AUDIT_KEY": key, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"}
    )
    with scratch.app_context():
        upgrade(revision="0013")
        prev = GENESIS_HASH
        with db.engine.begin() as conn:
            for i in (1, 2):
                content = {"id": i, "occurred_at": f"2026-01-0{i}T09:00:00+00:00", "actor_id": None,
                           "actor_label": "system", "actor_party": "system", "event_type": "thing.changed",
                           "object_type": "thing", "object_id": str(i), "summary": "", "before": "{}",
                           "after": "{}"}  # fmt: skip
                new = event_hash(content, prev)
                conn.execute(
                    text(
                        "INSERT INTO audit_event (id, occurred_at, actor_label, actor_party, event_type, object_type,"
                        " object_id, summary, before_json, after_json, prev_hash, hash) VALUES (:i, :at, 'system',"
                        " 'system', 'thing.changed', 'thing', :i, '', '{}', '{}', :p, :h)"
                    ),
                    {"i": i, "at": f"2026-01-0{i} 09:00:00.000000", "p": prev, "h": new},
                )
                prev = new
            conn.execute(
                text("INSERT INTO audit_chain_head (id, last_event_id, last_hash) VALUES (1, 2, :h)"), {"h": prev}
            )
        upgrade()
        head = db.session.get(AuditChainHead, 1)
        assert (head.keyed_from_event_id, head.seal) == (3, "")
        assert audit.verify().intact
        report, event = audit.key_existing_chain()
        assert report.intact and event is not None and event.id == 3
        assert audit.verify().intact
        db.session.remove()
        downgrade(revision="0013")
        upgrade()
        db.engine.dispose()


def test_production_requires_an_audit_key_of_its_own(monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 64)
    monkeypatch.setenv("BASE_URL", "https://portal.example.org")  # production needs it too (test_mail_links.py)
    monkeypatch.setenv("SEAL_MASTER_KEY", "5" * 64)  # and this (test_bid_encryption.py)
    monkeypatch.delenv("AUDIT_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="AUDIT_KEY must be set"):
        load_config()
    monkeypatch.setenv("AUDIT_KEY", "s" * 64)
    with pytest.raises(ConfigurationError, match="differ from SECRET_KEY"):
        load_config()
    monkeypatch.setenv("AUDIT_KEY", "a" * 64)
    assert load_config()["AUDIT_KEY"] == "a" * 64
