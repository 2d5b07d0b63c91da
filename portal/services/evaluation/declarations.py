"""Conflicts of interest from everyone who influences the decision (PA 2023 s.81-83; PCR 2015 reg 24).

Each person declares, per supplier, before they act, in the capacity they act in:
- opener: the officers who start and confirm the opening of the bids, against the INVITED suppliers (before
  opening nobody on the buyer's side may know who bid: the seal);
- evaluator: per bidding supplier once the bids are open (portal.services.evaluation.panel; the seal and scoring
  rules are in portal.services.evaluation.conflicts);
- moderator, recommender, approver: per bidding supplier, once the bids are open.

A declared conflict keeps the person from the action unless another procurement officer of the buying organisation
(never the declarant) records how it is mitigated. The services that act (opening.start and opening.confirm,
moderation.record_moderated_score and complete_moderation, award.recommend and award.approve) call `require`, which
refuses with a message saying what to do. Every declaration and mitigation is audited in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from portal.domain.competition_lifecycle import CompetitionState
from portal.domain.roles import BUYER_SIDE, Role
from portal.extensions import db
from portal.models import Competition, ConflictDeclaration, Supplier, User
from portal.models.base import utcnow
from portal.services import audit
from portal.services.competitions import access
from portal.services.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from portal.services.evaluation import conflicts

S = CompetitionState

OFFICER_ROLES = ("opener", "moderator", "recommender", "approver")
ROLE_ORDER = ("opener", "evaluator", "moderator", "recommender", "approver")
ROLE_LABELS = {
    "opener": "Opening the bids (starting or confirming)",
    "evaluator": "Evaluator",
    "moderator": "Moderator",
    "recommender": "Recommending the award",
    "approver": "Approving the award",
}
ACTIONS = {
    "opener": "start or confirm the opening of the bids",
    "evaluator": "see or score any bid",
    "moderator": "moderate the scores",
    "recommender": "recommend the award",
    "approver": "approve the award",
}


class DeclarationRequired(ConflictError):
    """The actor has not declared, for every supplier, in the capacity the action needs; `role` names it, so the
    page can link to the declaration."""

    def __init__(self, message: str, role: str, field: str | None = None):
        super().__init__(message, field=field)
        self.role = role


class ConflictedActorError(DeclarationRequired):
    """The actor declared a conflict that no other officer has mitigated."""


def suppliers_for(competition: Competition, role: str) -> list[Supplier]:
    """Whom this role declares against: the invited suppliers for the opener (the seal), the bidders otherwise."""
    if role == "opener":
        return sorted((i.supplier for i in competition.invitations), key=lambda s: s.legal_name)
    if competition.opened_at is None:
        return []
    return conflicts.bidding_suppliers(competition)


def problem(user: User, competition: Competition, role: str) -> DeclarationRequired | None:
    """Why `user` may not act in `role` now (undeclared, or an unmitigated conflict), or None if they may."""
    action = ACTIONS[role]
    suppliers = suppliers_for(competition, role)
    declared = conflicts.declarations(user.id, competition, role)
    if any(s.id not in declared for s in suppliers):
        who = "the invited suppliers" if role == "opener" else "each supplier that bid"
        return DeclarationRequired(
            f"{user.name} must declare any conflict of interest with {who} before they {action}", role
        )
    barred = [declared[s.id].supplier.short_name for s in suppliers if declared[s.id].bars]
    if barred:
        return ConflictedActorError(
            f"{user.name} declared a conflict of interest with {', '.join(barred)} that no other officer has "
            f"mitigated, so cannot {action}",
            role,
        )
    return None


def require(user: User, competition: Competition, role: str, field: str | None = None) -> None:
    """Raise DeclarationRequired (or ConflictedActorError) unless `user` may act in `role`."""
    refused = problem(user, competition, role)
    if refused is not None:
        refused.field = field
        raise refused


# --- Declaring -----------------------------------------------------------------------------------------------------


def declarant_competition(user: User, competition_id: int, role: str) -> Competition:
    """The competition, if `user` may declare in `role`: any buyer-side colleague may declare to open; the moderator
    and recommender are procurement officers; the approver an approver. 404 or 403 otherwise."""
    if role not in OFFICER_ROLES:
        raise NotFoundError("Page not found")
    if role == "opener":
        if user.role not in BUYER_SIDE:
            raise PermissionDeniedError("Only the buying organisation's staff can declare for the opening")
        competition = db.session.get(Competition, competition_id)
        if competition is None or competition.buyer_organisation_id != user.buyer_organisation_id:
            raise NotFoundError("Competition not found")
        return competition
    competition = access.get_for_officer(user, competition_id)
    if role == "approver" and user.role != Role.APPROVER:
        raise PermissionDeniedError("Only an approver can declare as the approver")
    return competition


def declaring_open(competition: Competition, role: str, now: datetime | None = None) -> str | None:
    """Why nobody can declare in this role now, or None."""
    state = access.state(competition, now or utcnow())
    if state in (S.DRAFT, S.CANCELLED):
        return f"Declarations cannot be made because the competition is {state.label.lower()}"
    if role == "opener" and competition.opened_at is not None:
        return "The bids have been opened"
    if role != "opener" and competition.opened_at is None:
        return "You can declare once the bids have been opened and the suppliers that bid are known"
    done = {"moderator": competition.moderated_at, "recommender": competition.recommended_at}.get(role)
    if done is not None or (role == "approver" and competition.approved_at is not None):
        return "This step has already been taken"
    return None


def pending_suppliers(user: User, competition: Competition, role: str) -> list[Supplier]:
    declared = conflicts.declarations(user.id, competition, role)
    return [s for s in suppliers_for(competition, role) if s.id not in declared]


class DeclarationIncomplete(ValidationError):
    """Some suppliers lack an answer or details; `problems` holds one error per field, so every one of them shows in
    the error summary at once."""

    def __init__(self, problems: list[ValidationError]):
        super().__init__(problems[0].message, field=problems[0].field)
        self.problems = problems


def answer_problems(pending, answers: Mapping[int, tuple[object, str]]) -> list[ValidationError]:
    problems = []
    for supplier in pending:
        answer, details = answers.get(supplier.id, (None, ""))
        if answer not in ("yes", "no"):
            problems.append(
                ValidationError(
                    f"Select yes if you have a conflict of interest with {supplier.legal_name}",
                    field=f"conflict_{supplier.id}",
                )
            )
        elif answer == "yes" and not (details or "").strip():
            problems.append(
                ValidationError(
                    f"Enter details of the conflict of interest with {supplier.legal_name}",
                    field=f"details_{supplier.id}",
                )
            )
    return problems


def record_answers(
    user: User, competition: Competition, role: str, pending, answers: Mapping[int, tuple[object, str]]
) -> list[ConflictDeclaration]:
    """Validate and add one declaration per pending supplier, audited (the caller commits)."""
    problems = answer_problems(pending, answers)
    if problems:
        raise DeclarationIncomplete(problems)
    made = []
    for supplier in pending:
        answer, details = answers[supplier.id]
        made.append(
            ConflictDeclaration(
                competition_id=competition.id,
                user_id=user.id,
                supplier_id=supplier.id,
                role=role,
                has_conflict=answer == "yes",
                details=(details or "").strip() if answer == "yes" else "",
            )
        )
    db.session.add_all(made)
    conflicted = [d for d in made if d.has_conflict]
    noun = "invited" if role == "opener" else "bidding"
    capacity = "" if role == "evaluator" else f" ({ROLE_LABELS[role].lower()})"
    audit.record(
        user,
        "competition.conflict_declared",
        "competition",
        competition.id,
        summary=f"{user.name} declared a conflict of interest with {len(conflicted)} of {len(made)} {noun} "
        f"suppliers{capacity}",
        after={
            "role": role,
            "declarations": {
                s.short_name: {"has_conflict": d.has_conflict, "details": d.details}
                for s, d in zip(pending, made, strict=True)
            },
        },
    )
    return made


def declare(
    user: User, competition_id: int, role: str, answers: Mapping[int, tuple[object, str]]
) -> list[ConflictDeclaration]:
    """Record `user`'s answer, in `role`, for every supplier not yet declared. `answers`: supplier id -> ("yes" or
    "no", details)."""
    competition = declarant_competition(user, competition_id, role)
    if closed := declaring_open(competition, role):
        raise ConflictError(closed)
    pending = pending_suppliers(user, competition, role)
    if not pending:
        raise ConflictError("You have already declared your interests for every supplier")
    made = record_answers(user, competition, role, pending, answers)
    db.session.commit()
    return made


# --- Mitigation and the record -------------------------------------------------------------------------------------


def mitigation_refusal(competition: Competition, declaration: ConflictDeclaration) -> str | None:
    """Why this conflict can no longer be mitigated (its action is done), or None."""
    if declaration.role == "evaluator":
        return None  # panel.record_mitigation keeps its own rule (until moderation is complete)
    if access.state(competition, utcnow()) is S.CANCELLED:
        return "The competition is cancelled"
    done = {
        "opener": competition.opened_at,
        "moderator": competition.moderated_at,
        "recommender": competition.recommended_at,
        "approver": competition.approved_at,
    }[declaration.role]
    return "This step has already been taken, so the conflict can no longer be mitigated" if done else None


@dataclass(frozen=True)
class RecordRow:
    role: str
    declaration: ConflictDeclaration

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]


def competition_record(competition: Competition, *, include_evaluators: bool = True) -> list[RecordRow]:
    """Every declaration in the competition with its mitigation, by role, person and supplier.

    Before the bids are opened only the opening's declarations exist (against invited suppliers), so nothing here
    says who bid."""
    query = select(ConflictDeclaration).where(ConflictDeclaration.competition_id == competition.id)
    if not include_evaluators:
        query = query.where(ConflictDeclaration.role != "evaluator")
    if competition.opened_at is None:  # the seal: only the opening's declarations, against invited suppliers
        query = query.where(ConflictDeclaration.role == "opener")
    rows = db.session.scalars(query).all()
    rows = sorted(
        rows,
        key=lambda d: (ROLE_ORDER.index(d.role), d.user.name, d.supplier.legal_name),
    )
    return [RecordRow(d.role, d) for d in rows]
