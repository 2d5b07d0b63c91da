"""A supplier user's queue: what its company has to do in the competitions it is invited to, and after.

- A new invitation (not yet answered) while bids are open: decide whether to bid, by the deadline.
- A deadline ahead for a competition it bids in, tagged with its bid's state: not started, draft, submitted, or
  changed since submission (its changes count only if it submits again: portal/services/bids/changes.py, asked
  for all its bids at once).
- Suspended, removed or excluded since the invitation (portal/services/bids/eligibility.py): it cannot bid, and
  the item says why instead of asking for a bid.
- Clarification answers published in the last ANSWERS_DAYS days, to all suppliers or to it alone.
- Outcomes: the award or unsuccessful letter issued in the last OUTCOME_DAYS days for a bid it submitted.
- Direct awards to accept, contracts to sign, and accreditations expiring within EXPIRY_DAYS days or expired.
A fixed number of queries whatever the number of invitations.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager

from portal.domain.competition_state import CompetitionState
from portal.domain.timefmt import format_date
from portal.domain.work_queue import Urgency, count_wording
from portal.domain.working_days import london_date
from portal.extensions import db
from portal.models import (
    Accreditation,
    Bid,
    BidSubmission,
    Clarification,
    Competition,
    DirectAward,
    Document,
    Exclusion,
    Framework,
    Invitation,
    Lot,
    LotMembership,
    User,
)
from portal.services.bids import changes, eligibility
from portal.services.competitions import access
from portal.services.work import contracts
from portal.services.work.items import WorkItem, item, named

ANSWERS_DAYS = 14
OUTCOME_DAYS = 30
EXPIRY_DAYS = 60


def _invitations(supplier_id: int, now: datetime) -> list[Invitation]:
    """Its invitations to competitions still open for bids or whose outcome it has lately been sent (no other has
    an item), with the lot and framework its eligibility is judged on."""
    return list(
        db.session.scalars(
            select(Invitation)
            .join(Competition, Competition.id == Invitation.competition_id)
            .where(
                Invitation.supplier_id == supplier_id,
                Competition.published_at.is_not(None),
                Competition.cancelled_at.is_(None),
                or_(
                    Competition.submission_deadline_at > now,
                    Competition.assessment_summaries_sent_at >= now - timedelta(days=OUTCOME_DAYS),
                ),
            )
            .options(
                contains_eager(Invitation.competition)
                .joinedload(Competition.lot)
                .joinedload(Lot.framework)
                .selectinload(Framework.extension_options)
            )
        )
    )


def _bids(supplier_id: int, competition_ids: list[int]) -> tuple[dict[int, Bid], dict[int, BidSubmission]]:
    """Its bids by competition id, and the latest live submitted version of each by bid id (two queries)."""
    if not competition_ids:
        return {}, {}
    bids = {
        b.competition_id: b
        for b in db.session.scalars(
            select(Bid).where(Bid.supplier_id == supplier_id, Bid.competition_id.in_(competition_ids))
        )
    }
    latest: dict[int, BidSubmission] = {}
    ids = [b.id for b in bids.values() if b.status == "submitted"]
    if ids:
        for s in db.session.scalars(
            select(BidSubmission)
            .where(BidSubmission.bid_id.in_(ids), BidSubmission.withdrawn_at.is_(None))
            .order_by(BidSubmission.version)
        ):
            latest[s.bid_id] = s  # the highest version wins, as seal.latest_submission's
    return bids, latest


def _bars(supplier_id: int, competitions: list[Competition], now: datetime) -> dict[int, eligibility.Bar]:
    """Its bar in each competition still open for bids, from its memberships and exclusions (two queries)."""
    if not competitions:
        return {}
    memberships = {
        m.lot_id: m for m in db.session.scalars(select(LotMembership).where(LotMembership.supplier_id == supplier_id))
    }
    excluded = list(db.session.scalars(select(Exclusion).where(Exclusion.supplier_id == supplier_id)))
    day = london_date(now)
    found = {}
    for c in competitions:
        bar = eligibility.bar_of(c, memberships.get(c.lot_id), excluded, day)
        if bar is not None:
            found[c.id] = bar
    return found


CHANGED = "Changed since submission"
BID_TITLES = {
    "Not started": "Start your bid",
    "Draft": "Finish and submit your bid",
    CHANGED: "Submit your changes: they count only if you submit again",
    "Withdrawn": "Your bid is withdrawn: submit again if you still want to bid",
}
SUBMITTED_TITLE = "Your bid is submitted: you may change it until the deadline"


def _bid_state(bid: Bid | None, latest: BidSubmission | None, changed: set[int]) -> tuple[str, str]:
    """(its state's tag, one line about it): not started, draft, submitted, or changed since submission."""
    if bid is None:
        return "Not started", "You have not started a bid"
    if bid.status == "withdrawn":
        return "Withdrawn", "You withdrew your bid"
    if latest is None:
        return "Draft", "Your draft is not submitted yet"
    if bid.id in changed:
        return CHANGED, f"You have changed your bid since you submitted version {latest.version}"
    return f"Submitted (version {latest.version})", f"You submitted version {latest.version}"


def bidding_items(user: User, supplier_id: int, now: datetime) -> list[WorkItem]:
    invitations = _invitations(supplier_id, now)
    open_ = [i for i in invitations if access.state(i.competition, now) is CompetitionState.PUBLISHED]
    bids, latest = _bids(supplier_id, [i.competition_id for i in invitations])
    changed = changes.changed_among(
        (bids[i.competition_id], latest.get(bids[i.competition_id].id)) for i in open_ if i.competition_id in bids
    )
    bars = _bars(supplier_id, [i.competition for i in open_], now)
    items = []
    for invitation in open_:
        c = invitation.competition
        subject, values, due = named(c.reference, c.title), {"competition_id": c.id}, c.submission_deadline_at
        if c.id in bars:
            items.append(
                item(
                    "You cannot bid in this competition",
                    subject,
                    "bids.competition",
                    now,
                    values=values,
                    detail=bars[c.id].for_supplier,
                    label="Cannot bid",
                    urgency=Urgency.NONE,
                )
            )
        elif invitation.response == "pending":
            items.append(
                item(
                    "New invitation: decide whether to bid",
                    subject,
                    "bids.competition",
                    now,
                    values=values,
                    due_at=due,
                    detail="Not started",
                )
            )
        elif invitation.response == "bidding":
            bid = bids.get(c.id)
            state, line = _bid_state(bid, latest.get(bid.id) if bid else None, changed)
            title = BID_TITLES.get(state, SUBMITTED_TITLE)
            items.append(
                item(title, subject, "bids.competition", now, values=values, due_at=due, detail=f"{state}. {line}")
            )
    items.extend(_outcomes(invitations, bids, latest, now))
    items.extend(_answers([i.competition for i in invitations], supplier_id, now))
    return items


def _outcomes(invitations, bids: dict[int, Bid], latest: dict[int, BidSubmission], now: datetime) -> list[WorkItem]:
    """Letters issued lately for a bid it submitted (suppliers see their outcome from the sending of the summaries)."""
    since = now - timedelta(days=OUTCOME_DAYS)
    items = []
    for invitation in invitations:
        c = invitation.competition
        bid = bids.get(c.id)
        sent = c.assessment_summaries_sent_at
        if bid is None or bid.status != "submitted" or sent is None or sent < since:
            continue
        items.append(
            item(
                "Read the outcome of your bid",
                named(c.reference, c.title),
                "evaluation.outcome",
                now,
                values={"competition_id": c.id},
                detail=f"Letter issued on {format_date(sent)}",
                label="Outcome",
            )
        )
    return items


def _answers(competitions: list[Competition], supplier_id: int, now: datetime) -> list[WorkItem]:
    by_id = {c.id: c for c in competitions if access.state(c, now) is CompetitionState.PUBLISHED}
    if not by_id:
        return []
    rows = db.session.execute(
        select(Clarification.competition_id, Clarification.answered_at)
        .where(
            Clarification.competition_id.in_(by_id),
            Clarification.answered_at >= now - timedelta(days=ANSWERS_DAYS),
            or_(Clarification.audience == "all", Clarification.supplier_id == supplier_id),
        )
        .order_by(Clarification.answered_at)
    ).all()
    counts: dict[int, list[datetime | None]] = {}
    for competition_id, answered_at in rows:
        counts.setdefault(competition_id, []).append(answered_at)
    items = []
    for competition_id, times in counts.items():
        c = by_id[competition_id]
        items.append(
            item(
                f"Read {count_wording(len(times), 'new clarification answer')}",
                named(c.reference, c.title),
                "clarifications.supplier_questions",
                now,
                values={"competition_id": c.id},
                detail=f"Latest published on {format_date(times[-1])}",
                label="New answers",
            )
        )
    return items


def award_items(supplier_id: int, now: datetime) -> list[WorkItem]:
    awards = db.session.scalars(
        select(DirectAward).where(
            DirectAward.recommended_supplier_id == supplier_id,
            DirectAward.approved_at.is_not(None),
            DirectAward.accepted_at.is_(None),
            DirectAward.cancelled_at.is_(None),
        )
    ).all()
    return [
        item(
            "Accept the direct award",
            named(a.reference, a.title),
            "direct_awards.supplier_award",
            now,
            values={"direct_award_id": a.id},
            detail=f"Approved on {format_date(a.approved_at)}",
            label="To accept",
        )
        for a in awards
    ]


def accreditation_items(supplier_id: int, now: datetime) -> list[WorkItem]:
    soon = london_date(now) + timedelta(days=EXPIRY_DAYS)
    accreditations = db.session.scalars(
        select(Accreditation).where(
            Accreditation.supplier_id == supplier_id,
            Accreditation.expires_on.is_not(None),
            Accreditation.expires_on <= soon,
        )
    ).all()
    return [
        item(
            f"Renew your {a.scheme} accreditation",
            "Your profile",
            "supplier.edit_accreditation",
            now,
            values={"accreditation_id": a.id},
            due_at=a.expires_on,
            label="Expired" if a.expires_on and a.expires_on < london_date(now) else "",
            detail=f"{'Expired' if a.expires_on and a.expires_on < london_date(now) else 'Expires'} on "
            f"{format_date(a.expires_on)}",
        )
        for a in accreditations
    ]


def items_for(user: User, now: datetime) -> list[WorkItem]:
    supplier_id = user.supplier_id
    assert supplier_id is not None  # a supplier user belongs to one supplier
    return [
        *bidding_items(user, supplier_id, now),
        *award_items(supplier_id, now),
        *contracts.to_sign("supplier", Document.supplier_id == supplier_id, now),
        *accreditation_items(supplier_id, now),
    ]
