"""Writing and verifying the audit trail.

`record` adds an event to the current transaction; the caller's commit makes the change and
its event durable together. Appends are serialised on the chain head row so the hash chain
never forks, whatever the number of concurrent writers.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.domain.audit_chain import (
    GENESIS_HASH,
    ChainedEvent,
    ChainReport,
    event_hash,
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
            .values(id=1, last_event_id=0, last_hash=GENESIS_HASH)
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
    event.hash = event_hash(event.chain_content(), event.prev_hash)
    head.last_event_id = event.id
    head.last_hash = event.hash
    db.session.add(event)
    return event


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
    report = verify_chain(_chained_events())
    if not report.intact:
        return report
    head = db.session.get(AuditChainHead, 1)
    last = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    if head is not None and last is not None and head.last_hash != last.hash:
        # The newest events were deleted: the chain that remains is consistent but short.
        return ChainReport(False, report.checked, last.id, "events after it have been removed")
    return report
