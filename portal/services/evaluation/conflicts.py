"""Who an evaluator may evaluate: their criteria and their conflict-of-interest standing per bidding supplier.

Read-only queries shared by the seal (portal.services.bid_access), scoring and the panel pages. The rules:
- the bidding suppliers are those whose bid counts (submitted, with a live submission);
- an evaluator sees no bid until they have declared, for every bidding supplier, whether they have a conflict;
- a declared conflict keeps them from that supplier's bid unless a procurement officer recorded a mitigation;
- they score only the quality criteria they are assigned to.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from portal.extensions import db
from portal.models import Bid, Competition, ConflictDeclaration, EvaluatorAssignment, Supplier, User
from portal.services.errors import ConflictError, PermissionDeniedError


class UndeclaredError(ConflictError):
    """The evaluator has not yet declared for every bidding supplier."""


class ConflictedError(PermissionDeniedError):
    """The evaluator declared a conflict with this bid's supplier and no mitigation is recorded."""


class UnassignedCriterionError(PermissionDeniedError):
    """The evaluator is not assigned to this criterion."""


def bidding_suppliers(competition: Competition) -> list[Supplier]:
    """Suppliers whose submitted bid counts, by name: the ones every evaluator declares against."""
    bids = db.session.scalars(select(Bid).where(Bid.competition_id == competition.id, Bid.status == "submitted"))
    suppliers = {b.supplier_id: b.supplier for b in bids if any(s.withdrawn_at is None for s in b.submissions)}
    return sorted(suppliers.values(), key=lambda s: s.legal_name)


def declarations(user_id: int, competition: Competition, role: str = "evaluator") -> dict[int, ConflictDeclaration]:
    """This person's declarations in the competition in one capacity (an evaluator's by default), by supplier id."""
    rows = db.session.scalars(
        select(ConflictDeclaration).where(
            ConflictDeclaration.competition_id == competition.id,
            ConflictDeclaration.user_id == user_id,
            ConflictDeclaration.role == role,
        )
    )
    return {d.supplier_id: d for d in rows}


@dataclass(frozen=True)
class Standing:
    """An evaluator's declarations against the competition's bidders."""

    bidders: list[Supplier]
    declared: dict[int, ConflictDeclaration]

    @property
    def complete(self) -> bool:
        """Declared for every bidding supplier (and there is at least one)."""
        return bool(self.bidders) and all(s.id in self.declared for s in self.bidders)

    def barred_from(self, supplier_id: int) -> bool:
        """Kept from this supplier's bid: not yet declared for everyone, or an unmitigated conflict with it."""
        if not self.complete:
            return True
        return self.declared[supplier_id].bars if supplier_id in self.declared else True


def standing(user: User, competition: Competition) -> Standing:
    return Standing(bidding_suppliers(competition), declarations(user.id, competition))


def assigned_criterion_ids(user_id: int, competition: Competition) -> set[int]:
    return set(
        db.session.scalars(
            select(EvaluatorAssignment.criterion_id).where(
                EvaluatorAssignment.competition_id == competition.id, EvaluatorAssignment.user_id == user_id
            )
        )
    )
