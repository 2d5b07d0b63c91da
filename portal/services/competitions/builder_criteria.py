"""Criteria and weights of a draft competition: weights, refining wording, scales, descriptors, sub-criteria.

What a buyer may do (PA 2023 s.46: refine the framework's criteria, not replace them):
- set each weight within the framework's range; siblings add up to exactly 100 at every level;
- change a criterion's question and guidance; set a scored criterion's word limit, scale, descriptors and
  optional minimum acceptable score;
- split a scored criterion into sub-criteria, and remove sub-criteria it added.
What it may not: add top-level groups, or remove the framework's criteria (no service here does either).

Weights are saved as entered (a draft may be incomplete) and the problems are returned, so the weights page
shows every problem at once and nothing typed is lost; publication refuses while any problem remains.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from portal.domain.scoring import leaves, validate_criteria
from portal.extensions import db
from portal.models import Competition, CompetitionCriterion, ScoreDescriptor, User
from portal.services import audit
from portal.services.competitions.builder import (
    commit,
    criteria_tree_for,
    get_node,
    group_left_out,
    require_draft,
    top_level,
    weighted_nodes,
)
from portal.services.competitions.scales import SCALES, default_descriptors, descriptor_points
from portal.services.errors import ConflictError, ValidationError

CRITERION_FIELDS = ("question", "guidance", "word_limit", "scale_max", "min_score")
MAX_WORD_LIMIT = 5000


@dataclass(frozen=True)
class CriteriaProblem:
    """A problem with the criteria; `node_id` is the criterion whose field the message belongs beside."""

    node_id: int | None
    message: str


# --- Problems ---------------------------------------------------------------------------------------------------


def _path(node: CompetitionCriterion | None) -> str:
    names = []
    while node is not None:
        names.append(node.title)
        node = node.parent
    return " > ".join(reversed(names))


def criteria_problems(competition: Competition) -> list[CriteriaProblem]:
    """Every reason the criteria cannot be published yet: missing weights, the scoring domain's rules
    (siblings add to 100, ranges, scales, minimum scores), and descriptors."""
    nodes = [n for n in weighted_nodes(competition) if not _inside_left_out_group(n)]
    missing = [CriteriaProblem(n.id, f"Enter a weight for {_path(n)}") for n in nodes if n.weight is None]
    if missing:
        return missing + descriptor_problems(competition)
    problems = [_locate(competition, p.path, p.message) for p in validate_criteria(criteria_tree_for(competition))]
    return problems + descriptor_problems(competition)


def _inside_left_out_group(node: CompetitionCriterion) -> bool:
    while node.parent is not None:
        node = node.parent
    return group_left_out(node)


def _locate(competition: Competition, path: tuple[str, ...], message: str) -> CriteriaProblem:
    """Put a domain problem beside a weight: a sum problem beside the first sibling, others beside the node."""
    if "add up to" in message:
        siblings = top_level(competition) if not path else get_node(competition, int(path[-1])).children
        first = next((n for n in siblings if n.kind in ("group", "price", "quality") and not group_left_out(n)), None)
        return CriteriaProblem(first.id if first else None, message)
    return CriteriaProblem(int(path[-1]) if path else None, message)


def scored_leaves(competition: Competition) -> list[CompetitionCriterion]:
    return [n for n in competition.criteria if n.kind == "quality" and not any(c.kind == "quality" for c in n.children)]


def descriptor_problems(competition: Competition) -> list[CriteriaProblem]:
    problems = []
    for node in scored_leaves(competition):
        if _inside_left_out_group(node):
            continue
        have = {d.score: d.descriptor.strip() for d in node.descriptors}
        if not all(have.get(score) for score, _ in descriptor_points(node.scale_max or 0)):
            problems.append(CriteriaProblem(node.id, f"Describe every score on the scale for {_path(node)}"))
        if not node.word_limit:
            problems.append(CriteriaProblem(node.id, f"Enter a word limit for {_path(node)}"))
    return problems


def effective_weights(competition: Competition) -> dict[int, Decimal]:
    """Each scored leaf's share of the 100 marks (only meaningful once the weights are valid)."""
    return {int(leaf.key): leaf.effective_weight for leaf in leaves(criteria_tree_for(competition))}


def criteria_started(competition: Competition) -> bool:
    return any(n.weight is not None for n in weighted_nodes(competition))


# --- Weights ----------------------------------------------------------------------------------------------------


def set_weights(actor: User, competition: Competition, weights: dict[int, Decimal | None]) -> list[CriteriaProblem]:
    """Save the weights as entered and return what is still wrong with the criteria."""
    require_draft(competition)
    before, after = {}, {}
    for node in weighted_nodes(competition):
        if node.id not in weights:
            continue
        weight = weights[node.id]
        if weight is not None and not Decimal(0) <= weight <= Decimal(100):
            raise ValidationError(f"Weight of {node.title} must be between 0 and 100", field=f"weight_{node.id}")
        if node.weight != weight:
            before[_path(node)], after[_path(node)] = node.weight, weight
            node.weight = weight
    if after:
        audit.record(
            actor,
            "competition.weights_updated",
            "competition",
            competition.id,
            summary=f"Weights of {competition.reference} changed",
            before=before,
            after=after,
        )
    commit()
    return criteria_problems(competition)


# --- Refining a criterion ---------------------------------------------------------------------------------------


def _editable(competition: Competition, criterion_id: int) -> CompetitionCriterion:
    require_draft(competition)
    node = get_node(competition, criterion_id)
    if node.kind not in ("quality", "pass_fail"):
        raise ConflictError(f"{node.title} is a group: its criteria are refined one by one")
    return node


