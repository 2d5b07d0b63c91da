"""The evaluation report of a mini-competition as a PDF, for the buying organisation's procurement officers.

It is the record of how the decision was reached: the timeline as it happened, the published rules (criteria and
weights, scales, minimum scores, price method, tie-break), who was invited and who bid, the conflict declarations,
every evaluator's scores and justifications, the moderated scores, the weighted results, ranking and robustness,
and the recommendation and approval.

- Issued only once moderation is complete (or later): before that bids and scores are not final. A cancelled
  competition has no report (its bids are no longer readable through the seal).
- Bid content is read only through the seal (bid_access, and results/moderation which read through it), as the
  officer asking; so nothing is revealed that the officer could not see on the evaluation pages.
- One series per competition; a new version is issued whenever the record has moved on (e.g. approval, award).

The data is built here (`report_data`) and laid out by templates/documents/evaluation_report.html; the sections
about suppliers, bids, declarations and scores are in portal/services/documents/report_sections.py. Citations come
from portal.domain.law for the framework's regime (`law` in the data).
"""

from __future__ import annotations

from typing import Any

from portal.domain.competition_lifecycle import CompetitionState
from portal.domain.law import law_for
from portal.domain.scoring import PRICE_METHODS, display, display_down
from portal.domain.scoring.ranking import tie_break_rule
from portal.models import Competition, Document, User
from portal.services import approvals
from portal.services.competitions import access
from portal.services.documents import register
from portal.services.documents.report_sections import (
    People,
    bids_received,
    conflict_declarations,
    invited_suppliers,
    officer_declarations,
    scoring_sections,
)
from portal.services.errors import ConflictError
from portal.services.evaluation import results

S = CompetitionState
REPORTABLE = (S.MODERATED, S.AWARD_RECOMMENDED, S.APPROVED, S.STANDSTILL, S.AWARDED)
TEMPLATE = "evaluation_report.html"
NOT_YET = "The evaluation report is available once moderation is complete: until then bids and scores are not final"


def _number(value) -> str:
    """A weight or a whole score without trailing zeros: '60', '33.3333', '3'."""
    return format(value.normalize(), "f") if value is not None else ""


def _event(at, event: str, by: str = "", detail: str = "", until=None) -> dict[str, Any]:
    return {"at": at, "event": event, "by": by, "detail": detail, "until": until}


def _timeline(competition: Competition, people: People) -> list[dict[str, Any]]:
    """What happened and when, in order; deadlines appear as the moments they fell (or fall)."""
    c = competition
    extensions = list(c.extensions)
    original = extensions[0].previous_deadline_at if extensions else c.submission_deadline_at
    events = [_event(c.created_at, "Created", people.name(c.created_by_id))]
    if c.published_at:
        events.append(_event(c.published_at, "Published to the invited suppliers", people.name(c.published_by_id)))
    if c.clarification_deadline_at:
        events.append(_event(c.clarification_deadline_at, "Clarification deadline"))
    if original:
        events.append(_event(original, "Submission deadline" + (" (as first published)" if extensions else "")))
    for extension in extensions:
        events.append(
            _event(
                extension.extended_at,
                "Submission deadline extended",
                people.name(extension.extended_by_id),
                extension.reason,
                extension.new_deadline_at,
            )
        )
    confirmer = people.name(c.opening_confirmed_by_id)  # dual control: opened by one officer, confirmed by another
    milestones = [
        (c.opened_at, "Bids opened", c.opened_by_id, f"Confirmed by {confirmer}" if confirmer else "", None),
        (c.evaluation_started_at, "Evaluation started", None, "", None),
        (c.moderated_at, "Moderation completed", c.moderated_by_id, "", None),
        (c.recommended_at, "Award recommended", c.recommended_by_id, "", None),
        (c.approved_at, "Award approved", c.approved_by_id, "", None),
        (c.standstill_started_at, "Standstill started", None, "", c.standstill_ends_at),
        (c.awarded_at, "Contract awarded", c.awarded_by_id, "", None),
        (c.cancelled_at, "Cancelled", c.cancelled_by_id, c.cancel_reason, None),
    ]
    events.extend(
        _event(at, label, people.name(by), detail, until) for at, label, by, detail, until in milestones if at
    )
    events.sort(key=lambda event: event["at"])
    return events


