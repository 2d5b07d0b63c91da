"""The buyer's competition builder: starting a competition, its details, and its criteria tree.

A competition starts from a lot of a live framework the buyer's organisation may use, and copies the
lot's framework award criteria (PA 2023 s.46: a call-off refines the framework's criteria, never replaces
them). Until publication a procurement officer of the owning organisation edits it section by section
(see competition_builder_* modules); after publication every section is locked.

`criteria_tree_for(competition)` is THE adapter from the stored CompetitionCriterion rows to the scoring
domain's CriteriaTree (keys are the node ids as strings). Optional groups (minimum weight 0) that the buyer
gives weight 0 are left out of the tree: the framework allows the call-off not to use them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from portal.domain.competition_lifecycle import CompetitionState
from portal.domain.scoring import CriteriaTree, Criterion, CriterionKind, Group, PassFailCriterion, WeightRange
from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import Competition, CompetitionCriterion, Framework, Lot, User
from portal.models.base import utcnow
from portal.services import audit
from portal.services.competitions import access
from portal.services.competitions.scales import default_descriptors
from portal.services.errors import ConflictError, NotFoundError, ValidationError
from portal.services.frameworks import award_criteria

LOCKED_MESSAGE = (
    "This competition has been published: its details, criteria, weights, price method, schedule, timetable and "
    "supplier list can no longer be changed"
)
DETAIL_FIELDS = ("title", "statement_of_requirements", "estimated_value_pence", "term_months", "planned_start_on")
STALE_MESSAGE = "Another officer changed this competition at the same time: check the page and try again"
DEFAULT_SCALE = 5
DEFAULT_WORD_LIMIT = 500
WEIGHTED_KINDS = ("group", "price", "quality")


# --- Access and state -------------------------------------------------------------------------------------------


def competition_for_officer(actor: User, competition_id: int, *, for_update: bool = False) -> Competition:
    """A competition of the actor's own organisation (404 for anyone else's)."""
    return access.get_for_officer(actor, competition_id, for_update=for_update)


def is_draft(competition: Competition) -> bool:
    return access.state(competition) is CompetitionState.DRAFT


def require_draft(competition: Competition) -> None:
    state = access.state(competition)
    if state is CompetitionState.CANCELLED:
        raise ConflictError("This competition has been cancelled and can no longer be changed")
    if state is not CompetitionState.DRAFT:
        raise ConflictError(LOCKED_MESSAGE)


def commit() -> None:
    """Commit, turning a lost optimistic-lock race (Competition.version_id) into a message, not a 500."""
    try:
        db.session.commit()
    except StaleDataError as error:
        db.session.rollback()
        raise ConflictError(STALE_MESSAGE) from error


def discard_lost_race() -> None:
    """Drop what a request that lost an optimistic-lock race had pending (its flush raised before `commit`), so
    the page can reload with what the other officer saved."""
    db.session.rollback()


# --- Starting a competition -------------------------------------------------------------------------------------


def startable_lots(actor: User, today: date | None = None) -> list[Lot]:
    """Lots of live frameworks the actor's organisation type may use, that have award criteria."""
    organisation = actor.buyer_organisation
    if organisation is None:
        return []
    today = today or today_london()
    lots: list[Lot] = []
    for framework in db.session.scalars(select(Framework).order_by(Framework.reference)):
        if framework.status_on(today).value != "live":
            continue
        if organisation.organisation_type not in framework.buyer_type_values:
            continue
        lots.extend(lot for lot in framework.lots if award_criteria.lot_has_criteria(lot.id))
    return lots


def create_competition(actor: User, *, lot_id: int | None, title: str) -> Competition:
    competition = open_competition(actor, lot_id=lot_id, title=title)
    db.session.commit()
    return competition


def open_competition(actor: User, *, lot_id: int | None, title: str) -> Competition:
    """create_competition without the commit, for callers that add to the same transaction."""
    if not actor.is_procurement_officer:
        raise ConflictError("Only a buyer or approver can start a competition")
    title = (title or "").strip()
    if not title:
        raise ValidationError("Enter a title for the competition", field="title")
    if len(title) > 200:
        raise ValidationError("Title must be 200 characters or fewer", field="title")
    lot = next((lot for lot in startable_lots(actor) if lot.id == lot_id), None)
    if lot is None:
        raise ValidationError("Select a framework lot", field="lot_id")
    competition = Competition(
        reference=f"DRAFT-{uuid.uuid4().hex[:20]}",
        buyer_organisation_id=actor.buyer_organisation_id,
        lot_id=lot.id,
        created_by_id=actor.id,
        title=title,
        term_months=min(12, lot.framework.max_call_off_months),
    )
    db.session.add(competition)
    db.session.flush()
    competition.reference = f"MC-{utcnow().year}-{competition.id:05d}"
    _copy_framework_criteria(competition, lot)
    audit.record(
        actor,
        "competition.created",
        "competition",
        competition.id,
        summary=f"Competition {competition.reference} started on {lot.framework.reference} {lot.label}",
        after={"reference": competition.reference, "title": title, "lot_id": lot.id},
    )
    return competition


def _copy_framework_criteria(competition: Competition, lot: Lot) -> None:
    for position, group in enumerate(award_criteria.groups_for(lot), start=1):
        node = CompetitionCriterion(
            competition=competition,
            kind="price" if group.kind == "price" else "group",
            title=group.name,
            source_group_id=group.id,
            min_weight=group.min_weight,
            max_weight=group.max_weight,
            position=position,
        )
        db.session.add(node)
        for child_position, source in enumerate(group.criteria, start=1):
            child = CompetitionCriterion(
                competition=competition,
                parent=node,
                kind=source.kind,
                title=source.title,
                question=source.question,
                guidance=source.guidance,
                source_criterion_id=source.id,
                position=child_position,
            )
            if source.kind == "quality":
                child.scale_max, child.word_limit = DEFAULT_SCALE, DEFAULT_WORD_LIMIT
            db.session.add(child)
    db.session.flush()
    for node in competition.criteria:
        if node.kind == "quality":
            node.descriptors = default_descriptors(node.scale_max)