def update_criterion(
    actor: User,
    competition: Competition,
    criterion_id: int,
    *,
    question: str,
    guidance: str,
    word_limit: int | None = None,
    scale_max: int | None = None,
    min_score: Decimal | None = None,
    descriptors: dict[int, str] | None = None,
) -> bool:
    """Refine a criterion. Returns True when the scale changed (its descriptors were reset to the defaults)."""
    node = _editable(competition, criterion_id)
    question = (question or "").strip()
    if not question:
        raise ValidationError(f"Enter the question suppliers answer for {node.title}", field="question")
    before = _snapshot(node)
    node.question, node.guidance = question, (guidance or "").strip()
    scale_changed = False
    if node.kind == "quality" and not node.children:
        scale_changed = _set_scoring(node, word_limit, scale_max, min_score, descriptors or {})
    _record(actor, competition, node, before, f"Criterion {node.title} of {competition.reference} refined")
    commit()
    return scale_changed


def _set_scoring(node, word_limit, scale_max, min_score, descriptors: dict[int, str]) -> bool:
    if word_limit is None or not 1 <= word_limit <= MAX_WORD_LIMIT:
        raise ValidationError(f"Word limit must be a whole number from 1 to {MAX_WORD_LIMIT}", field="word_limit")
    if scale_max not in SCALES:
        raise ValidationError("Select a scoring scale", field="scale_max")
    if min_score is not None and not Decimal(0) <= min_score <= scale_max:
        raise ValidationError(f"Minimum acceptable score must be between 0 and {scale_max}", field="min_score")
    node.word_limit, node.min_score = word_limit, min_score
    if scale_max != node.scale_max:
        # Descriptors shown on the form were for the old scale: start the new one from the defaults.
        node.scale_max = scale_max
        node.descriptors.clear()
        db.session.flush()  # the unit of work inserts before it deletes: remove the old scale's rows first
        node.descriptors.extend(default_descriptors(scale_max))
        return True
    for score, label in descriptor_points(scale_max):
        if not (descriptors.get(score) or "").strip():
            raise ValidationError(f"Describe what a score of {label} means", field=f"descriptor_{score}")
    by_score = {d.score: d for d in node.descriptors}
    for score, _ in descriptor_points(scale_max):
        text = descriptors[score].strip()
        if score in by_score:
            by_score[score].descriptor = text
        else:
            node.descriptors.append(ScoreDescriptor(score=score, descriptor=text))
    return False


def _snapshot(node: CompetitionCriterion) -> dict:
    snap = audit.snapshot(node, CRITERION_FIELDS)
    snap["descriptors"] = {str(d.score): d.descriptor for d in node.descriptors}
    return snap


def _record(actor, competition, node, before, summary) -> None:
    db.session.flush()
    old, new = audit.changed(before, _snapshot(node))
    if new:
        audit.record(
            actor,
            "competition.criterion_updated",
            "competition_criterion",
            node.id,
            summary=summary,
            before=old,
            after=new,
        )


# --- Sub-criteria -----------------------------------------------------------------------------------------------


def add_sub_criterion(
    actor: User, competition: Competition, criterion_id: int, *, title: str, question: str, guidance: str = ""
) -> CompetitionCriterion:
    parent = _editable(competition, criterion_id)
    if parent.kind != "quality" or parent.parent is None or parent.parent.kind != "group":
        raise ConflictError("Only a scored criterion of a group can be split into sub-criteria")
    title, question = (title or "").strip(), (question or "").strip()
    if not title:
        raise ValidationError("Enter a title for the sub-criterion", field="title")
    if any(child.title.casefold() == title.casefold() for child in parent.children):
        raise ConflictError(f"{parent.title} already has a sub-criterion called {title}", field="title")
    if not question:
        raise ValidationError("Enter the question suppliers answer", field="question")
    descriptors = [ScoreDescriptor(score=d.score, descriptor=d.descriptor) for d in parent.descriptors]
    position = len(parent.children) + 1
    child = CompetitionCriterion(
        competition=competition,
        parent=parent,
        descriptors=descriptors,
        kind="quality",
        title=title,
        question=question,
        guidance=(guidance or "").strip(),
        word_limit=parent.word_limit,
        scale_max=parent.scale_max,
        min_score=parent.min_score,
        position=position,
    )
    db.session.add(child)
    db.session.flush()
    audit.record(
        actor,
        "competition.sub_criterion_added",
        "competition_criterion",
        child.id,
        summary=f"{parent.title} of {competition.reference} split: sub-criterion {title} added",
        after={"parent": parent.title, "title": title, "question": question},
    )
    commit()
    return child


def remove_sub_criterion(actor: User, competition: Competition, criterion_id: int) -> None:
    node = _editable(competition, criterion_id)
    if node.source_criterion_id is not None or node.parent is None or node.parent.kind != "quality":
        raise ConflictError(f"{node.title} is one of the framework's criteria: it can be refined but not removed")
    parent = node.parent
    audit.record(
        actor,
        "competition.sub_criterion_removed",
        "competition_criterion",
        node.id,
        summary=f"Sub-criterion {node.title} removed from {parent.title} of {competition.reference}",
        before={"parent": parent.title, "title": node.title, "weight": node.weight},
    )
    # Both collections hold the node: take it out of each so neither re-adds it (delete-orphan removes the row).
    parent.children.remove(node)
    competition.criteria.remove(node)
    commit()
