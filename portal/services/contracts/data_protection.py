"""The contract's data protection schedule, which a procurement officer of the buying organisation completes at award.

UK GDPR Article 28(3) requires a contract under which a processor processes personal data for a controller to set out
the subject matter and duration of the processing, its nature and purpose, the types of personal data and the
categories of data subjects. The buyer also says whether the processing is law-enforcement processing under Part 3
of the Data Protection Act 2018 (a police force processing for a law-enforcement purpose). "No personal data is
processed" is an explicit answer, never the default. The schedule can be changed, like the KPIs, from approval until
both parties have signed; every change is audited with before and after. Signing waits until it is complete
(portal/services/contracts/readiness.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from portal.extensions import db
from portal.models import DataProtectionSchedule, User
from portal.models.base import utcnow
from portal.models.data_protection import PARTICULARS
from portal.services import audit
from portal.services.contracts.call_offs import COMPETITION, CallOff, for_officer, require_approved
from portal.services.contracts.kpis import editing_refusal
from portal.services.errors import ConflictError, ValidationError

MAX_PARTICULAR = 5000
FIELDS = ("processes_personal_data", *PARTICULARS, "law_enforcement_processing")

# Each particular with the question the form asks and the label the contract prints (Article 28(3) order).
LABELS = {
    "subject_matter": "Subject matter of the processing",
    "duration": "Duration of the processing",
    "nature_and_purpose": "Nature and purpose of the processing",
    "personal_data_types": "Types of personal data",
    "data_subject_categories": "Categories of data subjects",
}
MISSING = {
    "subject_matter": "Enter the subject matter of the processing",
    "duration": "Enter the duration of the processing",
    "nature_and_purpose": "Enter the nature and purpose of the processing",
    "personal_data_types": "Enter the types of personal data processed",
    "data_subject_categories": "Enter the categories of data subjects",
}


@dataclass(frozen=True)
class DataProtectionInput:
    processes_personal_data: bool | None
    subject_matter: str = ""
    duration: str = ""
    nature_and_purpose: str = ""
    personal_data_types: str = ""
    data_subject_categories: str = ""
    law_enforcement_processing: bool | None = None


def schedule_of(call_off: CallOff) -> DataProtectionSchedule | None:
    column = (
        DataProtectionSchedule.competition_id
        if call_off.kind == COMPETITION
        else DataProtectionSchedule.direct_award_id
    )
    return db.session.scalar(select(DataProtectionSchedule).where(column == call_off.id))


def _clean(data: DataProtectionInput) -> DataProtectionInput:
    if data.processes_personal_data is None:
        raise ValidationError(
            "Select whether the supplier processes personal data for the buyer", field="processes_personal_data"
        )
    if not data.processes_personal_data:
        return DataProtectionInput(False)
    values = {name: (getattr(data, name) or "").strip() for name in PARTICULARS}
    for name in PARTICULARS:
        if not values[name]:
            raise ValidationError(MISSING[name], field=name)
        if len(values[name]) > MAX_PARTICULAR:
            raise ValidationError(f"{LABELS[name]} must be {MAX_PARTICULAR:,} characters or fewer", field=name)
    if data.law_enforcement_processing is None:
        raise ValidationError(
            "Select whether the processing is law-enforcement processing under Part 3 of the Data Protection Act 2018",
            field="law_enforcement_processing",
        )
    return DataProtectionInput(True, **values, law_enforcement_processing=data.law_enforcement_processing)


def save(user: User, kind: str, call_off_id: int, data: DataProtectionInput) -> DataProtectionSchedule:
    call_off = for_officer(user, kind, call_off_id)
    require_approved(call_off)
    refusal = editing_refusal(call_off)
    if refusal:
        raise ConflictError(refusal.replace("its KPIs", "its data protection schedule"))
    clean = _clean(data)
    schedule = schedule_of(call_off)
    before = audit.snapshot(schedule, FIELDS) if schedule is not None else None
    if schedule is None:
        schedule = DataProtectionSchedule(completed_by_id=user.id)
        if call_off.kind == COMPETITION:
            schedule.competition_id = call_off.id
        else:
            schedule.direct_award_id = call_off.id
        db.session.add(schedule)
    for name in FIELDS:
        setattr(schedule, name, getattr(clean, name))
    after = audit.snapshot(schedule, FIELDS)
    if before is not None:
        before, after = audit.changed(before, after)
        if not after:
            return schedule
    schedule.completed_by_id, schedule.completed_at = user.id, utcnow()
    db.session.flush()
    audit.record(
        user, "call_off.data_protection_schedule_saved", call_off.kind, call_off.id,
        summary=f"{call_off.reference}: data protection schedule "
        f"{'completed' if before is None else 'changed'}",
        before=before, after=after,
    )  # fmt: skip
    db.session.commit()
    return schedule


def contract_part(schedule: DataProtectionSchedule | None) -> dict[str, Any] | None:
    """What the contract's data protection schedule prints (None: not completed yet)."""
    if schedule is None:
        return None
    if not schedule.processes_personal_data:
        return {"processes_personal_data": False, "particulars": [], "law_enforcement_processing": None}
    return {
        "processes_personal_data": True,
        "particulars": [{"label": LABELS[name], "text": getattr(schedule, name)} for name in PARTICULARS],
        "law_enforcement_processing": bool(schedule.law_enforcement_processing),
    }
