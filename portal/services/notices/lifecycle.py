"""A call-off's transparency notices: prepare, check, record their publication, and when the UK7 is due.

Who: the buying organisation's procurement officers (buyers and approvers); anyone else gets "not found".
What (portal/domain/law.py names the notices of each regime):
- PA 2023: the contract award notice (UK6) once the award is approved; the contract details notice (UK7) once
  both parties have signed, due within 30 days of signing (s.53), flagged when due and when overdue.
- PCR 2015: the award release for Contracts Finder once the award is approved.
A notice is regenerated while unpublished (prepare again after a change); once its publication is recorded it is
fixed. The portal never marks a notice published on its own: the buyer records the platform's notice identifier
and the publication time, and only a notice that validates against the carried schema can be recorded.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from portal.domain import notices as build
from portal.domain.canonical import canonical_json
from portal.domain.framework_term import Regime
from portal.extensions import db
from portal.models import TransparencyNotice, User
from portal.models.base import utcnow
from portal.services import audit
from portal.services.contracts.call_offs import COMPETITION, CallOff, for_officer
from portal.services.errors import ConflictError, NotFoundError, ValidationError
from portal.services.notices import facts, large_contract, standstill, validation

UK7_DUE_DAYS = 30  # PA 2023 s.53: within 30 days of entering into the contract
# Find a Tender notice identifiers look like "2026/S 000-012345" (year, /S, a three-digit issue, six digits).
PLATFORM_ID = re.compile(r"^[0-9]{4}/S [0-9]{3}-[0-9]{6}$")
NOTICE_LABELS = {
    build.UK6: "Contract award notice (UK6)",
    build.UK7: "Contract details notice (UK7)",
    build.CONTRACTS_FINDER_AWARD: "Contract award on Contracts Finder",
}


def notice_types(call_off: CallOff) -> tuple[str, ...]:
    if Regime(call_off.lot.framework.regime) == Regime.PA_2023:
        return (build.UK6, build.UK7)
    return (build.CONTRACTS_FINDER_AWARD,)


def call_off_for(user: User, kind: str, call_off_id: int) -> CallOff:
    """The call-off if the user is one of its buying organisation's buyers or approvers; NotFoundError otherwise."""
    call_off = for_officer(user, kind, call_off_id)
    if user.buyer_organisation_id != call_off.buyer.id:
        raise NotFoundError("Call-off not found")
    return call_off


def _owner(call_off: CallOff):
    if call_off.kind == COMPETITION:
        return TransparencyNotice.competition_id == call_off.id
    return TransparencyNotice.direct_award_id == call_off.id


def notices_of(call_off: CallOff) -> dict[str, TransparencyNotice]:
    found = db.session.scalars(select(TransparencyNotice).where(_owner(call_off)))
    return {n.notice_type: n for n in found}


def get(user: User, kind: str, call_off_id: int, notice_type: str) -> tuple[CallOff, TransparencyNotice]:
    call_off = call_off_for(user, kind, call_off_id)
    notice = notices_of(call_off).get(notice_type)
    if notice is None:
        raise NotFoundError("Notice not found")
    return call_off, notice


def preparation_refusal(call_off: CallOff, notice_type: str) -> str | None:
    """Why the notice cannot be prepared now, or None."""
    if notice_type not in notice_types(call_off):
        return "This notice does not apply to call-offs under the framework's legal regime"
    if call_off.subject.cancelled_at is not None:
        return f"{call_off.reference} has been cancelled"
    if call_off.subject.approved_at is None:
        return "The notice can be prepared once the award has been approved"
    if notice_type == build.UK6 and call_off.kind == COMPETITION and facts.summaries_sent_at(call_off) is None:
        # Procurement Regulations 2024 reg 31 and s.50: every assessed supplier has its summary before the notice.
        return "The contract award notice can be prepared once the assessment summaries have been sent"
    if notice_type == build.UK7 and facts.contract_facts(call_off) is None:
        return "The contract details notice can be prepared once both parties have signed the contract"
    return None


def release_for(user: User, call_off: CallOff, notice_type: str, now: datetime) -> dict:
    call_off_facts = facts.call_off_facts(user, call_off, now)
    if notice_type == build.UK7:
        contract = facts.contract_facts(call_off, call_off_facts.value_pence)
        if contract is None:
            raise ConflictError("The contract has not been signed by both parties")
        return build.contract_release(call_off_facts, contract, now)
    return build.award_release(call_off_facts, now)


