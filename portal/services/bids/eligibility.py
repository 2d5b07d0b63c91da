"""Whether an invited supplier may still bid: one suspended or removed from the competition's lot, or excluded, after
it was invited may not start a bid, change its draft, submit or amend; it is told why, and the buyer is warned.

The rule is the framework's (`portal.domain.suppliers.eligibility_on`); only its suspended, removed and excluded
refusals bar bidding here. The buyer's warning is about the supplier's standing only and reads the same whether or
not the supplier has a bid: before the bids are opened the buyer learns nothing about them (services/bids/seal.py).
Bids already submitted are left as they are: evaluation judges eligibility again when it recommends and awards.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from portal.domain.suppliers import Ineligible, eligibility_on
from portal.domain.timefmt import format_date, today_london
from portal.extensions import db
from portal.models import Competition, Exclusion, LotMembership
from portal.services.errors import ConflictError
from portal.services.suppliers.eligibility import framework_term, membership_of, periods

BARRING = (Ineligible.SUSPENDED, Ineligible.REMOVED, Ineligible.EXCLUDED)
_VERB = {Ineligible.SUSPENDED: "Suspended from", Ineligible.REMOVED: "Removed from", Ineligible.EXCLUDED: "Excluded"}


@dataclass(frozen=True, slots=True)
class Bar:
    """Why a supplier may not bid now: suspended, removed or excluded, since when, and the reason recorded."""

    reason: Ineligible
    since: date | datetime | None  # format_date shows a moment as its London day
    detail: str

    def _what(self) -> str:
        verb = _VERB[self.reason]
        what = f"{verb} the framework" if self.reason is not Ineligible.EXCLUDED else verb
        return f"{what} on {format_date(self.since)}" if self.since else what

    @property
    def for_buyer(self) -> str:
        """'Suspended from the framework on 3 December 2026: it cannot bid'."""
        return f"{self._what()}: it cannot bid"

    @property
    def for_supplier(self) -> str:
        what = {
            Ineligible.SUSPENDED: "your company is suspended from this framework lot",
            Ineligible.REMOVED: "your company has been removed from this framework lot",
            Ineligible.EXCLUDED: "your company is excluded from bidding on this framework",
        }[self.reason]
        since = f" (since {format_date(self.since)})" if self.since else ""
        why = f" The reason given: {self.detail}." if self.detail else ""
        return (
            f"You cannot bid in this competition: {what}{since}.{why}"
            " Contact the framework manager if you think this is wrong."
        )


def bars(competition: Competition, supplier_ids: Iterable[int], day: date | None = None) -> dict[int, Bar]:
    """The suppliers among `supplier_ids` barred from bidding on `day` (today), each with its bar; two queries."""
    ids = list(supplier_ids)
    if not ids:
        return {}
    day = day or today_london()
    memberships = {
        m.supplier_id: m
        for m in db.session.scalars(
            select(LotMembership).where(LotMembership.lot_id == competition.lot_id, LotMembership.supplier_id.in_(ids))
        )
    }
    exclusions: dict[int, list[Exclusion]] = {}
    for exclusion in db.session.scalars(select(Exclusion).where(Exclusion.supplier_id.in_(ids))):
        exclusions.setdefault(exclusion.supplier_id, []).append(exclusion)
    found = {}
    for supplier_id in ids:
        bar = bar_of(competition, memberships.get(supplier_id), exclusions.get(supplier_id, []), day)
        if bar is not None:
            found[supplier_id] = bar
    return found


def bar_of(
    competition: Competition, membership: LotMembership | None, excluded: list[Exclusion], day: date
) -> Bar | None:
    """One supplier's bar in the competition from its loaded lot membership and exclusions (no query but the
    competition's lot and framework, which callers judging many competitions load with them)."""
    verdict = eligibility_on(
        day, membership_of(membership), periods(excluded), framework_term(competition.lot.framework)
    )
    refusal = next((r for r in verdict.refusals if r.reason in BARRING), None)
    if refusal is None:
        return None
    if refusal.reason is Ineligible.EXCLUDED:
        in_force = next(e for e, p in zip(excluded, periods(excluded), strict=True) if p.covers(day))
        return Bar(refusal.reason, in_force.starts_on, in_force.ground)
    assert membership is not None  # suspended and removed are states of a membership
    return Bar(refusal.reason, membership.status_changed_at, membership.status_reason)


def bar_for(competition: Competition, supplier_id: int) -> Bar | None:
    return bars(competition, [supplier_id]).get(supplier_id)


def require_may_bid(competition: Competition, supplier_id: int | None) -> None:
    """Refuse (409, with the reason) a supplier barred from bidding; `None` is a step that needs no check."""
    if supplier_id is None:
        return
    bar = bar_for(competition, supplier_id)
    if bar is not None:
        raise ConflictError(bar.for_supplier)
