"""Eligibility read from the database: the domain's inputs built from the models, and the verdict for one supplier.

The rule itself is `portal.domain.suppliers.eligibility_on` (who may be invited, shortlisted, recommended, approved
or awarded on a day). Services that judge many suppliers at once (a competition's invitees, a lot's direct award
candidates) read the rows their own way and build the same inputs with these converters.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from portal.domain.suppliers import Eligibility, FrameworkTerm, Membership, Period, eligibility_on
from portal.extensions import db
from portal.models import Exclusion, Framework, Lot, LotMembership


def framework_term(framework: Framework) -> FrameworkTerm:
    return FrameworkTerm(framework.start_on, framework.current_end_on)


def membership_of(membership: LotMembership | None) -> Membership | None:
    if membership is None:
        return None
    return Membership(membership.status, membership.joined_on, membership.left_on, membership.status_reason)


def periods(exclusions: Iterable[Exclusion]) -> list[Period]:
    return [Period(e.starts_on, e.ends_on, e.ground) for e in exclusions]


def of_member(membership: LotMembership, framework: FrameworkTerm, day: date) -> Eligibility:
    """A loaded membership's verdict (its supplier's exclusions are read through the relationship)."""
    return eligibility_on(day, membership_of(membership), periods(membership.supplier.exclusions), framework)


def of_supplier(supplier_id: int, lot: Lot, day: date) -> Eligibility:
    """One supplier's verdict on the lot on `day`, read fresh (for a decision: recommend, approve, award)."""
    membership = db.session.scalar(
        select(LotMembership).where(LotMembership.supplier_id == supplier_id, LotMembership.lot_id == lot.id)
    )
    exclusions = db.session.scalars(select(Exclusion).where(Exclusion.supplier_id == supplier_id))
    return eligibility_on(day, membership_of(membership), periods(exclusions), framework_term(lot.framework))
