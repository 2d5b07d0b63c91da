"""Key performance indicators the buyer sets at award; they become the contract's KPI schedule.

A procurement officer of the buying organisation adds, changes and removes them from approval of the award
until the contract is signed by both parties (after that the signed contract is the record, and a change
would need a contract variation). Every change is audited with before and after.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import CallOffKpi, User
from portal.services import audit
from portal.services.contracts.call_offs import COMPETITION, CallOff, for_officer, require_approved
from portal.services.documents import register
from portal.services.errors import ConflictError, NotFoundError, ValidationError

KPI_FIELDS = ("title", "measure", "target")
MAX_KPIS = 20


@dataclass(frozen=True)
class KpiInput:
    title: str
    measure: str
    target: str


def _owner_filter(call_off: CallOff):
    if call_off.kind == COMPETITION:
        return CallOffKpi.competition_id == call_off.id
    return CallOffKpi.direct_award_id == call_off.id


def kpis_of(call_off: CallOff) -> list[CallOffKpi]:
    return list(
        db.session.scalars(
            select(CallOffKpi).where(_owner_filter(call_off)).order_by(CallOffKpi.position, CallOffKpi.id)
        )
    )


def signed_contract(call_off: CallOff):
    latest = register.latest_in_series(call_off.series_key)
    return latest if latest is not None and latest.signed_at is not None else None


def editing_refusal(call_off: CallOff) -> str | None:
    """Why KPIs cannot be changed now, or None."""
    if call_off.subject.cancelled_at is not None:
        return f"{call_off.reference} has been cancelled"
    if call_off.subject.approved_at is None:
        return "KPIs can be set once the award has been approved"
    if signed_contract(call_off) is not None:
        return "The contract has been signed by both parties, so its KPIs can no longer be changed"
    return None


def _editable(user: User, kind: str, call_off_id: int) -> CallOff:
    call_off = for_officer(user, kind, call_off_id)
    require_approved(call_off)
    refusal = editing_refusal(call_off)
    if refusal:
        raise ConflictError(refusal)
    return call_off


def _clean(data: KpiInput) -> KpiInput:
    title, measure, target = (data.title or "").strip(), (data.measure or "").strip(), (data.target or "").strip()
    if not title:
        raise ValidationError("Enter the KPI's title", field="title")
    if len(title) > 200:
        raise ValidationError("Title must be 200 characters or fewer", field="title")
    if not measure:
        raise ValidationError("Enter how the KPI is measured", field="measure")
    if not target:
        raise ValidationError("Enter the KPI's target", field="target")
    if len(target) > 200:
        raise ValidationError("Target must be 200 characters or fewer", field="target")
    return KpiInput(title, measure, target)


def get_kpi(user: User, kind: str, call_off_id: int, kpi_id: int) -> tuple[CallOff, CallOffKpi]:
    call_off = for_officer(user, kind, call_off_id)
    kpi = db.session.get(CallOffKpi, kpi_id)
    owner = kpi.competition_id if kpi and call_off.kind == COMPETITION else (kpi.direct_award_id if kpi else None)
    if kpi is None or owner != call_off.id:
        raise NotFoundError("KPI not found")
    return call_off, kpi


def _record(user: User, call_off: CallOff, event: str, kpi: CallOffKpi, summary: str, before=None, after=None):
    audit.record(
        user, f"call_off.kpi_{event}", call_off.kind, call_off.id,
        summary=f"{call_off.reference}: {summary}", before=before, after={"kpi_id": kpi.id, **(after or {})},
    )  # fmt: skip


def add(user: User, kind: str, call_off_id: int, data: KpiInput) -> CallOffKpi:
    call_off = _editable(user, kind, call_off_id)
    data = _clean(data)
    existing = db.session.execute(
        select(func.count()).select_from(CallOffKpi).where(_owner_filter(call_off))
    ).scalar_one()
    if existing >= MAX_KPIS:
        raise ConflictError(f"A contract can have at most {MAX_KPIS} KPIs", field="title")
    last = db.session.scalar(select(func.max(CallOffKpi.position)).where(_owner_filter(call_off))) or 0
    kpi = CallOffKpi(position=last + 1, title=data.title, measure=data.measure, target=data.target)
    if call_off.kind == COMPETITION:
        kpi.competition_id = call_off.id
    else:
        kpi.direct_award_id = call_off.id
    db.session.add(kpi)
    db.session.flush()
    _record(user, call_off, "added", kpi, f"KPI added: {kpi.title}", after=audit.snapshot(kpi, KPI_FIELDS))
    db.session.commit()
    return kpi


def update(user: User, kind: str, call_off_id: int, kpi_id: int, data: KpiInput) -> CallOffKpi:
    _editable(user, kind, call_off_id)
    call_off, kpi = get_kpi(user, kind, call_off_id, kpi_id)
    data = _clean(data)
    before = audit.snapshot(kpi, KPI_FIELDS)
    kpi.title, kpi.measure, kpi.target = data.title, data.measure, data.target
    before, after = audit.changed(before, audit.snapshot(kpi, KPI_FIELDS))
    if after:
        _record(user, call_off, "changed", kpi, f"KPI changed: {kpi.title}", before=before, after=after)
    db.session.commit()
    return kpi


def remove(user: User, kind: str, call_off_id: int, kpi_id: int) -> CallOffKpi:
    _editable(user, kind, call_off_id)
    call_off, kpi = get_kpi(user, kind, call_off_id, kpi_id)
    before = audit.snapshot(kpi, KPI_FIELDS)
    _record(user, call_off, "removed", kpi, f"KPI removed: {kpi.title}", before=before)
    db.session.delete(kpi)
    db.session.commit()
    return kpi
