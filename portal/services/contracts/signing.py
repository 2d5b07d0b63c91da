"""Signing the call-off contract in the portal: a simple electronic signature by each party.

- The supplier signs through one of the winning supplier's users; the buyer through an approver of the buying
  organisation. Each confirms their name and role and that typing them is their signature; the portal records
  who, as what, and when (by its clock), and audits it.
- Only the latest unsigned version can be signed, and only if it still matches today's data (a KPI changed since
  it was generated makes it stale): otherwise the refusal says which version to sign instead. Each party signs a
  version once (the database holds one signature per party per version too).
- Signing waits until the contract may be entered into (portal/services/contracts/call_offs.py: after the standstill)
  and until no clause points at an empty schedule (portal/services/contracts/readiness.py: the data protection
  schedule completed, the KPIs the terms and the law need).
- When both parties have signed, the signed version is registered: the same contract with a signature page giving
  both signatures and the SHA-256 of the unsigned PDF they signed, and the contract enters the contract register
  (portal/services/contracts/register.py) in the same transaction. The other party is emailed at each signature.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.domain.canonical import canonical_json
from portal.domain.timefmt import format_datetime
from portal.extensions import db
from portal.models import ContractSignature, Document, User
from portal.models.base import utcnow
from portal.services import audit, notifications
from portal.services.contracts import call_offs, readiness
from portal.services.contracts import register as contract_register
from portal.services.contracts.call_offs import CallOff
from portal.services.documents import contract_data, register
from portal.services.documents import render as renderer
from portal.services.documents.contract import PARTIES, PARTY_LABELS, TEMPLATE, contract_issue, party_of, signatures_on
from portal.services.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from portal.services.notifications import links

SIGNATURE_STATEMENT = (
    "By confirming, I sign this version of the call-off contract electronically on behalf of {party}. I am "
    "authorised to do so, and I intend my typed name and role to be my signature."
)


@dataclass(frozen=True)
class SigningTarget:
    document: Document
    call_off: CallOff
    party: str

    @property
    def organisation(self) -> str:
        # The contracting bodies, as the contract names them (a police force is not a legal person: its PCC is).
        return self.call_off.winner.legal_name if self.party == "supplier" else self.call_off.buyer.legal_name

    @property
    def statement(self) -> str:
        return SIGNATURE_STATEMENT.format(party=self.organisation)


@dataclass(frozen=True)
class SigningOutcome:
    signature: ContractSignature
    signed: Document | None  # the signed version, once both parties have signed


def target(user: User, document_id: int, *, for_update: bool = False) -> SigningTarget:
    """The contract version and the party the user would sign for (404 if unreadable, 403 if not a signatory)."""
    document = register.get_readable(user, document_id)
    if document.kind != "call_off_contract":
        raise NotFoundError("Contract not found")
    if for_update:
        db.session.scalar(select(Document).where(Document.id == document.id).with_for_update())
    call_off = call_offs.of_document(document.subject_type, document.subject_id)
    party = party_of(user, call_off)
    if party is None:
        raise PermissionDeniedError(
            f"Only a user of {call_off.winner.legal_name} or an approver of {call_off.buyer.name} can sign this "
            "contract"
        )
    return SigningTarget(document, call_off, party)


def refusal(signing: SigningTarget) -> str | None:
    """Why this user cannot sign this version now, or None."""
    document, call_off = signing.document, signing.call_off
    if document.signed_at is not None:
        return "This is the signed version of the contract: both parties have already signed"
    latest = register.latest_in_series(document.series_key)
    if latest is None:  # the series holds this document at least
        raise NotFoundError("Contract not found")
    if latest.id != document.id:
        if latest.signed_at is not None:
            return f"Both parties have already signed the contract (version {latest.version} is the signed version)"
        return (
            f"This is version {document.version} of the contract, but version {latest.version} has been issued "
            f"since: read version {latest.version} and sign that instead"
        )
    problem = call_off.signing_refusal() or readiness.refusal(call_off)
    if problem:
        return problem
    existing = signatures_on(document).get(signing.party)
    if existing is not None:
        return (
            f"{existing.signer_name} has already signed version {document.version} for "
            f"{PARTY_LABELS[signing.party]} on {format_datetime(existing.signed_at)}"
        )
    return None


def _check_input(signer_name: str, signer_role: str, confirmed: bool) -> tuple[str, str]:
    name, role = (signer_name or "").strip(), (signer_role or "").strip()
    if not name:
        raise ValidationError("Enter your full name", field="signer_name")
    if len(name) > 200:
        raise ValidationError("Full name must be 200 characters or fewer", field="signer_name")
    if not role:
        raise ValidationError("Enter your role", field="signer_role")
    if len(role) > 200:
        raise ValidationError("Role must be 200 characters or fewer", field="signer_role")
    if not confirmed:
        raise ValidationError("Confirm that you are signing the contract", field="confirm")
    return name, role


def sign(user: User, document_id: int, signer_name: str, signer_role: str, confirmed: bool) -> SigningOutcome:
    signing = target(user, document_id, for_update=True)
    name, role = _check_input(signer_name, signer_role, confirmed)
    problem = refusal(signing)
    if problem:
        raise ConflictError(problem)
    document, call_off = signing.document, signing.call_off
    data = contract_data.build(user, call_off)
    if hashlib.sha256(canonical_json(data).encode()).hexdigest() != document.data_sha256:
        raise ConflictError(
            f"The contract has changed since version {document.version} was generated (for example its KPIs or "
            "a party's details): generate it again, read the new version and sign that"
        )
    signature = ContractSignature(
        document_id=document.id, party=signing.party, user_id=user.id, signer_name=name, signer_role=role,
        signed_at=utcnow(),
    )  # fmt: skip
    db.session.add(signature)
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise ConflictError(f"Someone has just signed this version for {PARTY_LABELS[signing.party]}") from error
    audit.record(
        user, "contract.signed_by_party", "document", document.id,
        summary=f"{name} ({role}) signed {call_off.reference} contract version {document.version} "
        f"for {signing.organisation}",
        after={"party": signing.party, "signer_name": name, "signer_role": role, "sha256": document.file_sha256},
    )  # fmt: skip
    signatures = signatures_on(document)
    signed = _register_signed(user, call_off, document, data, signatures) if set(PARTIES) <= set(signatures) else None
    _notify_other_party(signing, signature, signed)
    db.session.commit()
    return SigningOutcome(signature, signed)


def _register_signed(
    user: User, call_off: CallOff, original: Document, data: dict, signatures: dict[str, ContractSignature]
) -> Document:
    organisations = {"supplier": call_off.winner.legal_name, "buyer": call_off.buyer.legal_name}
    signed_data = data | {
        "signing": {
            "unsigned": {
                "version": original.version,
                "file_sha256": original.file_sha256,
                "data_sha256": original.data_sha256,
                "generated_at": original.generated_at,
            },
            "signatures": [
                {
                    "party": party,
                    "organisation": organisations[party],
                    "signer_name": signatures[party].signer_name,
                    "signer_role": signatures[party].signer_role,
                    "email": signatures[party].user.email,
                    "signed_at": signatures[party].signed_at,
                }
                for party in PARTIES
            ],
        }
    }
    spec = contract_issue(call_off, signed_data, signed=True)
    meta = renderer.DocumentMeta(
        title=spec.title, subject=spec.subject, reference=spec.reference,
        generated_at=utcnow().replace(microsecond=0),
    )  # fmt: skip
    signed = register.register_signed(user, spec, renderer.render(TEMPLATE, signed_data, meta), original)
    # The contract register's row, in the same transaction as the second signature (contracts/register.py).
    contract_register.record_signed(user, call_off, signed, data)
    return signed


def _notify_other_party(signing: SigningTarget, signature: ContractSignature, signed: Document | None) -> None:
    call_off = signing.call_off
    if signing.party == "supplier":
        people, other = call_offs.approvers(call_off.buyer.id), "an approver of " + call_off.buyer.name
    else:
        people, other = call_offs.supplier_users(call_off.winner.id), "a user of " + call_off.winner.legal_name
    path = links.path_for("contracts.show", **call_off.link_values())
    done = "signed by both parties" if signed else f"signed by {signing.organisation}"
    subject = f"Contract {done}: {call_off.reference}"
    body = (
        f"{signature.signer_name} ({signature.signer_role}) signed version {signing.document.version} of the "
        f"call-off contract for {call_off.title} ({call_off.reference}) on behalf of {signing.organisation} on "
        f"{format_datetime(signature.signed_at)} (UK time).\n\n"
    )
    if signed is not None:
        body += f"Both parties have now signed. The signed contract is version {signed.version}: keep a copy."
    else:
        body += f"It is ready for you to sign: it now needs to be signed by {other}. Read it, then sign it."
    notifications.notify(people, "contract_signed", subject, body, link=path)
