"""What the review page (and the read-only view of a published competition) shows: every section in one
place, the criteria tree with weights and effective weights, the price method's published formula, the
tie-break rules, the timetable, the suppliers, and what still stops publication."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from portal.domain.scoring import PRICE_METHODS, TIE_BREAK_RULES, percent_text
from portal.models import Competition, CompetitionCriterion
from portal.services.competitions import access
from portal.services.competitions.builder import group_left_out, is_draft, top_level
from portal.services.competitions.builder_criteria import criteria_problems, effective_weights
from portal.services.competitions.builder_terms import tie_break_rules
from portal.services.competitions.invitees import supplier_standings
from portal.services.competitions.publication import publish_problems
from portal.services.competitions.scales import descriptor_points
from portal.services.competitions.tasks import tasks
from portal.services.competitions.tender_documents import TYPE_LABELS, documents_of


@dataclass(frozen=True)
class TreeRow:
    node: CompetitionCriterion
    depth: int
    effective: Decimal | None  # share of the 100 marks, for scored leaves once the weights are valid
    left_out: bool


def tree_rows(competition: Competition) -> list[TreeRow]:
    valid = not criteria_problems(competition)
    effective = effective_weights(competition) if valid else {}
    rows: list[TreeRow] = []

    def walk(nodes, depth: int, left_out: bool) -> None:
        for node in nodes:
            out = left_out or group_left_out(node)
            share = effective.get(node.id) if node.kind == "quality" else None
            if node.kind == "price" and valid and not out:
                share = node.weight
            rows.append(TreeRow(node, depth, share, out))
            walk(node.children, depth + 1, out)

    walk(top_level(competition), 0, False)
    return rows


def point_labels(node: CompetitionCriterion) -> dict[int, str]:
    return dict(descriptor_points(node.scale_max or 0))


def review_context(competition: Competition) -> dict:
    draft = is_draft(competition)
    method = PRICE_METHODS.get(competition.price_method)
    return {
        "competition": competition,
        "state": access.state(competition),
        "draft": draft,
        "tasks": tasks(competition),
        "rows": tree_rows(competition),
        "point_labels": point_labels,
        "pct": percent_text,
        "method": method,
        "tie_breaks": [TIE_BREAK_RULES[r].description for r in tie_break_rules(competition) if r in TIE_BREAK_RULES],
        "standings": supplier_standings(competition) if draft else [],
        "problems": publish_problems(competition) if draft else [],
        "tender_documents": documents_of(competition.id),
        "tender_document_labels": TYPE_LABELS,
    }
