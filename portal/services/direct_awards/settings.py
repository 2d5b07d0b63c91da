"""Framework staff: a lot's direct award settings and each supplier's framework ranking on a lot.

A lot allows direct award only with an objective selection mechanism (PA 2023 s.45; PCR 2015 reg 33):
lowest whole-life cost or highest framework ranking among capable suppliers, then the tie-breaks in order.
"""

from __future__ import annotations

from portal.domain.direct_award import MECHANISMS, TIE_BREAKS
from portal.extensions import db
from portal.models import Lot, LotMembership, User
from portal.services import audit
from portal.services.direct_awards.matching import TIE_BREAK_SEPARATOR
from portal.services.errors import ValidationError
from portal.services.permissions import require_staff

SETTINGS_FIELDS = ("direct_award_allowed", "selection_mechanism", "direct_award_tie_break")


def update_lot_settings(user: User, lot: Lot, allowed: bool, mechanism: str | None, tie_breaks: list[str]) -> None:
    require_staff(user, "change this")
    if mechanism not in MECHANISMS:
        raise ValidationError("Select the selection mechanism", field="selection_mechanism")
    if len(set(tie_breaks)) != len(tie_breaks) or not set(tie_breaks) <= set(TIE_BREAKS):
        raise ValidationError("Select each tie-break once, from the list", field="tie_break_first")
    before = audit.snapshot(lot, SETTINGS_FIELDS)
    lot.direct_award_allowed = bool(allowed)
    lot.selection_mechanism = mechanism
    lot.direct_award_tie_break = TIE_BREAK_SEPARATOR.join(tie_breaks)
    old, new = audit.changed(before, audit.snapshot(lot, SETTINGS_FIELDS))
    audit.record(
        user,
        "lot.direct_award_settings_changed",
        "lot",
        lot.id,
        summary=f"{lot.framework.reference} {lot.label}: direct award settings saved",
        before=old,
        after=new,
    )
    db.session.commit()


def set_ranking(user: User, membership: LotMembership, ranking: int | None) -> None:
    require_staff(user, "change this")
    if ranking is not None and ranking < 1:
        raise ValidationError("Framework ranking must be 1 or more", field="framework_ranking")
    before = {"framework_ranking": membership.framework_ranking}
    membership.framework_ranking = ranking
    audit.record(
        user,
        "lot_membership.ranking_changed",
        "lot_membership",
        membership.id,
        summary=f"{membership.supplier.short_name} on {membership.lot.label}: framework ranking "
        f"{'cleared' if ranking is None else f'set to {ranking}'}",
        before=before,
        after={"framework_ranking": ranking},
    )
    db.session.commit()
