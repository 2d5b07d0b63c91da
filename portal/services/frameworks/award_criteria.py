"""Framework staff's use cases for a lot's call-off award criteria.

Per lot: groups (Quality, Price, Social value) with the weight range a call-off may choose from, and the
criteria of each group with question text and guidance. A call-off competition copies these when it is
created and may refine them, not replace them (Procurement Act 2023 s.46). Anything a competition has
copied is evidence of what that competition was allowed to do, so it is never removed.

Rules kept here:
- a group's range is 0 <= minimum <= maximum <= 100; names are unique within a lot (case-insensitively);
- a lot has at most one price group, and a price group holds no criteria (the price method scores it);
- criterion titles are unique within their group; kinds are 'quality' (scored) or 'pass_fail' (a gate).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AwardCriterion, AwardCriterionGroup, CompetitionCriterion, Lot, User
from portal.services import audit
from portal.services.errors import ConflictError, NotFoundError, ValidationError
from portal.services.permissions import require_staff

GROUP_KINDS = {"quality": "Quality", "price": "Price", "social_value": "Social value"}
CRITERION_KINDS = {"quality": "Scored (quality)", "pass_fail": "Pass or fail"}
GROUP_FIELDS = ("name", "kind", "min_weight", "max_weight", "position")
CRITERION_FIELDS = ("title", "question", "guidance", "kind", "position")


def get_group(group_id: int) -> AwardCriterionGroup:
    group = db.session.get(AwardCriterionGroup, group_id)
    if group is None:
        raise NotFoundError("There is no such group of award criteria.")
    return group


def get_criterion(criterion_id: int) -> AwardCriterion:
    criterion = db.session.get(AwardCriterion, criterion_id)
    if criterion is None:
        raise NotFoundError("There is no such award criterion.")
    return criterion


def groups_for(lot: Lot) -> list[AwardCriterionGroup]:
    query = select(AwardCriterionGroup).where(AwardCriterionGroup.lot_id == lot.id)
    return list(db.session.scalars(query.order_by(AwardCriterionGroup.position, AwardCriterionGroup.id)))


def lot_has_criteria(lot_id: int) -> bool:
    return (
        db.session.scalar(select(AwardCriterionGroup.id).where(AwardCriterionGroup.lot_id == lot_id).limit(1))
        is not None
    )


def weight_ranges_problem(groups: list[AwardCriterionGroup]) -> str | None:
    """Whether any choice of group weights within the ranges can add up to 100 (a hint for staff)."""
    if not groups:
        return None
    low = sum((g.min_weight for g in groups), Decimal(0))
    high = sum((g.max_weight for g in groups), Decimal(0))
    if low > 100:
        return f"The minimum weights add up to {low.normalize():f} %: no call-off can choose weights adding to 100 %"
    if high < 100:
        return f"The maximum weights add up to {high.normalize():f} %: no call-off can choose weights adding to 100 %"
    return None


# --- Groups -------------------------------------------------------------------------------------------------------


def _weight(value, field: str, label: str) -> Decimal:
    try:
        weight = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as error:
        raise ValidationError(f"{label} must be a number", field=field) from error
    if not weight.is_finite() or not 0 <= weight <= 100:
        raise ValidationError(f"{label} must be between 0 and 100", field=field)
    if weight != weight.quantize(Decimal("0.01")):
        raise ValidationError(f"{label} must have no more than 2 decimal places", field=field)
    return weight


def _check_group(lot: Lot, name: str, kind: str, min_weight, max_weight, group=None) -> tuple[str, Decimal, Decimal]:
    name = (name or "").strip()
    if not name:
        raise ValidationError("Enter a name for the group", field="name")
    if kind not in GROUP_KINDS:
        raise ValidationError("Select the kind of group", field="kind")
    low = _weight(min_weight, "min_weight", "Minimum weight")
    high = _weight(max_weight, "max_weight", "Maximum weight")
    if low > high:
        raise ValidationError("Maximum weight must be the same as or more than the minimum weight", field="max_weight")
    others = [g for g in groups_for(lot) if group is None or g.id != group.id]
    if any(g.name.casefold() == name.casefold() for g in others):
        raise ConflictError(f"This lot already has a group called {name}", field="name")
    if kind == "price" and any(g.kind == "price" for g in others):
        raise ConflictError("This lot already has a price group; a lot has one price", field="kind")
    if group is not None and kind != group.kind and group_in_use(group):
        raise ConflictError("The kind cannot change: competitions already use this group", field="kind")
    if kind == "price" and group is not None and group.criteria:
        raise ConflictError("Remove the group's criteria first: a price group holds no criteria", field="kind")
    return name, low, high


def add_group(actor: User, lot: Lot, *, name: str, kind: str, min_weight, max_weight) -> AwardCriterionGroup:
    require_staff(actor, "change frameworks")
    name, low, high = _check_group(lot, name, kind, min_weight, max_weight)
    position = len(groups_for(lot)) + 1
    group = AwardCriterionGroup(lot_id=lot.id, name=name, kind=kind, min_weight=low, max_weight=high, position=position)
    db.session.add(group)
    db.session.flush()
    audit.record(
        actor,
        "award_criteria.group_added",
        "award_criterion_group",
        group.id,
        summary=f"{lot.label}: award criteria group {name} added ({low.normalize():f}-{high.normalize():f} %)",
        after=audit.snapshot(group, GROUP_FIELDS),
    )
    db.session.commit()
    return group


def update_group(actor: User, group: AwardCriterionGroup, *, name: str, kind: str, min_weight, max_weight) -> None:
    require_staff(actor, "change frameworks")
    name, low, high = _check_group(group.lot, name, kind, min_weight, max_weight, group)
    before = audit.snapshot(group, GROUP_FIELDS)
    group.name, group.kind, group.min_weight, group.max_weight = name, kind, low, high
    db.session.flush()
    old, new = audit.changed(before, audit.snapshot(group, GROUP_FIELDS))
    if new:
        audit.record(
            actor,
            "award_criteria.group_updated",
            "award_criterion_group",
            group.id,
            summary=f"{group.lot.label}: award criteria group {name} changed",
            before=old,
            after=new,
        )
    db.session.commit()


def group_in_use(group: AwardCriterionGroup) -> bool:
    used = select(CompetitionCriterion.id).where(CompetitionCriterion.source_group_id == group.id).limit(1)
    return db.session.scalar(used) is not None


def group_removal_problem(group: AwardCriterionGroup) -> str | None:
    if group_in_use(group):
        return f"{group.name} cannot be removed: competitions already use it. Change its wording instead."
    return None


def remove_group(actor: User, group: AwardCriterionGroup) -> None:
    require_staff(actor, "change frameworks")
    problem = group_removal_problem(group)
    if problem:
        raise ConflictError(problem)
    before = audit.snapshot(group, GROUP_FIELDS)
    before["criteria"] = [c.title for c in group.criteria]
    audit.record(
        actor,
        "award_criteria.group_removed",
        "award_criterion_group",
        group.id,
        summary=f"{group.lot.label}: award criteria group {group.name} removed",
        before=before,
    )
    db.session.delete(group)
    db.session.commit()


# --- Criteria -----------------------------------------------------------------------------------------------------


def _check_criterion(group: AwardCriterionGroup, title: str, kind: str, criterion=None) -> str:
    if group.kind == "price":
        raise ConflictError("A price group holds no criteria: the competition's price method scores it")
    title = (title or "").strip()
    if not title:
        raise ValidationError("Enter a title for the criterion", field="title")
    if kind not in CRITERION_KINDS:
        raise ValidationError("Select whether the criterion is scored or pass or fail", field="kind")
    clash = select(AwardCriterion.id).where(
        AwardCriterion.group_id == group.id, func.lower(AwardCriterion.title) == title.lower()
    )
    if criterion is not None:
        clash = clash.where(AwardCriterion.id != criterion.id)
    if db.session.scalar(clash.limit(1)) is not None:
        raise ConflictError(f"{group.name} already has a criterion called {title}", field="title")
    if criterion is not None and kind != criterion.kind and criterion_in_use(criterion):
        raise ConflictError("The kind cannot change: competitions already use this criterion", field="kind")
    return title


def add_criterion(
    actor: User, group: AwardCriterionGroup, *, title: str, question: str, guidance: str, kind: str
) -> AwardCriterion:
    require_staff(actor, "change frameworks")
    title = _check_criterion(group, title, kind)
    criterion = AwardCriterion(
        group=group,
        title=title,
        question=(question or "").strip(),
        guidance=(guidance or "").strip(),
        kind=kind,
        position=len(group.criteria) + 1,
    )
    db.session.add(criterion)
    db.session.flush()
    audit.record(
        actor,
        "award_criteria.criterion_added",
        "award_criterion",
        criterion.id,
        summary=f"{group.lot.label}: criterion {title} added to {group.name}",
        after=audit.snapshot(criterion, CRITERION_FIELDS),
    )
    db.session.commit()
    return criterion


def update_criterion(
    actor: User, criterion: AwardCriterion, *, title: str, question: str, guidance: str, kind: str
) -> None:
    require_staff(actor, "change frameworks")
    title = _check_criterion(criterion.group, title, kind, criterion)
    before = audit.snapshot(criterion, CRITERION_FIELDS)
    criterion.title, criterion.kind = title, kind
    criterion.question, criterion.guidance = (question or "").strip(), (guidance or "").strip()
    db.session.flush()
    old, new = audit.changed(before, audit.snapshot(criterion, CRITERION_FIELDS))
    if new:
        audit.record(
            actor,
            "award_criteria.criterion_updated",
            "award_criterion",
            criterion.id,
            summary=f"{criterion.group.lot.label}: criterion {title} changed",
            before=old,
            after=new,
        )
    db.session.commit()


def criterion_in_use(criterion: AwardCriterion) -> bool:
    used = select(CompetitionCriterion.id).where(CompetitionCriterion.source_criterion_id == criterion.id).limit(1)
    return db.session.scalar(used) is not None


def criterion_removal_problem(criterion: AwardCriterion) -> str | None:
    if criterion_in_use(criterion):
        return f"{criterion.title} cannot be removed: competitions already use it. Change its wording instead."
    return None


def remove_criterion(actor: User, criterion: AwardCriterion) -> None:
    require_staff(actor, "change frameworks")
    problem = criterion_removal_problem(criterion)
    if problem:
        raise ConflictError(problem)
    group = criterion.group
    audit.record(
        actor,
        "award_criteria.criterion_removed",
        "award_criterion",
        criterion.id,
        summary=f"{group.lot.label}: criterion {criterion.title} removed from {group.name}",
        before=audit.snapshot(criterion, CRITERION_FIELDS),
    )
    group.criteria.remove(criterion)
    db.session.commit()
