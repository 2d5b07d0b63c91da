"""When a call-off's standstill starts and ends, for both routes and both regimes (the law: portal/domain/law.py).

- PCR 2015: the voluntary standstill always applies. A competition's starts at approval and restarts from the
  sending of the standstill letters (evaluation/award.py, evaluation/summaries.py); a direct award's starts at
  approval (direct_awards/decisions.py). Ten calendar days from the day after, rolled to a working day.
- PA 2023: call-offs are exempt from the mandatory standstill (s.51(3)); the buyer chooses at recommendation
  whether to apply a voluntary one (`standstill_applies`, default on). Approval starts nothing: the standstill
  begins with the day the contract award notice (UK6) is published and lasts 8 working days (s.51(2), s.123), so it
  starts here, when the buyer records the UK6's publication (notices/lifecycle.py). If the buyer chose none, the
  "standstill" starts and ends at the publication: the contract may be entered into from then.
- A UK6 states the standstill it expects (`projected`: as if published the day it is prepared). The period the law
  gives runs from the publication, so that is what is enforced (the notice page asks the buyer to prepare the
  notice again if it is published on a later day, so that the notice says the same).
- `start_refusal` / `blocking` answer "may the contract be entered into yet" for the signing and confirming steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from portal.domain import notices as build
from portal.domain.competition_lifecycle import Action
from portal.domain.framework_term import Regime
from portal.domain.law import StandstillStart, law_for
from portal.domain.timefmt import format_datetime
from portal.domain.working_days import standstill_end
from portal.extensions import db
from portal.models import Competition, DirectAward, TransparencyNotice
from portal.services.evaluation.workflow import transition

Subject = Competition | DirectAward


def _regime(subject: Subject) -> Regime:
    return Regime(subject.lot.framework.regime)


def buyer_chooses(subject: Subject) -> bool:
    """True where the law leaves the (voluntary) standstill to the buyer's choice at recommendation."""
    return law_for(_regime(subject)).standstill.buyer_chooses


def applies(subject: Subject) -> bool:
    """Whether a standstill applies to this call-off: always where the law gives the buyer no choice."""
    return bool(subject.standstill_applies) or not law_for(_regime(subject)).standstill.buyer_chooses


def starts_with_award_notice(subject: Subject) -> bool:
    """True under the Act: the standstill begins with the day the UK6 is published (not at approval)."""
    return law_for(_regime(subject)).standstill.start is StandstillStart.BEGINNING_WITH_DAY


def _days(subject: Subject) -> int:
    if isinstance(subject, Competition) and not starts_with_award_notice(subject):
        return subject.voluntary_standstill_days
    return law_for(_regime(subject)).standstill.length


def ends_if_started(subject: Subject, started_at: datetime) -> datetime:
    framework = subject.lot.framework
    return standstill_end(started_at, framework.regime, framework.bank_holiday_region, voluntary_days=_days(subject))


def projected(subject: Subject, now: datetime) -> tuple[datetime, datetime] | None:
    """The (start, end) an award notice states: the standstill as it stands, or, under the Act before the UK6 is
    published, the one a notice published `now` would start. None when no standstill applies."""
    if not applies(subject):
        return None
    if subject.standstill_started_at and subject.standstill_ends_at:
        return subject.standstill_started_at, subject.standstill_ends_at
    if starts_with_award_notice(subject):
        return now, ends_if_started(subject, now)
    return None


def start_from_award_notice(subject: Subject, notice: TransparencyNotice, published_at: datetime) -> datetime | None:
    """Start the Act's standstill at the UK6's recorded publication; returns its end (None when nothing starts).

    The caller (recording the publication) audits and commits."""
    if notice.notice_type != build.UK6 or not starts_with_award_notice(subject):
        return None
    if subject.standstill_started_at is not None:
        return subject.standstill_ends_at
    ends = ends_if_started(subject, published_at) if applies(subject) else published_at
    if isinstance(subject, Competition):
        # A time given to the minute may fall before an approval made in that same minute: start no earlier.
        start = max(published_at, subject.approved_at or published_at)
        transition(subject, Action.START_STANDSTILL, start, standstill_ends_at=max(ends, start))
    else:
        subject.standstill_started_at, subject.standstill_ends_at = published_at, ends
    return ends


def award_notice_published(subject: Subject) -> bool:
    owner = (
        TransparencyNotice.competition_id == subject.id
        if isinstance(subject, Competition)
        else TransparencyNotice.direct_award_id == subject.id
    )
    found = db.session.scalar(
        select(TransparencyNotice.id).where(
            owner, TransparencyNotice.notice_type == build.UK6, TransparencyNotice.status == "published"
        )
    )
    return found is not None


def blocking(subject: Subject, now: datetime) -> str | None:
    """Why the contract may not be entered into yet because of the award notice or the standstill; None if it may."""
    if starts_with_award_notice(subject) and not award_notice_published(subject):
        return (
            "The contract cannot be entered into until the contract award notice (UK6) has been published and its "
            "publication recorded here"
            + (": the standstill period begins with the day it is published" if applies(subject) else "")
        )
    ends = subject.standstill_ends_at
    if ends is not None and now < ends:
        return f"The contract cannot be entered into until the standstill period ends ({format_datetime(ends)})"
    return None


@dataclass(frozen=True)
class Summary:
    """What the call-off's pages say about its standstill."""

    applies: bool
    starts_with_notice: bool  # PA 2023: it begins with the day the UK6 is published
    buyer_chooses: bool
    sentence: str


def summary(subject: Subject) -> Summary:
    return Summary(applies(subject), starts_with_award_notice(subject), buyer_chooses(subject), describe(subject))


def describe(subject: Subject) -> str:
    """One sentence for pages: where the standstill stands (the law's wording where it has not started)."""
    law = law_for(_regime(subject))
    if not applies(subject):
        return law.standstill_not_applied(subject.buyer_organisation.legal_name)
    if subject.standstill_started_at and subject.standstill_ends_at:
        return (
            f"The standstill period started {format_datetime(subject.standstill_started_at)} and ends "
            f"{format_datetime(subject.standstill_ends_at)}."
        )
    return law.standstill_pending(_days(subject))
