"""The call-off contract as a PDF: generating it, and where its signing stands.

One series per call-off ("call_off_contract:competition:12"). Generating builds the data
(portal/services/documents/contract_data.py) and issues it through the register: unchanged data returns the current
version; changed data (a KPI added, the terms corrected, the supplier's address updated) makes a new version,
and signatures on the old one no longer count. When both parties have signed the latest unsigned version, the
signed version is registered as the next version of the series (portal/services/contracts/signing.py); from then
on generating returns the signed version and nothing about the contract can change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from portal.domain.contract_readiness import Gap
from portal.extensions import db
from portal.models import ContractSignature, Document, User
from portal.services import notifications
from portal.services.contracts import call_offs, kpis, readiness
from portal.services.contracts.call_offs import CallOff
from portal.services.documents import contract_data, register
from portal.services.notifications import links

TEMPLATE = "call_off_contract.html"
# 4: the standstill as the regime runs it (under the Act from the UK6); 3: DP schedule, governing law by nation,
# definitions, DA schedule without rivals, no scores
TEMPLATE_VERSION = "4"
PARTIES = ("supplier", "buyer")
PARTY_LABELS = {"supplier": "the supplier", "buyer": "the buyer"}


def contract_issue(call_off: CallOff, data: dict, *, signed: bool = False) -> register.Issue:
    supplier = data["supplier"]["legal_name"]
    prefix = "Signed call-off contract" if signed else "Call-off contract"
    return register.Issue(
        kind="call_off_contract",
        series_key=call_off.series_key,
        subject_type=call_off.kind,
        subject_id=call_off.id,
        reference=call_off.reference,
        title=f"{prefix}: {call_off.reference}",
        subject=f"Call-off contract between {data['buyer']['name']} and {supplier} for {call_off.title}",
        template=TEMPLATE,
        data=data,
        template_version=TEMPLATE_VERSION,
        buyer_organisation_id=call_off.buyer.id,
        supplier_id=call_off.winner.id,
    )


def generate(actor: User, kind: str, call_off_id: int) -> Document:
    """The contract's current version: the signed one once both parties have signed, else issued from today's data."""
    call_off = call_offs.for_user(actor, kind, call_off_id)
    call_offs.require_approved(call_off)
    signed = kpis.signed_contract(call_off)
    if signed is not None:
        return signed
    latest = register.latest_in_series(call_off.series_key)
    document = register.issue(actor, contract_issue(call_off, contract_data.build(actor, call_off)), commit=False)
    if document is not latest and not (call_off.signing_refusal() or readiness.refusal(call_off)):
        _announce_ready(actor, call_off, document)
    db.session.commit()
    return document


def _announce_ready(actor: User, call_off: CallOff, document: Document) -> None:
    """A new version both parties may sign now: tell the signatories of both (the buyer's approvers and the winning
    supplier's users), except whoever generated it, who is looking at it."""
    people = [*call_offs.approvers(call_off.buyer.id), *call_offs.supplier_users(call_off.winner.id)]
    notifications.notify(
        [person for person in people if person.id != actor.id],
        "contract_ready_to_sign",
        f"Contract ready to sign: {call_off.reference}",
        f"Version {document.version} of the call-off contract between {call_off.buyer.legal_name} and "
        f"{call_off.winner.legal_name} for {call_off.title} ({call_off.reference}) is ready to sign.\n\n"
        "Read it, then sign it in the portal: an approver signs for the buyer and a user of the supplier signs for "
        "the supplier. Signatures on an earlier version no longer count.",
        link=links.path_for("contracts.show", **call_off.link_values()),
    )


def signatures_on(document: Document) -> dict[str, ContractSignature]:
    rows = db.session.scalars(select(ContractSignature).where(ContractSignature.document_id == document.id))
    return {row.party: row for row in rows}


def party_of(user: User, call_off: CallOff) -> str | None:
    """Which party the user may sign for: the winning supplier's users, and the buying organisation's approvers."""
    if user.is_supplier and call_off.supplier is not None and user.supplier_id == call_off.supplier.id:
        return "supplier"
    if user.role == "approver" and user.buyer_organisation_id == call_off.buyer.id:
        return "buyer"
    return None


@dataclass
class ContractStatus:
    """What the contract page shows: the current version, its signatures, and what the user may do next."""

    call_off: CallOff
    latest: Document | None
    signed: Document | None
    signatures: dict[str, ContractSignature] = field(default_factory=dict)
    party: str | None = None
    signing_refusal: str | None = None
    kpi_refusal: str | None = None
    gaps: list[Gap] = field(default_factory=list)  # what must be completed before signing (with the page to do it)

    @property
    def can_generate(self) -> bool:
        return self.call_off.approved and self.signed is None

    @property
    def can_sign(self) -> bool:
        return (
            self.latest is not None
            and self.signed is None
            and self.party is not None
            and self.party not in self.signatures
            and self.signing_refusal is None
        )

    @property
    def signed_from(self) -> Document | None:
        return self.signed.signed_from if self.signed is not None else None


def status(user: User, kind: str, call_off_id: int) -> ContractStatus:
    call_off = call_offs.for_user(user, kind, call_off_id)
    latest = register.latest_in_series(call_off.series_key)
    signed = latest if latest is not None and latest.signed_at is not None else None
    unsigned = signed.signed_from if signed is not None else latest
    gaps = readiness.gaps(call_off) if call_off.approved and signed is None else []
    refusal = call_off.signing_refusal() if call_off.approved else "The award has not been approved"
    return ContractStatus(
        call_off=call_off,
        latest=latest,
        signed=signed,
        signatures=signatures_on(unsigned) if unsigned is not None else {},
        party=party_of(user, call_off),
        signing_refusal=refusal or (gaps[0].message if gaps else None),
        kpi_refusal=kpis.editing_refusal(call_off),
        gaps=gaps,
    )
