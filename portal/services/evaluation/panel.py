"""The evaluation panel: who evaluates, which quality criteria each scores, their conflict-of-interest declarations
per bidding supplier (PA 2023 s.81-83) and the buyer's mitigations.

- A procurement officer assigns a colleague to the panel and to one or more quality criteria (all by default);
  the criteria can be changed per evaluator, but not away from a criterion they have already scored.
- Once the bidders are known (the bids are opened), each evaluator declares for every bidding supplier, in one
  go, yes or no with details. Until then they see no bid (portal.services.conflicts, the seal).
- A declared conflict keeps them from that supplier's bid unless a procurement officer of the organisation, other
  than the evaluator, records a mitigation.
Every change is audited in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from portal.domain.competition_lifecycle import CompetitionState
from portal.extensions import db
from portal.models import Competition, CompetitionEvaluator, ConflictDeclaration, EvaluatorAssignment, Score, User
from portal.models.base import utcnow
from portal.services import audit
from portal.services.competitions import access
from portal.services.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from portal.services.evaluation import declarations, handoffs
from portal.services.evaluation.scoring_adapter import quality_leaves
from portal.services.evaluation.workflow import (
    assigned_competition,
    conflicts,
    officer_competition,
    organisation_user,
    start_evaluation_if_ready,
)

S = CompetitionState


@dataclass(frozen=True)
class EvaluatorRow:
    user: User
    criteria: list
    declarations: list[ConflictDeclaration]
    undeclared: list
    scored: int

    @property
    def declared(self) -> bool:
        return bool(self.declarations) and not self.undeclared


def evaluator_rows(competition: Competition) -> list[EvaluatorRow]:
    """Each panel member with their criteria, declarations by supplier and how many scores they have entered."""
    panel = db.session.scalars(
        select(CompetitionEvaluator).where(CompetitionEvaluator.competition_id == competition.id)
    ).all()
    leaves = quality_leaves(competition.criteria)
    bidders = conflicts.bidding_suppliers(competition)
    counts = dict(
        db.session.execute(
            select(Score.evaluator_id, func.count(Score.id))
            .where(Score.competition_id == competition.id)
            .group_by(Score.evaluator_id)
        ).all()
    )
    rows = []
    for member in panel:
        assigned = conflicts.assigned_criterion_ids(member.user_id, competition)
        declared = conflicts.declarations(member.user_id, competition)
        rows.append(
            EvaluatorRow(
                member.user,
                [c for c in leaves if c.id in assigned],
                [declared[s.id] for s in bidders if s.id in declared],
                [s for s in bidders if s.id not in declared],
                counts.get(member.user_id, 0),
            )
        )
    return sorted(rows, key=lambda row: row.user.name)


def _editable_evaluation(competition: Competition, now: datetime, field: str = "user_id") -> None:
    state = access.state(competition, now)
    if state in (S.DRAFT, S.CANCELLED) or competition.moderated_at is not None:
        raise ConflictError(
            f"Evaluators cannot be changed because the competition is {state.label.lower()}", field=field
        )


def _chosen_criteria(competition: Competition, criterion_ids: Iterable[object] | None) -> list:
    """The quality criteria chosen (all when None); at least one, each a quality criterion of this competition."""
    leaves = quality_leaves(competition.criteria)
    if criterion_ids is None:
        return leaves
    wanted = {str(i) for i in criterion_ids}
    chosen = [c for c in leaves if str(c.id) in wanted]
    if not chosen or len(chosen) != len(wanted):
        raise ValidationError("Select the criteria this evaluator will score", field="criterion_ids")
    return chosen


def assign_evaluator(
    user: User, competition_id: int, evaluator_id: int | str | None, criterion_ids: Iterable[object] | None = None
) -> User:
    """Put a colleague on the panel, to score the chosen quality criteria (all of them when None)."""
    competition = officer_competition(user, competition_id, for_update=True)
    now = utcnow()
    _editable_evaluation(competition, now)
    person = organisation_user(
        competition, evaluator_id, field="user_id", message="Choose an evaluator from your organisation"
    )
    if access.is_assigned_evaluator(person, competition):
        raise ValidationError(f"{person.name} is already an evaluator", field="user_id")
    chosen = _chosen_criteria(competition, criterion_ids)
    db.session.add(CompetitionEvaluator(competition_id=competition.id, user_id=person.id, assigned_by_id=user.id))
    for criterion in chosen:
        db.session.add(
            EvaluatorAssignment(
                competition_id=competition.id, user_id=person.id, criterion_id=criterion.id, assigned_by_id=user.id
            )
        )
    audit.record(
        user,
        "competition.evaluator_assigned",
        "competition",
        competition.id,
        summary=f"{person.name} assigned as an evaluator of {len(chosen)} criteria",
        after={"evaluator": person.email, "criteria": [c.title for c in chosen]},
    )
    db.session.flush()
    start_evaluation_if_ready(user, competition, now)
    if access.state(competition, now) is S.IN_EVALUATION:  # appointed after opening: they can score now
        handoffs.scores_due(competition, [person])
    db.session.commit()
    return person


def _panel_member(competition: Competition, evaluator_id: int) -> CompetitionEvaluator:
    row = db.session.scalar(
        select(CompetitionEvaluator).where(
            CompetitionEvaluator.competition_id == competition.id, CompetitionEvaluator.user_id == evaluator_id
        )
    )
    if row is None:
        raise NotFoundError("Evaluator not found")
    return row


def set_criteria(user: User, competition_id: int, evaluator_id: int, criterion_ids: Iterable[object] | None) -> list:
    """Change which quality criteria an evaluator scores. A criterion they have scored stays: scores stay on record."""
    competition = officer_competition(user, competition_id, for_update=True)
    _editable_evaluation(competition, utcnow(), field="criterion_ids")
    person = _panel_member(competition, evaluator_id).user
    chosen = _chosen_criteria(competition, criterion_ids if criterion_ids is not None else [])
    rows = db.session.scalars(
        select(EvaluatorAssignment).where(
            EvaluatorAssignment.competition_id == competition.id, EvaluatorAssignment.user_id == person.id
        )
    ).all()
    current = {r.criterion_id: r for r in rows}
    keep = {c.id for c in chosen}
    scored = set(
        db.session.scalars(
            select(Score.criterion_id).where(Score.competition_id == competition.id, Score.evaluator_id == person.id)
        )
    )
    dropped = [c for c in quality_leaves(competition.criteria) if c.id in current and c.id not in keep]
    for criterion in dropped:
        if criterion.id in scored:
            raise ConflictError(
                f"{person.name} has already scored {criterion.title}, so stays assigned to it", field="criterion_ids"
            )
        db.session.delete(current[criterion.id])
    for criterion in chosen:
        if criterion.id not in current:
            db.session.add(
                EvaluatorAssignment(
                    competition_id=competition.id, user_id=person.id, criterion_id=criterion.id, assigned_by_id=user.id
                )
            )
    titles = {c.id: c.title for c in quality_leaves(competition.criteria)}
    audit.record(
        user,
        "competition.evaluator_criteria_changed",
        "competition",
        competition.id,
        summary=f"{person.name} now scores {len(chosen)} criteria",
        before={"evaluator": person.email, "criteria": [titles[i] for i in current if i in titles]},
        after={"evaluator": person.email, "criteria": [c.title for c in chosen]},
    )
    db.session.commit()
    return chosen


def remove_evaluator(user: User, competition_id: int, evaluator_id: int) -> User:
    """Take an evaluator off the panel. Someone who has scored stays: scores stay on record."""
    competition = officer_competition(user, competition_id, for_update=True)
    _editable_evaluation(competition, utcnow())
    row = _panel_member(competition, evaluator_id)
    person = row.user
    if db.session.scalar(
        select(Score.id).where(Score.competition_id == competition.id, Score.evaluator_id == person.id)
    ):
        raise ConflictError(f"{person.name} has already scored bids, so cannot be removed: their scores stay on record")
    declared = conflicts.declarations(person.id, competition)
    for declaration_row in declared.values():
        db.session.delete(declaration_row)
    for item in db.session.scalars(
        select(EvaluatorAssignment).where(
            EvaluatorAssignment.competition_id == competition.id, EvaluatorAssignment.user_id == person.id
        )
    ):
        db.session.delete(item)
    db.session.delete(row)
    audit.record(
        user,
        "competition.evaluator_removed",
        "competition",
        competition.id,
        summary=f"{person.name} removed as an evaluator",
        before={
            "evaluator": person.email,
            "declared_conflicts": sorted(d.supplier.short_name for d in declared.values() if d.has_conflict),
        },
    )
    db.session.commit()
    return person


# --- Declarations and mitigations ----------------------------------------------------------------------------------


def declaration_form_suppliers(user: User, competition: Competition) -> list:
    """The bidding suppliers this evaluator has still to declare for."""
    declared = conflicts.declarations(user.id, competition)
    return [s for s in conflicts.bidding_suppliers(competition) if s.id not in declared]


DeclarationIncomplete = declarations.DeclarationIncomplete


def declare_conflicts(
    user: User, competition_id: int, answers: Mapping[int, tuple[object, str]]
) -> list[ConflictDeclaration]:
    """Record the evaluator's answer for every bidding supplier not yet declared.

    `answers` maps supplier id to ("yes" or "no", details)."""
    competition = assigned_competition(user, competition_id)
    if access.state(competition, utcnow()) in (S.DRAFT, S.PUBLISHED, S.CLOSED, S.CANCELLED):
        # The seal: who bid is not known to anyone on the buyer's side until the bids are opened.
        raise ConflictError("You can declare once the bids have been opened and the suppliers that bid are known")
    pending = declaration_form_suppliers(user, competition)
    if not pending:
        raise ConflictError("You have already declared your interests for every bidding supplier")
    made = declarations.record_answers(user, competition, "evaluator", pending, answers)
    db.session.commit()
    return made


def record_mitigation(user: User, competition_id: int, declaration_id: int, mitigation: str) -> ConflictDeclaration:
    """A procurement officer (not the declarant) records how a declared conflict is managed, which lets the evaluator
    see and score that supplier's bid, or the opener, moderator, recommender or approver act."""
    competition = officer_competition(user, competition_id, for_update=True)
    declaration = db.session.get(ConflictDeclaration, declaration_id)
    if declaration is None or declaration.competition_id != competition.id:
        raise NotFoundError("Declaration not found")
    if declaration.role == "evaluator":
        _editable_evaluation(competition, utcnow(), field="mitigation")
    elif refused := declarations.mitigation_refusal(competition, declaration):
        raise ConflictError(refused, field="mitigation")
    if declaration.user_id == user.id:
        raise PermissionDeniedError(
            "You cannot record a mitigation for your own conflict of interest", field="mitigation"
        )
    if not declaration.has_conflict:
        raise ConflictError("No conflict of interest was declared, so there is nothing to mitigate", field="mitigation")
    if declaration.mitigation is not None:
        raise ConflictError("A mitigation has already been recorded for this conflict", field="mitigation")
    mitigation = (mitigation or "").strip()
    if not mitigation:
        raise ValidationError("Enter how the conflict of interest is mitigated", field="mitigation")
    declaration.mitigation, declaration.mitigated_by_id, declaration.mitigated_at = mitigation, user.id, utcnow()
    audit.record(
        user,
        "competition.conflict_mitigated",
        "competition",
        competition.id,
        summary=f"{user.name} recorded a mitigation for {declaration.user.name}'s conflict with "
        f"{declaration.supplier.short_name}",
        after={
            "evaluator" if declaration.role == "evaluator" else "declarant": declaration.user.email,
            "role": declaration.role,
            "supplier": declaration.supplier.short_name,
            "details": declaration.details,
            "mitigation": mitigation,
        },
    )
    db.session.commit()
    return declaration


def declaration(competition: Competition, declaration_id: int) -> ConflictDeclaration:
    found = db.session.get(ConflictDeclaration, declaration_id)
    if found is None or found.competition_id != competition.id:
        raise NotFoundError("Declaration not found")
    return found
