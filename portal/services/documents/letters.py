"""Award and unsuccessful letters: one PDF per assessed bidder, carrying its assessment summary.

A letter exists only once the award is approved (standstill started): before opening the bids are sealed, and
before approval the result is not final. The winner gets an award letter, every other assessed bidder (including
a disqualified one) an unsuccessful letter, each with the same content as its on-screen summary
(templates/evaluation/outcome.html; its lines: evaluation/summary_lines.py): the criteria with their weights and how
they were scored (scale and descriptors, or the price method), its score on each criterion and sub-criterion with the
moderator's rationale, each split criterion's sub-total, the group sub-totals and total, the same for the winning bid
(named and identified), any reason for disqualification, and the standstill end date the competition stored. The
provisions it cites (PA 2023: Procurement Regulations 2024 reg 31 and s.51; PCR 2015: reg 86 practice, voluntary
standstill) and their sentences come from the framework's regime in portal.domain.law, and travel in the letter's
data (`law`).

Two ways in:
- `issue_own_letter`: a supplier downloading its own letter, through `results.assessment_summary` (which answers
  "not found" to anyone who did not bid);
- `competition_summaries` + `issue_letter`: the background job (portal/jobs.py) generating every bidder's letter,
  scoring the competition once for all of them, as the approving officer reads the bids (as results does).
Both build the letter from the same `AssessmentSummary`, so a letter is the same version whichever way it came.
"""

from __future__ import annotations

from datetime import timedelta

from portal.domain.law import DayUnit, law_for
from portal.domain.scoring import display, percent_text
from portal.domain.timefmt import london
from portal.extensions import db
from portal.models import Competition, Document, User
from portal.services.documents import parties, register
from portal.services.errors import ConflictError, NotFoundError
from portal.services.evaluation import results
from portal.services.notices import standstill

LETTER_KINDS = ("award_letter", "unsuccessful_letter")
# 2: citations from portal.domain.law (no Act on a PCR 2015 letter); 3: legal parties; 4: the winning tender's
# reasons, the scales' descriptors, a contact for questions and the approver's job title; 5: every criterion and
# sub-criterion with a criterion's sub-total, the winner's identifiers, a 0-100 scale's descriptors as its bands
TEMPLATE_VERSION = "5"
DASH = "\N{EN DASH}"
NOT_YET = "Letters are available once the award has been approved and the assessment summaries have been sent"


def is_decided(competition: Competition) -> bool:
    """Letters exist once the approved result's assessment summaries are sent (evaluation/summaries.py): never
    while bids are sealed or the result is provisional, nor before the buyer sends them."""
    return results.summaries_sent(competition)


# --- Every bidder's assessment summary, scored once --------------------------------------------------------------


def _shown(value) -> str:
    return DASH if value is None else str(display(value))


def competition_summaries(competition: Competition) -> list[results.AssessmentSummary]:
    """Each assessed bid's summary, exactly as `results.assessment_summary` gives it to that bid's supplier."""
    if not is_decided(competition):
        raise ConflictError(NOT_YET)
    return results.decided_summaries(competition)


# --- The letter's data (the JSON embedded in the PDF and the only input of its template) -------------------------


def _standstill(competition: Competition) -> dict:
    framework = competition.lot.framework
    law = law_for(framework.regime)
    # The length in force: the Act's is fixed, a PCR 2015 competition's voluntary period is configured.
    calendar_days = law.standstill.unit is DayUnit.CALENDAR_DAYS
    days = competition.voluntary_standstill_days if calendar_days else law.standstill.length
    buyer = competition.buyer_organisation.legal_name
    basis = law.standstill_letter_basis(buyer, days)
    applies = standstill.applies(competition)
    ends_at = competition.standstill_ends_at if applies else None
    return {
        "regime": framework.regime,
        "applies": applies,
        # Before it starts (under the Act: until the award notice is published) the letter says how it will run.
        "pending": law.standstill_pending(days) if applies and ends_at is None else "",
        "not_applied": "" if applies else law.standstill_not_applied(buyer),
        "started_at": competition.standstill_started_at,
        "ends_at": ends_at,
        # "16 December, 12:00am" is easily misread: name the last day too (the instant a day ends is the next
        # day's midnight in London).
        "last_day_on": (london(ends_at) - timedelta(microseconds=1)).date() if ends_at else None,
        "basis": basis,
    }


def _groups(summary: results.AssessmentSummary) -> list[dict]:
    return [
        {
            "name": group.name,
            "weight": percent_text(group.weight),
            "own_subtotal": summary.own_subtotal(group.key),
            "winner_subtotal": summary.winner_subtotal(group.key),
            "criteria": [
                {
                    "title": line.title,
                    "name": line.name,
                    "depth": line.depth,
                    # A criterion split into sub-criteria: its weighted scores are their sub-totals.
                    "subtotal": line.is_subtotal,
                    "weight": str(display(line.effective_weight)),
                    "how_scored": line.how_scored,
                    "own_score": line.own_score,
                    "own_weighted": line.own_weighted,
                    "rationale": line.rationale,
                    "winner_score": line.winner_score,
                    "winner_weighted": line.winner_weighted,
                    "winner_rationale": line.winner_rationale,
                }
                for line in summary.lines
                if line.group_key == group.key
            ],
        }
        for group in summary.groups
    ]


