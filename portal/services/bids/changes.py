"""Whether a supplier has changed its draft since it last submitted: the changes count only if it submits again.

Only the bid's own supplier asks this (its draft is opened for it; the buyer never learns of a draft). The test is
the receipt's own: the draft's canonical content, numbered as the latest version, hashes to that version's
`content_sha256` unless something in it changed. A draft not saved since that submission is not hashed at all.
"""

from __future__ import annotations

from portal.models import Bid, BidSubmission, User
from portal.services.bids import drafting
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
    """The actor's competitions still open for bids whose submitted bid has changed since (its home page warns)."""
    return [
        row
        for row in drafting.invited_competitions(actor)
        if drafting.bidding_open(row.competition) and changed_since(row.bid, row.latest)
    ]
