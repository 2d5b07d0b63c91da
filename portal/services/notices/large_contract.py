"""Contracts over the Act's large-contract threshold (portal/domain/law.py `LargeContract`, PA 2023 only): their duties
and whether each is met, the published copy of the signed contract the contract details notice (UK7) lists, and that
copy's public download.

- `status(call_off)`: the duties (portal/domain/notices.py `large_contract_duties`: at least the minimum number of
  KPIs; the contract itself published, redacted as needed) with the UK7 and the copy the buyer chose, if any. The
  value is the contract's excluding VAT (the winning bid's total, or the direct award's whole-life cost), compared
  with the threshold including VAT. Empty duties: not a large contract (or PCR 2015).
- `publication_refusal(call_off, notice)`: why the UK7 cannot be recorded as published yet; record_publication asks.
- `published_copy(call_off)`: the copy as the UK7 release lists it (its public URL).
- `public_file(framework_id, sha256)`: what the public URL serves, which is only ever a copy that a UK7 recorded as
  published names, of a call-off under that framework; anything else is "not found".
The buyer's redaction step (upload a redacted copy, or confirm that nothing is exempt) is redaction.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from portal.domain import notices as build
from portal.domain.framework_term import Regime
from portal.domain.law import law_for
from portal.domain.money import format_pence
from portal.extensions import db
from portal.models import Competition, DirectAward, TransparencyNotice
from portal.services import files, mail
from portal.services.contracts import kpis, readiness
from portal.services.contracts.call_offs import COMPETITION, CallOff
from portal.services.errors import ConflictError, NotFoundError

PUBLIC_ENDPOINT = "notices.published_contract"
COPY_LABELS = {
    "redacted": "A redacted copy of the signed contract",
    "unredacted": "The signed contract in full (nothing in it is exempt from publication)",
}


@dataclass(frozen=True)
class Status:
    duties: list[build.Duty]
    notice: TransparencyNotice | None = None  # the UK7, once prepared
    threshold_text: str = ""  # e.g. "£5,000,000.00"
    outstanding: list[build.Duty] = field(default_factory=list)

    @property
    def applies(self) -> bool:
        return bool(self.duties)

    @property
    def copy(self) -> str | None:
        return self.notice.contract_copy if self.notice is not None else None

    @property
    def copy_label(self) -> str:
        return COPY_LABELS[self.copy] if self.copy else ""


def uk7_of(call_off: CallOff) -> TransparencyNotice | None:
    owner = (
        TransparencyNotice.competition_id == call_off.id
        if call_off.kind == COMPETITION
        else TransparencyNotice.direct_award_id == call_off.id
    )
    return db.session.scalar(select(TransparencyNotice).where(owner, TransparencyNotice.notice_type == build.UK7))


def status(call_off: CallOff) -> Status:
    regime = Regime(call_off.lot.framework.regime)
    large = law_for(regime).large_contract
    if large is None or not call_off.approved:
        return Status([])
    notice = uk7_of(call_off)
    published = notice is not None and notice.contract_copy is not None
    value = readiness.contract_value_pence(call_off)
    duties = build.large_contract_duties(regime, value, len(kpis.kpis_of(call_off)), published)
    return Status(duties, notice, format_pence(large.threshold_pence_incl_vat), build.outstanding(duties))


def _public_url(call_off: CallOff, sha256: str) -> str:
    return mail.link_for(PUBLIC_ENDPOINT, framework_id=call_off.lot.framework.id, sha256=sha256)


def published_copy(call_off: CallOff) -> build.PublishedContract | None:
    notice = uk7_of(call_off)
    if notice is None or notice.contract_copy is None or notice.contract_copy_sha256 is None:
        return None
    return build.PublishedContract(
        _public_url(call_off, notice.contract_copy_sha256), notice.contract_copy == "redacted"
    )


def _lists_copy(notice: TransparencyNotice) -> bool:
    contracts = json.loads(notice.release_json).get("contracts") or [{}]
    return any(
        d.get("documentType") == "contractSigned"
        and str(d.get("url", "")).endswith(f"/{notice.contract_copy_sha256}.pdf")
        for d in contracts[0].get("documents", [])
    )


def publication_refusal(call_off: CallOff, notice: TransparencyNotice) -> str | None:
    """Why the UK7 of a large contract cannot be recorded as published yet, or None (also for any other notice)."""
    if notice.notice_type != build.UK7:
        return None
    found = status(call_off)
    if found.outstanding:
        return (
            f"The contract is worth more than {found.threshold_text} including VAT, so the contract details notice "
            "cannot be recorded as published until its duties are met: " + "; ".join(d.text for d in found.outstanding)
        )
    if found.applies and not _lists_copy(notice):
        return "Prepare the contract details notice again so that it lists the published contract, then publish it"
    return None


def check_publication(call_off: CallOff, notice: TransparencyNotice) -> None:
    """Raise ConflictError with the refusal when the UK7 of a large contract cannot be recorded as published."""
    refusal = publication_refusal(call_off, notice)
    if refusal:
        raise ConflictError(refusal)


def _framework_of(notice: TransparencyNotice) -> tuple[int, str] | None:
    subject = (
        db.session.get(Competition, notice.competition_id)
        if notice.competition_id is not None
        else db.session.get(DirectAward, notice.direct_award_id)
    )
    return (subject.lot.framework_id, subject.reference) if subject is not None else None


def public_file(framework_id: int, sha256: str) -> tuple[Path, str]:
    """(path, download name) of a published contract copy; NotFoundError unless a published UK7 names it."""
    notices = db.session.scalars(
        select(TransparencyNotice).where(
            TransparencyNotice.notice_type == build.UK7,
            TransparencyNotice.status == "published",
            TransparencyNotice.contract_copy_sha256 == sha256,
        )
    )
    for notice in notices:
        owner = _framework_of(notice)
        if owner is not None and owner[0] == framework_id:
            return copy_file(notice, owner[1])
    raise NotFoundError("Contract not found")


def copy_file(notice: TransparencyNotice, reference: str) -> tuple[Path, str]:
    """(path, download name) of the copy the notice names; NotFoundError when it names none."""
    path = files.path_for(notice.contract_copy_sha256) if notice.contract_copy_sha256 else None
    if path is None or not path.is_file():
        raise NotFoundError("Contract not found")
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in reference)
    return path, f"{safe}-contract{'-redacted' if notice.contract_copy == 'redacted' else ''}.pdf"
