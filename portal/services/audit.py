"""Writing and verifying the audit trail.

`record` adds an event to the current transaction; the caller's commit makes the change and
its event durable together. Appends are serialised on the chain head row so the hash chain
never forks, whatever the number of concurrent writers.

The chain is keyed (portal/domain/audit_chain.py): each event's hash is an HMAC-SHA256 under AUDIT_KEY, which lives
in the environment (production) or instance/audit_key (development), never in the database, so whoever can edit
the table cannot recompute the chain; the head row is sealed with the same key.

Chains from before keying: migration 0014 records on the head "keyed from event N" (N = the next event), which
needs no key; old events keep their plain SHA-256 hashes, nothing is rewritten (rewriting would launder any earlier
forgery). The first event written after the upgrade is keyed and seals the head, and so binds every older event.
`flask audit rekey` (run straight after the upgrade) checks the old chain and writes that first keyed event at once
("audit.chain_keyed"), so there is no window until the next ordinary change. Until then verify says the chain is
not yet keyed. A chain of plain events past the marker, a moved marker, or a head whose seal does not match is
reported broken.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.domain.audit_chain import (
    GENESIS_HASH,
    ChainedEvent,
    ChainReport,
    event_hash,
    head_seal,
    seal_matches,
    verify_chain,
)
from portal.domain.canonical import canonical_json
from portal.extensions import db
from portal.models import AuditChainHead, AuditEvent, CatalogueVersion, User
from portal.models.base import utcnow


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: Any, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """The named attributes of a model, as JSON-ready values for before/after."""
    return {f: _plain(getattr(obj, f)) for f in fields}


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ, so the audit log shows what actually changed."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _head() -> AuditChainHead:
    """The chain head, locked until commit so appends queue rather than fork.

    On PostgreSQL the catalogue version row is locked first (portal/models/catalogue_version.py): a transaction's
    first change to a catalogue table locks it too, so taking the two always in this order means a transaction that
    audits and then changes the catalogue cannot deadlock with one that changes the catalogue and then audits.
    Audited writes already queue on the head, so this adds no waiting. SQLite writes one transaction at a time."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(CatalogueVersion.id).where(CatalogueVersion.id == 1).with_for_update())
    query = select(AuditChainHead).where(AuditChainHead.id == 1).with_for_update()
    head = db.session.execute(query).scalar()
    if head is None:
        # First event ever: create the head, tolerating a concurrent writer doing the same.
        insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
        db.session.execute(
            insert(AuditChainHead)
            .values(id=1, last_event_id=0, last_hash=GENESIS_HASH, keyed_from_event_id=1, seal="")
            .on_conflict_do_nothing(index_elements=["id"])
        )
        head = db.session.execute(query).scalar_one()
    return head


def record(
    actor: User | None,
    event_type: str,
    object_type: str,
    object_id: Any,
    *,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    head = _head()
    event = AuditEvent(
        id=head.last_event_id + 1,
        occurred_at=utcnow(),
        actor_id=actor.id if actor is not None else None,
        actor_label=actor.email if actor is not None else "system",
        actor_party=_party(actor),
        event_type=event_type,
        object_type=object_type,
        object_id=str(object_id),
        summary=summary,
        before_json=canonical_json(_plain(before or {})),
        after_json=canonical_json(_plain(after or {})),
        prev_hash=head.last_hash,
    )
    key = audit_key()
    keyed = event.id >= head.keyed_from_event_id  # always, once the migration has recorded where keying began
    event.hash = event_hash(event.chain_content(), event.prev_hash, key if keyed else None)
    head.last_event_id = event.id
    head.last_hash = event.hash
    head.seal = head_seal(key, head.last_event_id, head.last_hash, head.keyed_from_event_id)
    db.session.add(event)
    return event


def audit_key() -> bytes:
    """AUDIT_KEY as bytes (required in production, generated into instance/ in development: portal/config.py)."""
    return str(current_app.config["AUDIT_KEY"]).encode("utf-8")


def _party(actor: User | None) -> str:
    if actor is None:
        return "system"
    if actor.is_supplier:
        return "supplier"
    if actor.is_staff:
        return "staff"
    return "buyer"


def _chained_events(batch: int = 2000) -> Iterator[ChainedEvent]:
    last_id = 0
    while True:
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).all()
        if not rows:
            return
        for event in rows:
            yield ChainedEvent(event.id, event.chain_content(), event.prev_hash, event.hash)
        last_id = rows[-1].id
        # Keep memory flat over long chains without detaching anything else (e.g. the signed-in user).
        for event in rows:
            db.session.expunge(event)


def verify() -> ChainReport:
    head = db.session.get(AuditChainHead, 1)
    keyed_from = head.keyed_from_event_id if head is not None else 1
    report = verify_chain(_chained_events(), audit_key(), keyed_from)
    if not report.intact:
        return report
    last = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    if last is None:
        if head is not None and head.last_event_id:
            return ChainReport(False, 0, head.last_event_id, "every event up to it has been removed")
        return report
    if head is None:
        return ChainReport(False, report.checked, last.id, "the chain head is missing")
    if head.last_hash != last.hash or head.last_event_id != last.id:
        # The newest events were deleted: the chain that remains is consistent but short.
        return ChainReport(False, report.checked, last.id, "events after it have been removed")
    if not head.seal:
        if last.id >= keyed_from:
            return ChainReport(False, report.checked, last.id, "the chain head's seal is missing")
        note = f"not yet keyed: run flask audit rekey to bind events 1 to {last.id} under AUDIT_KEY"
        return ChainReport(True, report.checked, note=note)
    if not seal_matches(head.seal, audit_key(), head.last_event_id, head.last_hash, keyed_from):
        reason = "the chain head's seal does not match (the head was edited, or AUDIT_KEY is not the chain's key)"
        return ChainReport(False, report.checked, last.id, reason)
    return report


def key_existing_chain() -> tuple[ChainReport, AuditEvent | None]:
    """Bind an unkeyed chain under AUDIT_KEY now, by writing its first keyed event (`flask audit rekey`).

    Refuses (returns the report, no event) if the chain is broken; does nothing if it is already keyed."""
    report = verify()
    head = db.session.get(AuditChainHead, 1)
    if not report.intact or head is None or head.seal:
        db.session.rollback()
        return report, None
    legacy = {"keyed_from_event": head.last_event_id + 1, "plain_events": head.last_event_id}
    event = record(
        None,
        "audit.chain_keyed",
        "audit_chain",
        1,
        summary=f"Audit chain keyed with AUDIT_KEY from event {head.last_event_id + 1}",
        after=legacy | {"plain_head_hash": head.last_hash},
    )
    db.session.commit()
    return report, event
