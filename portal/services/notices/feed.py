"""The public OCDS feed: the published releases of a framework's call-offs, a page at a time, oldest first.

Only notices whose publication the buyer has recorded appear (what is already public on the platform), exactly as
prepared; nothing about a call-off that has not been published is revealed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from portal.extensions import db
from portal.models import Competition, DirectAward, Framework, Lot, TransparencyNotice
from portal.services.errors import NotFoundError
from portal.services.notices import lifecycle

PAGE_SIZE = 50


@dataclass(frozen=True)
class FeedPage:
    framework: Framework
    releases: list[dict]
    has_next: bool
    latest: datetime | None  # the latest publication on this page (the package's publishedDate)


def published_page(framework_id: int, page: int, size: int = PAGE_SIZE) -> FeedPage:
    framework = db.session.get(Framework, framework_id)
    if framework is None:
        raise NotFoundError("Framework not found")
    lots = select(Lot.id).where(Lot.framework_id == framework_id)
    competitions = select(Competition.id).where(Competition.lot_id.in_(lots))
    awards = select(DirectAward.id).where(DirectAward.lot_id.in_(lots))
    query = (
        select(TransparencyNotice)
        .where(
            TransparencyNotice.status == "published",
            or_(TransparencyNotice.competition_id.in_(competitions), TransparencyNotice.direct_award_id.in_(awards)),
        )
        .order_by(TransparencyNotice.published_at, TransparencyNotice.id)
        .offset((page - 1) * size)
        .limit(size + 1)
    )
    found = list(db.session.scalars(query))
    shown = found[:size]
    latest = max((n.published_at for n in shown if n.published_at), default=None)
    return FeedPage(framework, [lifecycle.release_of(n) for n in shown], len(found) > size, latest)
