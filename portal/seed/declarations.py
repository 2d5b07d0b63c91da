"""Demo conflict declarations from everyone who influences the decision (PA 2023 s.81-83; PCR 2015 reg 24).

The officers who start and confirm the opening declare against the invited suppliers before the bids are opened;
the moderator, the officer who recommends and the approver declare per bidding supplier before they act.
The demo's officers have no conflict.
Declarations go through the service (portal.services.evaluation.declarations), so they are validated and audited,
then are dated just before the step they cover.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import Competition, ConflictDeclaration, User
from portal.services.evaluation import declarations


def declare_none(user: User, competition: Competition, role: str) -> None:
    """`user` declares no conflict, in `role`, with every supplier they have still to declare for."""
    pending = declarations.pending_suppliers(user, competition, role)
    if pending:
        declarations.declare(user, competition.id, role, {s.id: ("no", "") for s in pending})


def date_declarations(competition: Competition) -> None:
    """Each officer's declaration dated a couple of hours before the step it covers (evaluators' are dated by the
    panel)."""
    steps = {
        "opener": competition.opened_at,
        "moderator": competition.evaluation_started_at,
        "recommender": competition.moderated_at,
        "approver": competition.recommended_at,
    }
    for row in db.session.scalars(
        select(ConflictDeclaration).where(
            ConflictDeclaration.competition_id == competition.id, ConflictDeclaration.role != "evaluator"
        )
    ):
        when = steps[row.role]
        if when is not None:
            row.declared_at = when - timedelta(hours=2) if row.role == "opener" else when + timedelta(hours=2)
