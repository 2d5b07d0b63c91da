"""Oversight queries for framework staff: the audit log, review of supplier-made changes, and the outbox.

Writing the audit trail lives in portal.services.audit; this module reads it (and records the one
change it owns: staff acknowledging a supplier's change). Every read takes its reader and shows only what the
metadata seal lets them see now (portal.services.bids.sealed_records): lists, their totals, filter choices and
single records alike.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import selectinload

from portal.domain.audit_chain import ChainReport
from portal.domain.timefmt import LONDON
from portal.extensions import db
from portal.models import AuditEvent, OutboxMessage, SupplierChangeReview, User
from portal.services import audit
from portal.services.bids.sealed_records import may_see_event, visible_event, visible_message
from portal.services.errors import ConflictError, NotFoundError, ValidationError
from portal.services.permissions import require_staff

# Events a supplier's users cause that change no framework data: nothing for staff to review.
NON_DATA_EVENTS = ("user.signed_in", "user.signed_out", "user.password_set", "user.password_reset")
NOTE_MAX = 2000


# --- the audit log ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditQuery:
    actor: str = ""
    event_type: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: date | None = None
    date_to: date | None = None


def london_day_bounds(date_from: date | None, date_to: date | None) -> tuple[datetime | None, datetime | None]:
    """UTC bounds [start, end) covering whole Europe/London days, so "to 31 March" includes that evening."""
    start = datetime.combine(date_from, time.min, LONDON).astimezone(UTC) if date_from else None
    end = datetime.combine(date_to + timedelta(days=1), time.min, LONDON).astimezone(UTC) if date_to else None
    return start, end


def _filtered(reader: User, query: AuditQuery) -> Select:
    stmt = select(AuditEvent).where(visible_event(reader))
    if query.actor.strip():
        stmt = stmt.where(AuditEvent.actor_label.icontains(query.actor.strip().lower(), autoescape=True))
    if query.event_type:
        stmt = stmt.where(AuditEvent.event_type == query.event_type)
    if query.object_type:
        stmt = stmt.where(AuditEvent.object_type == query.object_type)
    if query.object_id.strip():
        stmt = stmt.where(AuditEvent.object_id == query.object_id.strip())
    start, end = london_day_bounds(query.date_from, query.date_to)
    if start is not None:
        stmt = stmt.where(AuditEvent.occurred_at >= start)
    if end is not None:
        stmt = stmt.where(AuditEvent.occurred_at < end)
    return stmt


def search_events(reader: User, query: AuditQuery, page: int = 1, per_page: int = 50):
    """Matching events the reader may see, newest first, as a Flask-SQLAlchemy pagination (counted over those)."""
    if query.date_from and query.date_to and query.date_from > query.date_to:
        raise ValidationError("The end date must be the same as or after the start date", field="date_to")
    stmt = _filtered(reader, query).order_by(AuditEvent.id.desc())
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=True)


def event_types(reader: User) -> list[str]:
    stmt = select(AuditEvent.event_type).where(visible_event(reader)).distinct().order_by(AuditEvent.event_type)
    return list(db.session.scalars(stmt))


def object_types(reader: User) -> list[str]:
    stmt = select(AuditEvent.object_type).where(visible_event(reader)).distinct().order_by(AuditEvent.object_type)
    return list(db.session.scalars(stmt))


def get_event(reader: User, event_id: int) -> AuditEvent:
    """One event; a withheld one is "not found", exactly like an id that does not exist."""
    event = db.session.get(AuditEvent, event_id)
    if event is None or not may_see_event(reader, event):
        raise NotFoundError("No such audit event.")
    return event


def events_about(reader: User, object_type: str, object_id: Any, limit: int = 10) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_type == object_type, AuditEvent.object_id == str(object_id))
            .where(visible_event(reader))
            .order_by(AuditEvent.id.desc())
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str
    had_before: bool
    has_after: bool


def _loads(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        # A damaged row must still be readable on the page that shows the damage.
        return {"(unreadable)": text}
    return value if isinstance(value, dict) else {"(value)": value}


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def field_changes(event: AuditEvent) -> list[FieldChange]:
    """One row per field in the event's before/after, in field order, to show "before -> after"."""
    before, after = _loads(event.before_json), _loads(event.after_json)
    fields = list(before) + [k for k in after if k not in before]
    return [
        FieldChange(f, _shown(before.get(f)), _shown(after.get(f)), f in before, f in after) for f in sorted(fields)
    ]


def pretty_json(text: str) -> str:
    return json.dumps(_loads(text), indent=2, sort_keys=True, ensure_ascii=False)


