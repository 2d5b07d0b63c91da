"""Whether a supplier has changed its draft since it last submitted: the changes count only if it submits again.

Only the bid's own supplier asks this (its draft is opened for it; the buyer never learns of a draft). The test is
the receipt's own: the draft's canonical content, numbered as the latest version, hashes to that version's
`content_sha256` unless something in it changed. A draft not saved since that submission is not hashed at all.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.extensions import db
from portal.models import (
    Bid,
    BidAttachment,
    BidSubmission,
    Competition,
    CompetitionCriterion,
    PriceScheduleLine,
    User,
)
from portal.services.bids import crypto, drafting
from portal.services.bids.content import build_content, serialise
from portal.services.bids.drafting import InvitedCompetition


def changed_since(bid: Bid | None, latest: BidSubmission | None) -> bool:
    """True when the submitted bid's draft no longer matches its latest submitted version."""
    if bid is None or latest is None or bid.status != "submitted":
        return False
    if bid.updated_at is not None and bid.updated_at <= latest.submitted_at:
        return False  # nothing saved since: the draft is that version
    _, digest = serialise(build_content(bid, latest.version))
    return digest != latest.content_sha256


def unsubmitted_changes(actor: User) -> list[InvitedCompetition]:
    """The actor's competitions still open for bids whose submitted bid has changed since (its bid list warns)."""
    rows = [row for row in drafting.invited_competitions(actor) if drafting.bidding_open(row.competition)]
    changed = changed_among((row.bid, row.latest) for row in rows if row.bid is not None)
    return [row for row in rows if row.bid is not None and row.bid.id in changed]


def changed_among(pairs: Iterable[tuple[Bid, BidSubmission | None]]) -> set[int]:
    """The ids of the bids among (bid, latest version) pairs whose draft has changed since that version: the same
    test as `changed_since`, for a whole list at once. Only the bids saved since their submission are read, with
    their content, in one statement and its eager loads, however many there are (the home page asks for all)."""
    saved_since = {
        bid.id: latest
        for bid, latest in pairs
        if latest is not None
        and bid.status == "submitted"
        and (bid.updated_at is None or bid.updated_at > latest.submitted_at)
    }
    if not saved_since:
        return set()
    competition = joinedload(Bid.competition)
    bids = list(
        db.session.scalars(
            select(Bid)
            .where(Bid.id.in_(saved_since))
            .options(
                selectinload(Bid.answers),
                selectinload(Bid.prices),
                selectinload(Bid.attachments).joinedload(BidAttachment.file),
                joinedload(Bid.supplier),
                competition.selectinload(Competition.criteria).selectinload(CompetitionCriterion.children),
                competition.selectinload(Competition.schedule_lines).joinedload(PriceScheduleLine.price_item),
            )
        ).unique()
    )
    crypto.preload_keys(b.competition_id for b in bids)
    changed = set()
    for bid in bids:
        latest = saved_since[bid.id]
        if serialise(build_content(bid, latest.version))[1] != latest.content_sha256:
            changed.add(bid.id)
    return changed