def prepare(user: User, kind: str, call_off_id: int, notice_type: str) -> TransparencyNotice:
    """Generate (or regenerate, while unpublished) the notice's release from the call-off as it stands."""
    call_off = call_off_for(user, kind, call_off_id)
    refusal = preparation_refusal(call_off, notice_type)
    if refusal:
        raise ConflictError(refusal)
    notice = notices_of(call_off).get(notice_type)
    if notice is not None and notice.published:
        raise ConflictError("This notice has been published, so it can no longer be regenerated")
    now = utcnow()
    release = release_for(user, call_off, notice_type, now)
    if notice is None:
        notice = TransparencyNotice(notice_type=notice_type, prepared_by_id=user.id)
        if call_off.kind == COMPETITION:
            notice.competition_id = call_off.id
        else:
            notice.direct_award_id = call_off.id
        db.session.add(notice)
    elif notice.release_id == release["id"]:
        return notice  # unchanged: the same release, nothing to record
    notice.ocid, notice.release_id = release["ocid"], release["id"]
    notice.release_json = canonical_json(release)
    notice.prepared_at, notice.prepared_by_id = now, user.id
    db.session.flush()
    audit.record(
        user, "notice.prepared", call_off.kind, call_off.id,
        summary=f"{call_off.reference}: {NOTICE_LABELS[notice_type]} prepared", after={"release_id": notice.release_id},
    )  # fmt: skip
    db.session.commit()
    return notice


def release_of(notice: TransparencyNotice) -> dict:
    release: dict = json.loads(notice.release_json)
    return release


def errors(notice: TransparencyNotice) -> list[validation.SchemaError]:
    """The notice's schema errors: its release, and the release inside a package (empty when it is valid)."""
    release = release_of(notice)
    found = validation.release_errors(release)
    package = build.release_package([release], f"urn:notice:{notice.release_id}", notice.prepared_at, "check")
    return found or validation.package_errors(package)


def _clean_platform_id(value: str) -> str:
    cleaned = " ".join((value or "").split())
    if not cleaned:
        raise ValidationError("Enter the Find a Tender notice identifier", field="platform_notice_id")
    if not PLATFORM_ID.match(cleaned):
        raise ValidationError(
            "Enter the notice identifier as Find a Tender shows it, like 2026/S 000-012345", field="platform_notice_id"
        )
    return cleaned


def record_publication(
    user: User, kind: str, call_off_id: int, notice_type: str, platform_notice_id: str, published_at: datetime | None
) -> TransparencyNotice:
    """Record that the buyer published the notice (identifier and time from the platform); audited."""
    call_off, notice = get(user, kind, call_off_id, notice_type)
    if notice.published:
        raise ConflictError("This notice's publication has already been recorded")
    if call_off.subject.cancelled_at is not None:
        raise ConflictError(f"{call_off.reference} has been cancelled, so no notice of it can be recorded")
    problems = errors(notice)
    if problems:
        raise ValidationError(
            "The notice does not validate against the OCDS schema, so its publication cannot be recorded: "
            + "; ".join(str(p) for p in problems[:5])
        )
    large_contract.check_publication(call_off, notice)  # PA 2023 s.52: the contract and its KPIs, over the threshold
    needs_platform_id = notice_type != build.CONTRACTS_FINDER_AWARD
    cleaned = _clean_platform_id(platform_notice_id) if needs_platform_id else (platform_notice_id or "").strip()
    if not cleaned:
        raise ValidationError("Enter the Contracts Finder notice identifier", field="platform_notice_id")
    if len(cleaned) > 40:
        raise ValidationError("The notice identifier must be 40 characters or fewer", field="platform_notice_id")
    now = utcnow()
    if published_at is None:
        raise ValidationError("Enter the date and time the notice was published", field="published_at")
    if published_at > now:
        raise ValidationError("The publication time cannot be in the future", field="published_at")
    # The form gives the time to the minute: a notice published in the minute it was prepared is accepted.
    if published_at < notice.prepared_at.replace(second=0, microsecond=0):
        raise ValidationError("The notice cannot have been published before it was prepared", field="published_at")
    # The Act's standstill begins with the day the UK6 is published (s.51(2)): it starts now it is recorded. Started
    # before the notice changes, so a refusal leaves the notice as it was.
    ends = standstill.start_from_award_notice(call_off.subject, notice, published_at)
    notice.status, notice.platform_notice_id, notice.published_at = "published", cleaned, published_at
    notice.published_by_id, notice.recorded_at = user.id, now
    started = f"; {standstill.describe(call_off.subject)}" if ends is not None else ""
    audit.record(
        user, "notice.publication_recorded", call_off.kind, call_off.id,
        summary=f"{call_off.reference}: {NOTICE_LABELS[notice_type]} published as {cleaned}{started}",
        after={"release_id": notice.release_id, "platform_notice_id": cleaned, "published_at": published_at,
               "standstill_ends_at": ends},
    )  # fmt: skip
    db.session.commit()
    return notice


@dataclass(frozen=True)
class Due:
    due_on: date
    state: str  # "due" (not yet published, still in time), "overdue", or "published"


def uk7_due(call_off: CallOff, today: date | None = None) -> Due | None:
    """When the UK7 is due (signed + 30 days) and whether it is overdue; None before signing or outside the Act."""
    if build.UK7 not in notice_types(call_off):
        return None
    contract = facts.contract_facts(call_off)
    if contract is None:
        return None
    due_on = contract.signed_at.date() + timedelta(days=UK7_DUE_DAYS)
    notice = notices_of(call_off).get(build.UK7)
    if notice is not None and notice.published:
        return Due(due_on, "published")
    today = today or utcnow().date()
    return Due(due_on, "overdue" if today > due_on else "due")
