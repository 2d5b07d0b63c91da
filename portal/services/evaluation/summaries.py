"""Sending the assessment summaries: the buyer's explicit step after approval, recorded for the award notice.

PA 2023: every assessed supplier gets its assessment summary (Procurement Regulations 2024 reg 31) before the
contract award notice (UK6) is published (s.50), and the notice records the date they were sent
(`competition.assessment_summaries_sent_at`, read by the notices). PCR 2015: the same step sends the standstill
letters (reg 86 practice). Sending:

- is refused before approval, once sent, and while a moderated rationale is pasted across bids on a criterion
  (moderation.pasted_rationales): a summary gives reasons by reference to each supplier's own tender;
- under PCR 2015 restarts the voluntary standstill from the sending (it runs from the day after the letters are
  sent, so bidders always get its full length however long after approval they are sent); under PA 2023 the
  standstill's start is the contract award notice's business (portal/services/notices);
- records when and by whom, audited, and e-mails every active user of each assessed supplier a link to its
  outcome page, where it reads its summary and downloads its letter;
- from then on suppliers see their outcome (results.summaries_sent) and the letters can be generated; the web
  layer starts the letters job right after (portal/jobs.py), so every letter is issued without anyone waiting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from portal.domain.law import law_for
from portal.domain.timefmt import format_datetime
from portal.extensions import db
from portal.models import Bid, Competition, User
from portal.models.base import utcnow
from portal.services import audit, mail, notifications
from portal.services.competitions import access
from portal.services.errors import ConflictError
from portal.services.evaluation import moderation, results
from portal.services.evaluation.workflow import names_of, officer_competition
from portal.services.notices import standstill
from portal.services.notifications import links, recipients

NOT_APPROVED = "The assessment summaries can be sent once the award has been approved"


def refusal(competition: Competition) -> str | None:
    """Why the summaries cannot be sent now; None when they can."""
    if competition.assessment_summaries_sent_at is not None:
        return f"The assessment summaries were sent {format_datetime(competition.assessment_summaries_sent_at)}"
    if competition.cancelled_at is not None or competition.approved_at is None:
        return NOT_APPROVED
    if access.state(competition) not in results.DECIDED:
        return NOT_APPROVED
    pasted = moderation.pasted_rationales(competition)
    if pasted:
        return moderation.pasted_refusal(pasted)
    return None


@dataclass(frozen=True)
class SendingStatus:
    """What the Letters page says about sending: approved yet, sent when and by whom, what stops sending."""

    approved: bool
    sent_at: datetime | None
    sent_by: str
    pasted: list[moderation.PastedWarning] = field(default_factory=list)
    wording: str = ""


def status(competition: Competition) -> SendingStatus:
    approved = competition.cancelled_at is None and access.state(competition) in results.DECIDED
    sent_at = competition.assessment_summaries_sent_at
    sender = competition.assessment_summaries_sent_by_id
    sent_by = names_of(sender).get(sender, "") if sender else ""
    pasted = moderation.pasted_rationales(competition) if approved and sent_at is None else []
    wording = law_for(competition.lot.framework.regime).assessment_summary.sending_wording
    return SendingStatus(approved, sent_at, sent_by, pasted, wording)


def send_assessment_summaries(user: User, competition_id: int) -> Competition:
    """Send every assessed supplier its summary (audited, e-mailed) and record when and by whom."""
    competition = officer_competition(user, competition_id, for_update=True)
    if message := refusal(competition):
        raise ConflictError(message)
    now = utcnow()
    competition.assessment_summaries_sent_at, competition.assessment_summaries_sent_by_id = now, user.id
    if not standstill.starts_with_award_notice(competition) and competition.awarded_at is None:
        competition.standstill_started_at = now
        competition.standstill_ends_at = standstill.ends_if_started(competition, now)
    notified = _notify_bidders(competition)
    audit.record(
        user,
        "competition.assessment_summaries_sent",
        "competition",
        competition.id,
        summary=f"{user.name} sent the assessment summaries of {competition.reference} to {len(notified)} people",
        after={
            "assessment_summaries_sent_at": now,
            "sent_by": user.email,
            "standstill_ends_at": competition.standstill_ends_at,
            "notified": notified,
        },
    )
    db.session.commit()
    return competition


def _notify_bidders(competition: Competition) -> list[str]:
    bids = db.session.scalars(
        select(Bid).where(Bid.competition_id == competition.id, Bid.status == "submitted").order_by(Bid.id)
    ).all()
    link = mail.link_for("evaluation.outcome", competition_id=competition.id)
    letter = mail.link_for("evaluation.outcome_letter", competition_id=competition.id)
    started = competition.standstill_ends_at is not None and standstill.applies(competition)
    about = "\n\n" + standstill.describe(competition)
    not_before = " The contract will not be entered into before then." if started else ""
    contact = results.summary_contact(competition)
    law = law_for(competition.lot.framework.regime)
    ask = (
        "\n\n" + law.summary_contact(contact.name, contact.job_title or contact.role_enum.label, contact.email)
        if contact
        else ""
    )
    buyer = competition.buyer_organisation.name
    sent: list[str] = []
    for bid in bids:
        people = recipients.supplier_users([bid.supplier_id])  # each bidder's own users: none learns another's
        if bid.id == competition.recommended_bid_id:
            subject = f"Award decision: {competition.reference} {competition.title}"
            body = (
                f"{buyer} intends to award the contract for {competition.title} to {bid.supplier.legal_name}."
                f"{about}{not_before}\n\n"
                f"Your assessment summary: {link}\nYour award letter (PDF): {letter}{ask}"
            )
        else:
            subject = f"Outcome of {competition.reference} {competition.title}: unsuccessful"
            body = (
                f"Thank you for your bid for {competition.title}. It was not successful.\n\n"
                f"Your assessment summary, with your scores and the reasons, and the winning tender's scores and "
                f"the reasons: {link}\nYour letter (PDF): {letter}{about}{ask}"
            )
        path = links.path_for("evaluation.outcome", competition_id=competition.id)
        notifications.notify(people, "assessment_summary", subject, body, link=path)
        sent.extend(person.email for person in people)
    return sent
