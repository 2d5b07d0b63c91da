"""Dating a demo competition's milestones back in time, after its (past) deadline, in lifecycle order.

The demo builds a competition through the services at today's date and then moves it back (portal/seed/
competitions.py); these rewrite the timestamps the services set, each rewrite recorded as a `demo.seeded` audit
event. A standstill is never typed: its end is recomputed from its redated start by the code the services use.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    Competition,
    CompetitionEvaluator,
    ConflictDeclaration,
    EvaluatorAssignment,
    ModeratedScore,
    Score,
)
from portal.seed import declarations as seed_declarations
from portal.seed.common import SEED_EVENT
from portal.services import audit
from portal.services.notices import standstill


def _seeded(competition: Competition, summary: str, **after) -> None:
    audit.record(None, SEED_EVENT, "competition", competition.id, summary=f"Demo data: {summary}", after=after)


def _has(value: datetime | None) -> datetime:
    if value is None:
        raise RuntimeError("a demo competition is missing a date its lifecycle should have set")
    return value


def date_panel(competition: Competition, opened: datetime) -> None:
    """The panel was assigned and declared its interests when the bids were opened, before any score; the opening
    was started a few minutes before a colleague confirmed it."""
    if competition.opening_started_at is not None:
        competition.opening_started_at = opened - timedelta(minutes=7)
    panel_dates = (
        (CompetitionEvaluator, "assigned_at"),
        (EvaluatorAssignment, "assigned_at"),
        (ConflictDeclaration, "declared_at"),
    )
    for model, column in panel_dates:
        for row in db.session.scalars(select(model).where(model.competition_id == competition.id)):
            setattr(row, column, opened + timedelta(hours=1))
    for row in db.session.scalars(
        select(ConflictDeclaration).where(
            ConflictDeclaration.competition_id == competition.id, ConflictDeclaration.mitigated_at.is_not(None)
        )
    ):
        row.mitigated_at = opened + timedelta(hours=3)
    seed_declarations.date_declarations(competition)


def date_lifecycle(competition: Competition) -> None:
    """Spread the post-deadline milestones over the weeks after the (past) deadline, in lifecycle order."""
    deadline = _has(competition.submission_deadline_at)
    steps = {
        "opened_at": 1,
        "evaluation_started_at": 1,
        "moderated_at": 9,
        "recommended_at": 10,
        "approved_at": 12,
        "assessment_summaries_sent_at": 12,
    }
    for name, days in steps.items():
        setattr(competition, name, deadline + timedelta(days=days, hours=2))
    if competition.standstill_started_at is not None:
        # PCR 2015: it ran from the letters; its end is computed by the code the buyer's sending uses, not typed.
        started = _has(competition.assessment_summaries_sent_at)
        competition.standstill_started_at = started
        competition.standstill_ends_at = standstill.ends_if_started(competition, started)
    date_panel(competition, _has(competition.opened_at))
    for row in db.session.scalars(select(Score).where(Score.competition_id == competition.id)):
        row.scored_at = deadline + timedelta(days=5)
    for moderated in db.session.scalars(select(ModeratedScore).where(ModeratedScore.competition_id == competition.id)):
        moderated.moderated_at = deadline + timedelta(days=9)
    _seeded(
        competition,
        f"{competition.reference} lifecycle dated after its deadline",
        approved_at=competition.approved_at,
        standstill_ends_at=competition.standstill_ends_at,
    )
    db.session.commit()
