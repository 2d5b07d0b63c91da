"""The evaluation report's sections about people and bids: invitations, bids received, conflict declarations, and
every evaluator's and the moderator's scores per bid and criterion.

Bid content (versions, hashes, prices, pass/fail answers) is read only through the seal (bid_access) as the officer
asking, and scores through moderation.board, which reads the bids the same way: before the bids are opened there is
nothing here to read.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from portal.extensions import db
from portal.models import Bid, Competition, User
from portal.services.bids import seal
from portal.services.evaluation import declarations, moderation, panel
from portal.services.evaluation.scoring_adapter import whole

RESPONSES = {"pending": "No response", "bidding": "Intended to bid", "declined": "Declined"}


class People:
    """Names of the people on record, looked up once each."""

    def __init__(self) -> None:
        self._names: dict[int, str] = {}

    def name(self, user_id: int | None) -> str:
        if user_id is None:
            return ""
        if user_id not in self._names:
            user = db.session.get(User, user_id)
            self._names[user_id] = user.name if user else f"User {user_id}"
        return self._names[user_id]


def score_text(value: Decimal | None) -> str | None:
    return None if value is None else str(whole(value))


def invited_suppliers(competition: Competition) -> dict[str, Any]:
    invitations = sorted(competition.invitations, key=lambda i: i.supplier.legal_name)
    return {
        "required_capabilities": sorted(r.capability.name for r in competition.required_capabilities),
        "narrowing_reason": competition.narrowing_reason,
        "suppliers": [
            {
                "supplier": invitation.supplier.legal_name,
                "invited_at": invitation.invited_at,
                "response": RESPONSES.get(invitation.response, invitation.response),
                "responded_at": invitation.responded_at,
                "decline_reason": invitation.decline_reason,
            }
            for invitation in invitations
        ],
    }


def _received(user: User, bid: Bid) -> dict[str, Any]:
    """The version that counts of a bid the officer may read: when, its hash, its price and pass/fail answers."""
    submission = seal.latest_submission(bid)
    content = seal.submitted_content(user, bid)
    if submission is None:  # submitted_content has found the version that counts
        raise seal.SealedError("This supplier has no submitted bid.")
    return {
        "status": "Submitted",
        "version": submission.version,
        "versions": len(bid.submissions),
        "submitted_at": submission.submitted_at,
        "content_sha256": submission.content_sha256,
        "total_price_pence": content.get("total_price_pence"),
        "pass_fail": [
            {"title": answer["title"], "passed": bool(answer.get("passed"))}
            for answer in content.get("answers", [])
            if answer.get("kind") == "pass_fail"
        ],
    }


def bids_received(user: User, competition: Competition) -> list[dict[str, Any]]:
    """One row per invited supplier (and any other bidder): the bid that counts, or why there is none."""
    readable = {bid.id for bid in seal.readable_submissions(user, competition)}
    bids = {bid.supplier_id: bid for bid in db.session.scalars(select(Bid).where(Bid.competition_id == competition.id))}
    invitations = {i.supplier_id: i for i in competition.invitations}
    names = {i.supplier_id: i.supplier.legal_name for i in competition.invitations}
    names.update({supplier_id: bid.supplier.legal_name for supplier_id, bid in bids.items()})
    rows = []
    for supplier_id, name in sorted(names.items(), key=lambda item: item[1]):
        bid, invitation = bids.get(supplier_id), invitations.get(supplier_id)
        if bid is not None and bid.id in readable and seal.latest_submission(bid) is not None:
            rows.append({"supplier": name, **_received(user, bid)})
            continue
        if invitation is not None and invitation.response == "declined":
            status, reason = "Declined to bid", invitation.decline_reason
        elif bid is not None and bid.status == "withdrawn":
            status, reason = "Bid withdrawn before the deadline", ""
        else:
            status, reason = "No bid submitted", ""
        rows.append({"supplier": name, "status": status, "reason": reason})
    return rows


def officer_declarations(competition: Competition) -> list[dict[str, Any]]:
    """The declarations of the officers who started and confirmed the opening, moderated, recommended and approved, with
    mitigations: who, in what capacity, against which supplier, when."""
    return [
        {
            "person": r.declaration.user.name,
            "role": r.role_label,
            "supplier": r.declaration.supplier.legal_name,
            "declared_at": r.declaration.declared_at,
            "has_conflict": r.declaration.has_conflict,
            "details": r.declaration.details,
            "mitigation": r.declaration.mitigation,
            "mitigated_by": r.declaration.mitigated_by.name if r.declaration.mitigated_by else None,
            "mitigated_at": r.declaration.mitigated_at,
        }
        for r in declarations.competition_record(competition, include_evaluators=False)
    ]


def conflict_declarations(competition: Competition) -> list[dict[str, Any]]:
    """Each panel member's assigned criteria and declaration per bidding supplier, with mitigations and outcome."""
    rows = []
    for row in panel.evaluator_rows(competition):
        declared = [
            {
                "supplier": d.supplier.legal_name,
                "declared_at": d.declared_at,
                "has_conflict": d.has_conflict,
                "details": d.details,
                "mitigation": d.mitigation,
                "mitigated_by": d.mitigated_by.name if d.mitigated_by else None,
                "mitigated_at": d.mitigated_at,
                "outcome": _declaration_outcome(d),
            }
            for d in row.declarations
        ]
        declared += [
            {
                "supplier": s.legal_name,
                "declared_at": None,
                "has_conflict": None,
                "details": "",
                "mitigation": None,
                "outcome": "No declaration: no access to the bids",
            }
            for s in row.undeclared
        ]
        rows.append(
            {
                "evaluator": row.user.name,
                "criteria": [c.title for c in row.criteria],
                "scored": row.scored,
                "declarations": declared,
            }
        )
    return rows


def _declaration_outcome(declaration) -> str:
    if not declaration.has_conflict:
        return "No conflict: may score this bid"
    if declaration.mitigation is None:
        return "Conflict declared: kept from this bid and from scoring it"
    return "Conflict mitigated: scored this bid"


def scoring_sections(user: User, competition: Competition) -> list[dict[str, Any]]:
    """Per bid, per quality criterion: every evaluator's score and justification, the moderated score and
    rationale, and whether the evaluators' spread was flagged for moderation."""
    board = moderation.board(user, competition)
    people = People()
    sections = []
    for bid in board.bids:
        criteria = []
        for criterion in board.criteria:
            cell = board.cells[(bid.id, criterion.id)]
            moderated, flag = cell.moderated, cell.disagreement
            criteria.append(
                {
                    "criterion": criterion.title,
                    "scale_max": criterion.scale_max,
                    "min_score": score_text(criterion.min_score),
                    "scores": [
                        {
                            "evaluator": people.name(score.evaluator_id),
                            "score": score_text(score.score),
                            "justification": score.justification,
                            "scored_at": score.scored_at,
                        }
                        for score in cell.scores
                    ],
                    "moderated": (
                        {
                            "score": score_text(moderated.score),
                            "rationale": moderated.rationale,
                            "moderator": people.name(moderated.moderator_id),
                            "moderated_at": moderated.moderated_at,
                        }
                        if moderated
                        else None
                    ),
                    "disagreement": (
                        {"lowest": score_text(flag.lowest), "highest": score_text(flag.highest)} if flag else None
                    ),
                }
            )
        sections.append({"supplier": bid.supplier.legal_name, "criteria": criteria})
    return sections
