"""One contract in the register: what its page shows, and setting the buyer's contract manager.

The page loads everything it shows here, in a fixed number of queries: the row with its parties (through
register.get_visible), the contract's versions, its transparency notices and its history.
History: the audit events of the register row and the contract's versions (generation, each signature) for every
reader; for the buying organisation and framework staff also the call-off's own events (its award and notices).
A supplier does not see the call-off's events: a competition's history names the other bidders and the evaluation.
Notices: every notice of the call-off for the buyer and staff; for the supplier only the published ones (public).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from portal.domain.contract_status import ContractStatus, status_on
from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import AuditEvent, CallOffContract, Document, TransparencyNotice, User
from portal.services import audit
from portal.services.contracts import register
from portal.services.errors import PermissionDeniedError, ValidationError


@dataclass(frozen=True)
class Detail:
    contract: CallOffContract
    status: ContractStatus
    documents: list[Document]  # every version of the contract, newest first (the signed one on top)
    notices: list[TransparencyNotice]
    history: list[AuditEvent]
    can_set_manager: bool
    managers: list[User]  # whom the buyer may choose


def can_manage(user: User, contract: CallOffContract) -> bool:
    """The buying organisation's procurement officers set its contract manager (staff and suppliers only read)."""
    return user.is_procurement_officer and user.buyer_organisation_id == contract.buyer_organisation_id


def manager_candidates(contract: CallOffContract) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.buyer_organisation_id == contract.buyer_organisation_id, User.active.is_(True))
            .order_by(User.name, User.id)
        )
    )


def detail(user: User, contract_id: int) -> Detail:
    contract = register.get_visible(user, contract_id)
    documents = list(
        db.session.scalars(
            select(Document)
            .where(Document.series_key == contract.signed_document.series_key)
            .order_by(Document.version.desc())
        )
    )
    column = (
        TransparencyNotice.competition_id if contract.competition_id is not None else TransparencyNotice.direct_award_id
    )
    notices_query = select(TransparencyNotice).where(column == contract.call_off_id).order_by(TransparencyNotice.id)
    if user.is_supplier:
        notices_query = notices_query.where(TransparencyNotice.status == "published")
    subjects = [
        and_(AuditEvent.object_type == "call_off_contract", AuditEvent.object_id == str(contract.id)),
        and_(AuditEvent.object_type == "document", AuditEvent.object_id.in_([str(d.id) for d in documents])),
    ]
    if not user.is_supplier:
        subjects.append(
            and_(AuditEvent.object_type == contract.call_off_kind, AuditEvent.object_id == str(contract.call_off_id))
        )
    history = list(
        db.session.scalars(
            select(AuditEvent).options(joinedload(AuditEvent.actor)).where(or_(*subjects)).order_by(AuditEvent.id)
        )
    )
    managing = can_manage(user, contract)
    return Detail(
        contract=contract,
        status=status_on(today_london(), contract.start_on, contract.end_on),
        documents=documents,
        notices=list(db.session.scalars(notices_query)),
        history=history,
        can_set_manager=managing,
        managers=manager_candidates(contract) if managing else [],
    )


def set_manager(user: User, contract_id: int, manager_id: int | None) -> CallOffContract:
    """Name (or clear, with None) the buyer's contract manager: a user of the buying organisation. Audited."""
    contract = register.get_visible(user, contract_id)
    if not can_manage(user, contract):
        raise PermissionDeniedError("Only the buying organisation's procurement officers set its contract manager")
    manager = None
    if manager_id is not None:
        manager = db.session.get(User, manager_id)
        if manager is None or not manager.active or manager.buyer_organisation_id != contract.buyer_organisation_id:
            raise ValidationError(
                f"Choose a user of {contract.buyer_organisation.name} as the contract manager", field="manager_id"
            )
    before = contract.contract_manager
    if (before.id if before else None) == manager_id:
        return contract
    contract.contract_manager_id = manager_id
    audit.record(
        user, "contract.manager_set", "call_off_contract", contract.id,
        summary=f"{contract.reference}: contract manager "
        + (f"set to {manager.name}" if manager else "cleared"),
        before={"contract_manager_id": before.id if before else None},
        after={"contract_manager_id": manager_id},
    )  # fmt: skip
    db.session.commit()
    return contract