# --- Details ----------------------------------------------------------------------------------------------------


@dataclass
class Details:
    title: str
    statement_of_requirements: str
    estimated_value_pence: int | None
    term_months: int | None
    planned_start_on: date | None


def update_details(actor: User, competition: Competition, details: Details) -> None:
    require_draft(competition)
    title = (details.title or "").strip()
    if not title:
        raise ValidationError("Enter a title for the competition", field="title")
    statement = (details.statement_of_requirements or "").strip()
    if not statement:
        raise ValidationError("Enter the statement of requirements", field="statement_of_requirements")
    if details.estimated_value_pence is None or details.estimated_value_pence < 0:
        raise ValidationError("Enter the estimated value, like 45000", field="estimated_value")
    maximum = competition.lot.framework.max_call_off_months
    if details.term_months is None or details.term_months < 1:
        raise ValidationError("Enter the contract term in months, like 24", field="term_months")
    if details.term_months > maximum:
        raise ValidationError(
            f"The contract term must be {maximum} months or fewer: the framework's maximum call-off term",
            field="term_months",
        )
    if details.planned_start_on is None:
        raise ValidationError("Enter the planned start date", field="planned_start_on")
    if details.planned_start_on < today_london():
        raise ValidationError("The planned start date must be today or in the future", field="planned_start_on")
    before = audit.snapshot(competition, DETAIL_FIELDS)
    competition.title, competition.statement_of_requirements = title, statement
    competition.estimated_value_pence = details.estimated_value_pence
    competition.term_months, competition.planned_start_on = details.term_months, details.planned_start_on
    old, new = audit.changed(before, audit.snapshot(competition, DETAIL_FIELDS))
    if new:
        audit.record(
            actor,
            "competition.details_updated",
            "competition",
            competition.id,
            summary=f"Details of {competition.reference} changed",
            before=old,
            after=new,
        )
    commit()


def details_complete(competition: Competition) -> bool:
    return bool(competition.statement_of_requirements and competition.planned_start_on)


# --- The criteria tree ------------------------------------------------------------------------------------------


def top_level(competition: Competition) -> list[CompetitionCriterion]:
    return [node for node in competition.criteria if node.parent_id is None]


def get_node(competition: Competition, criterion_id: int) -> CompetitionCriterion:
    node = db.session.get(CompetitionCriterion, criterion_id)
    if node is None or node.competition_id != competition.id:
        raise NotFoundError("There is no such criterion in this competition.")
    return node


def weighted_nodes(competition: Competition) -> list[CompetitionCriterion]:
    """Every node that carries a weight, in tree order (groups, then their criteria and sub-criteria)."""
    found: list[CompetitionCriterion] = []

    def walk(nodes) -> None:
        for node in nodes:
            if node.kind in WEIGHTED_KINDS:
                found.append(node)
                walk(node.children)

    walk(top_level(competition))
    return found


def group_left_out(node: CompetitionCriterion) -> bool:
    """An optional group (the framework allows 0 %) that the buyer is not using."""
    return node.parent_id is None and node.min_weight == 0 and node.weight == 0


def _range(node: CompetitionCriterion) -> WeightRange | None:
    if node.min_weight is None or node.max_weight is None:
        return None
    return WeightRange(node.min_weight, node.max_weight)


def _criterion(node: CompetitionCriterion) -> Criterion:
    return Criterion(
        key=str(node.id),
        name=node.title,
        weight=node.weight,
        kind=CriterionKind.QUALITY,
        scale_max=node.scale_max or DEFAULT_SCALE,
        minimum_score=node.min_score,
        sub_criteria=tuple(_criterion(child) for child in node.children if child.kind == "quality"),
        allowed=_range(node),
    )


def criteria_tree_for(competition: Competition) -> CriteriaTree:
    """The scoring domain's CriteriaTree for a competition's stored criteria (keys: node ids as strings).

    The price node becomes a group holding one price criterion weighted 100; pass/fail criteria sit beside
    the tree; an optional group weighted 0 is left out. Weights may be None while a draft is incomplete:
    `validate_criteria` then reports them.
    """
    groups: list[Group] = []
    pass_fail: list[PassFailCriterion] = []
    for node in top_level(competition):
        if group_left_out(node):
            continue
        if node.kind == "pass_fail":  # a gate may also sit at the top level, beside the groups
            pass_fail.append(PassFailCriterion(str(node.id), node.title))
            continue
        if node.kind == "price":
            price = Criterion(key=str(node.id), name=node.title, weight=Decimal(100), kind=CriterionKind.PRICE)
            groups.append(Group(str(node.id), node.title, node.weight, (price,), _range(node)))
            continue
        criteria = tuple(_criterion(child) for child in node.children if child.kind == "quality")
        pass_fail.extend(PassFailCriterion(str(c.id), c.title) for c in node.children if c.kind == "pass_fail")
        groups.append(Group(str(node.id), node.title, node.weight, criteria, _range(node)))
    return CriteriaTree(groups=tuple(groups), pass_fail=tuple(pass_fail))


def own_competitions(actor: User) -> list[Competition]:
    """The actor's organisation's competitions, newest first (only what competition_access lets it see)."""
    query = access.visible_competitions(actor).order_by(Competition.created_at.desc(), Competition.id.desc())
    return list(db.session.scalars(query))
