"""A call-off as its contract sees it: a competition or a direct award, who its parties are, and where it stands.

Who may reach a call-off's contract (anyone else gets "not found"):
- the buying organisation's procurement officers (buyers and approvers), from approval onward;
- the winning supplier's users (the approved bid's supplier, or the direct award's supplier), from approval onward.
Framework staff read issued contracts through the document register (portal/services/documents/register.py); they never
generate one, because the contract carries the winning bid's content and staff never read bids (the seal).

When (decided here, for both kinds):
- the contract can be generated once the award is approved and not cancelled. For a competition that is the start
  of the standstill period: the parties can read the contract and settle the KPIs while standstill runs, so that it
  is ready to sign the moment the award may be entered into;
- it can be signed only once the contract may be entered into (portal/services/notices/standstill.py): under PA
  2023 once the contract award notice (UK6) is recorded as published and any standstill it started has ended (s.50,
  s.51), under PCR 2015 once the voluntary standstill has ended; a competition also once the buyer has confirmed
  the award;
- KPIs can be changed from approval until the contract is signed by both parties.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from portal.extensions import db
from portal.models import Bid, BuyerOrganisation, Competition, DirectAward, Lot, Supplier, User
from portal.models.base import utcnow
from portal.services.competitions import access
from portal.services.direct_awards import decisions
from portal.services.direct_awards import requirements as awards
from portal.services.errors import ConflictError, NotFoundError
from portal.services.notices import standstill

COMPETITION = "competition"
DIRECT_AWARD = "direct_award"


@dataclass(frozen=True)
class CallOff:
    kind: str  # COMPETITION or DIRECT_AWARD (also the document register's subject_type)
    subject: Competition | DirectAward
    supplier: Supplier | None  # the winner (None before approval)
    winning_bid: Bid | None = None  # competitions only

    @property
    def id(self) -> int:
        return self.subject.id

    @property
    def winner(self) -> Supplier:
        """The supplier the contract is with, which every call-off that has a contract has (approval names it)."""
        if self.supplier is None:
            raise ConflictError(f"{self.reference} has no approved supplier yet")
        return self.supplier

    @property
    def reference(self) -> str:
        return self.subject.reference

    @property
    def title(self) -> str:
        return self.subject.title

    @property
    def buyer(self) -> BuyerOrganisation:
        return self.subject.buyer_organisation

    @property
    def lot(self) -> Lot:
        return self.subject.lot

    @property
    def term_months(self) -> int:
        return self.subject.term_months

    @property
    def start_on(self) -> date | None:
        return self.subject.planned_start_on

    @property
    def series_key(self) -> str:
        return f"call_off_contract:{self.kind}:{self.id}"

    @property
    def approved(self) -> bool:
        return self.subject.approved_at is not None and self.subject.cancelled_at is None

    def signing_refusal(self, now: datetime | None = None) -> str | None:
        """Why the contract cannot be signed now, or None."""
        now = now or utcnow()
        if self.subject.cancelled_at is not None:
            return f"{self.reference} has been cancelled, so its contract cannot be signed"
        if isinstance(self.subject, Competition) and self.subject.awarded_at is not None:
            return None
        blocked = standstill.blocking(self.subject, now)
        if blocked:
            return blocked.replace("cannot be entered into", "cannot be signed")
        if isinstance(self.subject, Competition):  # kind is COMPETITION: the buyer confirms the award first
            return "The contract cannot be signed until the buyer has confirmed the award after the standstill period"
        return None

    @property
    def route_label(self) -> str:
        return "Mini-competition (further competition)" if self.kind == COMPETITION else "Direct award"

    def link_values(self) -> dict[str, int]:
        """URL values naming this call-off on the contract pages."""
        return {"competition_id" if self.kind == COMPETITION else "direct_award_id": self.id}


def _competition(competition: Competition) -> CallOff:
    bid = db.session.get(Bid, competition.recommended_bid_id) if competition.recommended_bid_id else None
    approved = competition.approved_at is not None
    return CallOff(COMPETITION, competition, bid.supplier if bid and approved else None, bid if approved else None)


def _direct_award(award: DirectAward) -> CallOff:
    supplier = db.session.get(Supplier, award.recommended_supplier_id) if award.approved_at else None
    return CallOff(DIRECT_AWARD, award, supplier)


def for_user(user: User, kind: str, call_off_id: int) -> CallOff:
    """The call-off if the user is one of its parties (see the module docstring); NotFoundError otherwise."""
    if kind == COMPETITION:
        if not (user.is_procurement_officer or user.is_supplier):
            raise NotFoundError("Competition not found")
        call_off = _competition(access.get_visible(user, call_off_id))
    elif kind == DIRECT_AWARD:
        if user.is_supplier:
            call_off = _direct_award(decisions.get_for_supplier(user, call_off_id))
        else:
            call_off = _direct_award(awards.get_for_officer(user, call_off_id))
    else:
        raise NotFoundError("Call-off not found")
    if user.is_supplier and (call_off.supplier is None or call_off.supplier.id != user.supplier_id):
        raise NotFoundError("Call-off not found")
    return call_off


def for_officer(user: User, kind: str, call_off_id: int) -> CallOff:
    """The call-off for one of the buying organisation's procurement officers (KPIs); NotFoundError otherwise."""
    if not user.is_procurement_officer:
        raise NotFoundError("Call-off not found")
    return for_user(user, kind, call_off_id)


def require_approved(call_off: CallOff) -> None:
    if call_off.subject.cancelled_at is not None:
        raise ConflictError(f"{call_off.reference} has been cancelled, so it has no contract")
    if call_off.subject.approved_at is None:
        raise ConflictError("The contract is available once the award has been approved")


def of_document(subject_type: str, subject_id: int) -> CallOff:
    """The call-off a contract document is about (the caller has checked the document is readable)."""
    if subject_type == COMPETITION:
        competition = db.session.get(Competition, subject_id)
        if competition is not None:
            return _competition(competition)
    elif subject_type == DIRECT_AWARD:
        award = db.session.get(DirectAward, subject_id)
        if award is not None:
            return _direct_award(award)
    raise NotFoundError("Call-off not found")


def approvers(organisation_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.buyer_organisation_id == organisation_id, User.role == "approver", User.active.is_(True))
            .order_by(User.id)
        )
    )


def supplier_users(supplier_id: int) -> list[User]:
    return list(
        db.session.scalars(select(User).where(User.supplier_id == supplier_id, User.active.is_(True)).order_by(User.id))
    )