def verify_chain(viewer: User) -> ChainReport:
    """Walk the hash chain (portal.services.audit.verify) for the verify page.

    verify() empties the session as it pages through events, to bound memory; the signed-in user
    is put back so the page can still read their name and organisation.
    """
    report = audit.verify()
    db.session.add(viewer)
    return report


# --- supplier-made changes ---------------------------------------------------------------------


def _supplier_changes(reader: User) -> Select:
    return select(AuditEvent).where(
        AuditEvent.actor_party == "supplier", AuditEvent.event_type.not_in(NON_DATA_EVENTS), visible_event(reader)
    )


def _unreviewed(reader: User) -> Select:
    reviewed = exists().where(SupplierChangeReview.audit_event_id == AuditEvent.id)
    return _supplier_changes(reader).where(~reviewed)


def unreviewed_supplier_changes_count(reader: User) -> int:
    """How many supplier-made data changes staff have not yet acknowledged (the dashboard's figure)."""
    return db.session.execute(select(func.count()).select_from(_unreviewed(reader).subquery())).scalar_one()


def unreviewed_supplier_changes(reader: User, page: int = 1, per_page: int = 50):
    """Oldest first: staff work through them in the order they happened."""
    stmt = (
        _unreviewed(reader).options(selectinload(AuditEvent.actor).selectinload(User.supplier)).order_by(AuditEvent.id)
    )
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=True)


def reviewed_supplier_changes(reader: User, page: int = 1, per_page: int = 50):
    stmt = (
        select(SupplierChangeReview)
        .join(AuditEvent, SupplierChangeReview.audit_event_id == AuditEvent.id)
        .where(visible_event(reader))
        .options(
            selectinload(SupplierChangeReview.audit_event).selectinload(AuditEvent.actor).selectinload(User.supplier),
            selectinload(SupplierChangeReview.reviewed_by),
        )
        .order_by(SupplierChangeReview.reviewed_at.desc(), SupplierChangeReview.id.desc())
    )
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=True)


def supplier_change(reader: User, event_id: int) -> AuditEvent:
    event = db.session.scalar(_supplier_changes(reader).where(AuditEvent.id == event_id))
    if event is None:
        raise NotFoundError("No such supplier change.")
    return event


def review_of(event: AuditEvent) -> SupplierChangeReview | None:
    return db.session.scalar(select(SupplierChangeReview).where(SupplierChangeReview.audit_event_id == event.id))


def acknowledge(actor: User, event_ids: Iterable[int], note: str = "") -> int:
    """Record that staff have seen these supplier changes; every one must still be awaiting review."""
    require_staff(actor, "acknowledge supplier changes")
    ids = sorted(set(event_ids))
    if not ids:
        raise ValidationError("Select at least one change to acknowledge", field="event_ids")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(f"Note must be {NOTE_MAX} characters or fewer", field="note")
    pending = {e.id: e for e in db.session.scalars(_unreviewed(actor).where(AuditEvent.id.in_(ids)))}
    missing = [i for i in ids if i not in pending]
    if missing:
        raise ConflictError(
            "Some of these changes have already been acknowledged or are not supplier changes. Refresh and try again.",
            field="event_ids",
        )
    for event_id in ids:
        event = pending[event_id]
        db.session.add(SupplierChangeReview(audit_event_id=event.id, reviewed_by_id=actor.id, note=note))
        audit.record(
            actor,
            "supplier_change.acknowledged",
            "audit_event",
            event.id,
            summary=f"Acknowledged {event.event_type} by {event.actor_label}",
            after={"audit_event_id": event.id, "note": note},
        )
    db.session.commit()
    return len(ids)


# --- the outbox ---------------------------------------------------------------------------------

OUTBOX_STATUSES = ("pending", "sent", "outbox", "failed")


def outbox_messages(reader: User, recipient: str = "", status: str = "", page: int = 1, per_page: int = 50):
    stmt = select(OutboxMessage).where(visible_message(reader)).order_by(OutboxMessage.id.desc())
    if recipient.strip():
        stmt = stmt.where(OutboxMessage.recipient.icontains(recipient.strip().lower(), autoescape=True))
    if status:
        stmt = stmt.where(OutboxMessage.status == status)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=True)


def outbox_count(reader: User) -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id)).where(visible_message(reader))) or 0


def outbox_message(reader: User, message_id: int) -> OutboxMessage:
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.id == message_id, visible_message(reader)))
    if message is None:
        raise NotFoundError("No such message.")
    return message