def _criteria(competition: Competition, outcome: results.Results) -> list[dict[str, Any]]:
    """The criteria tree in order, each node with its depth, weight, effective weight, scale and minimum."""
    effective = {leaf.key: leaf.effective_weight for group in outcome.groups for leaf in group.leaves}
    by_parent: dict[int | None, list] = {}
    for node in sorted(competition.criteria, key=lambda n: (n.position, n.id)):
        by_parent.setdefault(node.parent_id, []).append(node)
    rows: list[dict[str, Any]] = []

    def walk(parent_id, depth):
        for node in by_parent.get(parent_id, []):
            rows.append(
                {
                    "title": node.title,
                    "kind": node.kind,
                    "depth": depth,
                    "weight": _number(node.weight) if node.weight is not None else None,
                    "effective_weight": (str(display(effective[str(node.id)])) if str(node.id) in effective else None),
                    "scale_max": node.scale_max,
                    "min_score": _number(node.min_score) if node.min_score is not None else None,
                    "descriptors": [{"score": d.score, "text": d.descriptor} for d in node.descriptors if d.descriptor],
                }
            )
            walk(node.id, depth + 1)

    walk(None, 0)
    return rows


def _rules(competition: Competition, outcome: results.Results) -> dict[str, Any]:
    method = PRICE_METHODS.get(competition.price_method)
    groups = {g.key: g.name for g in outcome.groups}
    tie_breaks = []
    for code in (rule.strip() for rule in competition.tie_break.split(",") if rule.strip()):
        try:
            tie_breaks.append(tie_break_rule(code, groups).description)
        except KeyError:  # a rule the scoring does not know is reported as published
            tie_breaks.append(code)
    return {
        "price_method": {
            "code": competition.price_method,
            "label": method.label if method else competition.price_method,
            "formula": method.formula if method else "",
            "budget_pence": competition.price_budget_pence,
        },
        "tie_breaks": tie_breaks,
        "abnormally_low_percent": _number(competition.abnormally_low_percent),
        "rounding_rule": outcome.rounding_rule,
        "price_schedule": [
            {
                "item": line.price_item.name,
                "unit": line.price_item.unit,
                "basis": str(line.price_item.basis),
                "quantity": line.quantity,
            }
            for line in competition.schedule_lines
        ],
    }


def _results(outcome: results.Results, people: People) -> dict[str, Any]:
    result = outcome.result
    if result is None:
        return {"problems": outcome.problems}
    winner = outcome.winner_row
    return {
        "problems": [],
        "groups": [
            {
                "name": g.name,
                "weight": _number(g.weight),
                "leaves": [
                    {"name": leaf.name, "kind": leaf.kind.value, "scale_max": leaf.scale_max} for leaf in g.leaves
                ],
            }
            for g in outcome.groups
        ],
        "rows": [
            {
                "supplier": row.bid.supplier.legal_name,
                "cells": row.cells,
                "subtotals": row.subtotals,
                "total": row.total,
                "price_pence": row.result.price_pence,
                "rank": row.result.rank,
                "compliant": row.result.compliant,
                "abnormally_low": row.result.abnormally_low,
            }
            for row in outcome.rows
        ],
        "winner": winner.bid.supplier.legal_name if winner else None,
        "tied_for_first": bool(result.tied_for_first),
        "tie_break_notes": list(result.tie_break_notes),
        "disqualified": [
            {"supplier": _legal_name(outcome, bid.key), "reasons": list(bid.disqualification_reasons)}
            for bid in result.disqualified
        ],
        "robustness": result.robustness.statement,
        "margin_rounding_rule": outcome.margin_rounding_rule,
        "margins": [
            {
                "competitor": _legal_name(outcome, m.competitor),
                "weight": m.group_name,
                "current_weight": _number(m.current_weight),
                "direction": m.direction,
                "margin": str(display_down(m.margin)),
            }
            for m in outcome.margins_by_competitor()
        ],
        "abnormally_low": _abnormally_low(outcome, people),
    }


def _legal_name(outcome: results.Results, bid_key: str) -> str:
    return next(b.supplier.legal_name for b in outcome.inputs.bids if str(b.id) == bid_key)