def _scales(summary: results.AssessmentSummary) -> list[dict]:
    return [
        {"top": scale.top, "criteria": scale.criteria, "points": [[p, d] for p, d in scale.descriptors]}
        for scale in summary.scales
    ]


def _person(user: User | None) -> dict:
    if user is None:
        return {}
    return {"name": user.name, "role": user.job_title or user.role_enum.label, "email": user.email}


def letter_data(summary: results.AssessmentSummary) -> dict:
    competition, bid, own, winner = summary.competition, summary.bid, summary.own, summary.winner
    organisation, supplier = competition.buyer_organisation, bid.supplier
    framework = competition.lot.framework
    approver = db.session.get(User, competition.approved_by_id)
    if own is None or approver is None:  # a decided summary carries the bid's result; the award, its approver
        raise ConflictError(NOT_YET)
    return {
        "successful": summary.is_winner,
        "competition": {
            "reference": competition.reference,
            "title": competition.title,
            "framework": f"{framework.reference} {framework.name}",
            "lot": competition.lot.title,
        },
        "buyer": {
            "name": organisation.name,
            "type": organisation.type_label,
            "region": organisation.region,
            "address": organisation.address,
        }
        | parties.buyer(organisation),
        "supplier": {
            "legal_name": supplier.legal_name,
            "companies_house_number": supplier.companies_house_number or "",
            "address": supplier.registered_address.strip(),
        }
        | parties.supplier(supplier),
        # Dated the day of the decision it notifies, so regenerating an unchanged letter is not a new version.
        "dated_at": competition.approved_at,
        "standstill": _standstill(competition),
        "law": law_for(framework.regime).for_documents(),
        # Signed by the approver, named by job title (the role when none is recorded).
        "signed_by": {"name": approver.name, "role": approver.job_title or approver.role_enum.label},
        "contact": _contact(framework.regime, summary.contact),
        "winner_name": summary.winner_name,
        "winner": _winner(summary),
        "disqualification_reasons": list(own.disqualification_reasons),
        "own_total": _shown(own.total) if own.total is not None else None,
        "own_rank": own.rank,
        "winner_total": _shown(winner.total) if winner else None,
        "groups": _groups(summary),
        "scales": _scales(summary),
        "rounding_rule": summary.rounding_rule,
    }


def _winner(summary: results.AssessmentSummary) -> dict:
    """The successful supplier, named and identified as the contract award notice names it."""
    if summary.winner_bid is None:
        return {}
    supplier = summary.winner_bid.supplier
    return {"legal_name": supplier.legal_name, "identifiers": parties.identifiers(supplier)}


def _contact(regime: str, contact: User | None) -> dict:
    person = _person(contact)
    if not person:
        return {}
    return person | {"sentence": law_for(regime).summary_contact(person["name"], person["role"], person["email"])}


# --- Issuing -----------------------------------------------------------------------------------------------------


def series_key(kind: str, competition_id: int, supplier_id: int) -> str:
    return f"{kind}:competition:{competition_id}:supplier:{supplier_id}"


def issue_letter(actor: User | None, summary: results.AssessmentSummary, *, commit: bool = True) -> Document:
    competition, supplier = summary.competition, summary.bid.supplier
    kind = "award_letter" if summary.is_winner else "unsuccessful_letter"
    title = ("Award letter" if summary.is_winner else "Unsuccessful bidder letter") + f": {competition.reference}"
    return register.issue(
        actor,
        register.Issue(
            kind=kind,
            series_key=series_key(kind, competition.id, supplier.id),
            subject_type="competition",
            subject_id=competition.id,
            reference=competition.reference,
            title=f"{title} to {supplier.legal_name}",
            subject=f"Outcome of {competition.title} for {supplier.legal_name}, with its assessment summary",
            template="award_letter.html" if summary.is_winner else "unsuccessful_letter.html",
            data=letter_data(summary),
            template_version=TEMPLATE_VERSION,
            buyer_organisation_id=competition.buyer_organisation_id,
            supplier_id=supplier.id,
        ),
        commit=commit,
    )


def issue_own_letter(actor: User, competition_id: int) -> Document:
    """The signed-in supplier's own letter: one document rendered in the request, or the current version served."""
    summary = results.assessment_summary(actor, competition_id)
    if not summary.decided:
        raise NotFoundError(NOT_YET)
    return issue_letter(actor, summary)


def letters(actor: User, competition: Competition) -> list[Document]:
    """The current version of each bidder's letter that the actor may read, by supplier name."""
    found = [d for d in register.series(actor, "competition", competition.id) if d.kind in LETTER_KINDS]
    return sorted(found, key=lambda d: (d.kind != "award_letter", d.title))
