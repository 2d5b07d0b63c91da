"""The seal: the one read path for bid content.

Before the submission deadline nobody but the bidding supplier can read any bid content: not
the buyer, not framework staff, not an administrator. After the deadline the bids stay sealed
until a named officer opens them (with a witness); whether they are opened is the competition
lifecycle's answer (portal.domain.competition_lifecycle.bids_opened), never worked out here. Once opened:
- the buying organisation's buyers and approvers read the whole submitted bid;
- assigned evaluators read it too, but quality evaluators never see prices (price is scored by
  the system), and only after declaring for every bidding supplier whether they have a conflict of
  interest; a declared conflict keeps them from that supplier's bid unless the buyer recorded a
  mitigation (portal.services.conflicts);
- framework staff never read bid content;
- a supplier reads its own bid (draft and every submitted version) at any time, and never another's.

Views and document generation call these functions; nothing else reads BidSubmission.content_sealed
or the draft tables for another party. tests/test_seal.py proves it for every role. The content is stored
encrypted (portal/services/bids/crypto.py); every read by anyone but the bidding supplier is audited (reads.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select

from portal.domain.competition_lifecycle import bids_opened
from portal.extensions import db
from portal.models import Bid, BidSubmission, Competition, User
from portal.models.base import utcnow
from portal.services.bids import crypto, reads
from portal.services.competitions import access
from portal.services.errors import PermissionDeniedError
from portal.services.evaluation import conflicts


class SealedError(PermissionDeniedError):
    """Bid content asked for by someone the seal does not admit (now)."""


def access_level(user: User, bid: Bid, now: datetime | None = None) -> str | None:
    """'own' for the bidding supplier, 'full' or 'without_prices' for the buyer side once opened, else None."""
    if user.is_supplier:
        return "own" if user.supplier_id == bid.supplier_id else None
    level = buyer_side_level(user, bid.competition, now)
    if level == "without_prices" and _barred(user, bid.competition, [bid]):
        return None
    return level


def buyer_side_level(user: User, competition: Competition, now: datetime | None = None) -> str | None:
    """What access_level gives a non-supplier for the competition's bids before any per-supplier conflict: it
    depends on the competition alone, so pages that read hundreds of bids decide it once. An evaluator's declared,
    unmitigated conflicts then bar single bids (_barred). None for suppliers (they read only their own).

    Procurement officers run the procurement and read every bid; an officer who also evaluates is kept from scoring
    a conflicted bid by the scoring service, not here."""
    now = now or utcnow()
    if user.is_supplier or user.is_staff or not user.is_buyer_side:
        return None
    if user.buyer_organisation_id != competition.buyer_organisation_id:
        return None
    if not bids_opened(access.facts(competition), now):
        return None
    if user.is_procurement_officer:
        return "full"
    if access.is_assigned_evaluator(user, competition) and conflicts.standing(user, competition).complete:
        return "without_prices"
    return None


def _barred(user: User, competition: Competition, bids: Sequence[Bid]) -> set[int]:
    """Ids of those bids an evaluator declared an unmitigated conflict with (the quality evaluators' path only)."""
    standing = conflicts.standing(user, competition)
    return {bid.id for bid in bids if standing.barred_from(bid.supplier_id)}


def latest_submission(bid: Bid) -> BidSubmission | None:
    """The version that counts: the latest submitted one not withdrawn, if the bid is not withdrawn."""
    if bid.status != "submitted":
        return None
    live = [s for s in bid.submissions if s.withdrawn_at is None]
    return live[-1] if live else None


def submitted_content(user: User, bid: Bid, now: datetime | None = None) -> dict[str, Any]:
    """The submitted content that counts, as the reader may see it; SealedError otherwise."""
    level = access_level(user, bid, now)
    if level is None:
        raise SealedError("Bids are sealed: their content cannot be read by you now.")
    return _content(user, bid, level)


def submitted_contents(
    user: User, competition: Competition, bids: Sequence[Bid]
) -> Iterator[tuple[Bid, dict[str, Any]]]:
    """submitted_content for many bids of one competition, in order: the seal decided once for them all, and the
    versions that count read in one query (the results of a large competition read hundreds of bids, so neither
    a check per bid nor the ORM objects of every version). SealedError unless the reader may read every one now.

    A generator, so that each parsed content can be dropped before the next is read."""
    if not bids:
        return
    level = buyer_side_level(user, competition)
    if level is None or (level == "without_prices" and _barred(user, competition, bids)):
        raise SealedError("Bids are sealed: their content cannot be read by you now.")
    if any(bid.competition_id != competition.id for bid in bids):
        raise SealedError("A bid of another competition cannot be read with this one.")
    # latest_submission's rule in one query: the highest version not withdrawn, of a submitted bid.
    counts: dict[int, tuple[int, str]] = {}
    for bid_id, version, content_sealed in db.session.execute(
        select(BidSubmission.bid_id, BidSubmission.version, BidSubmission.content_sealed)
        .join(Bid, Bid.id == BidSubmission.bid_id)
        .where(Bid.competition_id == competition.id, Bid.status == "submitted", BidSubmission.withdrawn_at.is_(None))
        .order_by(BidSubmission.bid_id, BidSubmission.version)
    ):
        counts[bid_id] = (version, content_sealed)  # later versions overwrite earlier ones
    for bid in bids:
        counting = counts.get(bid.id) if bid.status == "submitted" else None
        if counting is None:
            raise SealedError("This supplier has no submitted bid.")
        version, content_sealed = counting
        text = crypto.submission_json(competition.id, bid.id, version, content_sealed)
        _note(user, bid, level, version)
        yield bid, _as_seen(json.loads(text), level)


def _content(user: User, bid: Bid, level: str) -> dict[str, Any]:
    submission = latest_submission(bid)
    if submission is None:
        raise SealedError("This supplier has no submitted bid.")
    content = crypto.submission_content(bid, submission)
    if level != "own":
        _note(user, bid, level, submission.version)
    return _as_seen(content, level)


def _note(user: User, bid: Bid, level: str, version: int) -> None:
    """Audit a read after opening: the parts this reader's level shows, of this version."""
    parts = ["answers", "attachment list"] + (["prices"] if level == "full" else [])
    reads.note(user, bid.id, f"version {version}", *parts)


def _as_seen(content: dict[str, Any], level: str) -> dict[str, Any]:
    if level == "without_prices":
        content = {k: v for k, v in content.items() if k not in ("prices", "total_price_pence")}
    return content


def submitted_attachments(user: User, bid: Bid, now: datetime | None = None) -> list[dict[str, Any]]:
    """The attachment list of the version that counts, for a reader the seal admits; the download that follows
    audits the file it serves (so listing them audits nothing of itself)."""
    level = access_level(user, bid, now)
    if level is None:
        raise SealedError("Bids are sealed: their content cannot be read by you now.")
    submission = latest_submission(bid)
    if submission is None:
        raise SealedError("This supplier has no submitted bid.")
    return list(crypto.submission_content(bid, submission).get("attachments", []))


def own_submission_content(user: User, bid: Bid, submission: BidSubmission) -> dict[str, Any]:
    """One of the supplier's own submitted versions (its receipt), opened for that supplier only (not audited)."""
    if access_level(user, bid) != "own" or submission.bid_id != bid.id:
        raise SealedError("Only the bidding supplier can see its submission history.")
    return crypto.submission_content(bid, submission)


def submission_versions(user: User, bid: Bid) -> list[BidSubmission]:
    """Every submitted version: the bidding supplier's own history (receipts)."""
    if access_level(user, bid) != "own":
        raise SealedError("Only the bidding supplier can see its submission history.")
    return list(bid.submissions)


def own_draft(user: User, bid: Bid) -> Bid:
    """The working draft, for its own supplier only."""
    if not user.is_supplier or user.supplier_id != bid.supplier_id:
        raise SealedError("Only the bidding supplier can see its draft.")
    return bid


def readable_submissions(user: User, competition: Competition, now: datetime | None = None) -> list[Bid]:
    """Bids whose submitted content this user may read now (empty while sealed)."""
    bids = db.session.scalars(
        select(Bid).where(Bid.competition_id == competition.id, Bid.status == "submitted").order_by(Bid.id)
    ).all()
    level = buyer_side_level(user, competition, now)
    if level == "without_prices":
        barred = _barred(user, competition, bids)
        return [bid for bid in bids if bid.id not in barred]
    return list(bids) if level == "full" else []