def _abnormally_low(outcome: results.Results, people: People) -> list[dict[str, Any]]:
    out = []
    for row in outcome.rows:
        explanation = row.explanation
        if not (row.result.abnormally_low or explanation):
            continue
        out.append(
            {
                "supplier": row.bid.supplier.legal_name,
                "below": results.below_mean_text(row.result),
                "requested_at": explanation.requested_at if explanation else None,
                "requested_by": people.name(explanation.requested_by_id) if explanation else "",
                "explanation": explanation.explanation if explanation else "",
                "explanation_recorded_at": explanation.explanation_recorded_at if explanation else None,
                "outcome": explanation.outcome if explanation else None,
                "outcome_reason": explanation.outcome_reason if explanation else "",
                "decided_at": explanation.decided_at if explanation else None,
                "decided_by": people.name(explanation.decided_by_id) if explanation else "",
            }
        )
    return out


def _decision(competition: Competition, outcome: results.Results, people: People) -> dict[str, Any]:
    c = competition
    recommended = next((row for row in outcome.rows if row.bid.id == c.recommended_bid_id), None)
    return {
        "recommended_supplier": recommended.bid.supplier.legal_name if recommended else None,
        "recommended_at": c.recommended_at,
        "recommended_by": people.name(c.recommended_by_id),
        "recommendation_note": c.recommendation_note,
        "approved_at": c.approved_at,
        "approved_by": people.name(c.approved_by_id),
        "standstill_started_at": c.standstill_started_at,
        "standstill_ends_at": c.standstill_ends_at,
        "voluntary_standstill_days": c.voluntary_standstill_days,
        "awarded_at": c.awarded_at,
        "awarded_by": people.name(c.awarded_by_id),
        "steps": approvals.as_rows(approvals.history(competition_id=c.id)),
    }


def report_data(user: User, competition: Competition) -> dict[str, Any]:
    """Everything the report shows, read as `user` (a procurement officer of the buying organisation)."""
    state = access.state(competition)
    if state not in REPORTABLE:
        raise ConflictError(NOT_YET)
    outcome = results.competition_results(user, competition)
    people = People()
    lot = competition.lot
    return {
        "competition": {
            "reference": competition.reference,
            "title": competition.title,
            "buyer": competition.buyer_organisation.name,
            "framework": f"{lot.framework.reference} {lot.framework.name}",
            "lot": f"Lot {lot.number}: {lot.title}",
            "state": state.label,
            "term_months": competition.term_months,
            "planned_start_on": competition.planned_start_on,
            "estimated_value_pence": competition.estimated_value_pence,
        },
        "timeline": _timeline(competition, people),
        "criteria": _criteria(competition, outcome),
        "rules": _rules(competition, outcome),
        "invited": invited_suppliers(competition),
        "bids": bids_received(user, competition),
        "declarations": conflict_declarations(competition),
        "officer_declarations": officer_declarations(competition),
        "scoring": scoring_sections(user, competition),
        "results": _results(outcome, people),
        "decision": _decision(competition, outcome, people),
        # The provisions the report cites (the conflicts one), from the framework's regime: never the other's law.
        "law": law_for(lot.framework.regime).for_documents(),
    }


def report_issue(user: User, competition: Competition) -> register.Issue:
    """What to ask the register for: the report as `user` (a procurement officer) reads the competition now."""
    return register.Issue(
        kind="evaluation_report",
        series_key=f"evaluation_report:competition:{competition.id}",
        subject_type="competition",
        subject_id=competition.id,
        reference=competition.reference,
        title=f"Evaluation report: {competition.reference}",
        subject=f"How the bids for {competition.title} were evaluated, moderated and ranked",
        template=TEMPLATE,
        data=report_data(user, competition),
        buyer_organisation_id=competition.buyer_organisation_id,
    )


def is_reportable(competition: Competition) -> bool:
    """A report exists once moderation is complete: never while bids are sealed or scores provisional."""
    return access.state(competition) in REPORTABLE


def issue_report(user: User, competition_id: int, *, commit: bool = True) -> Document:
    """The current evaluation report of one of the officer's competitions (404 for another organisation's).

    Rendering a large competition's report takes seconds: pages start a background job (portal/jobs.py) that
    calls this, rather than calling it in the request."""
    competition = access.get_for_officer(user, competition_id)
    return register.issue(user, report_issue(user, competition), commit=commit)


def latest_report(competition: Competition) -> Document | None:
    """The last issued version of the competition's report (perhaps older than its data), or None."""
    return register.latest_in_series(f"evaluation_report:competition:{competition.id}")
