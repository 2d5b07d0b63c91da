"""The builder's task list: each section's status, and what still stops publication.

Statuses are the GOV.UK task list's: Not yet started, In progress, Completed, and Cannot start yet (review
and publish, until every other section is complete). A published competition shows every section
Completed and read-only.

Tender documents are an optional section: they never stop publication and are not counted in the progress line;
the list says how many there are ("Optional" while there are none), and they may still change after publication.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Competition, TenderDocument
from portal.models.base import utcnow
from portal.services.competitions.builder import details_complete, is_draft
from portal.services.competitions.builder_criteria import criteria_problems, criteria_started
from portal.services.competitions.builder_terms import price_complete, timetable_problems, timetable_started
from portal.services.competitions.invitees import suppliers_complete, suppliers_confirmed

NOT_STARTED = "Not yet started"
IN_PROGRESS = "In progress"
COMPLETED = "Completed"
CANNOT_START = "Cannot start yet"

SECTIONS = (
    ("details", "Details"),
    ("criteria", "Criteria and weights"),
    ("price", "Price"),
    ("timetable", "Timetable"),
    ("suppliers", "Suppliers"),
)


@dataclass(frozen=True)
class Task:
    key: str
    title: str
    status: str
    optional: bool = False  # shown with its plain status, never blocking publication nor counted in progress


def _status(done: bool, started: bool) -> str:
    return COMPLETED if done else IN_PROGRESS if started else NOT_STARTED


def section_statuses(competition: Competition, now: datetime | None = None) -> dict[str, str]:
    if not is_draft(competition):
        return {key: COMPLETED for key, _ in SECTIONS}
    now = now or utcnow()
    details_started = bool(competition.statement_of_requirements or competition.planned_start_on)
    price_started = bool(competition.schedule_lines)
    return {
        "details": _status(details_complete(competition), details_started),
        "criteria": _status(not criteria_problems(competition), criteria_started(competition)),
        "price": _status(price_complete(competition), price_started),
        "timetable": _status(timetable_complete(competition, now), timetable_started(competition)),
        # Completed only once the buyer has confirmed the list: invitable suppliers alone are no decision.
        "suppliers": _status(
            suppliers_complete(competition), suppliers_confirmed(competition) or bool(competition.required_capabilities)
        ),
    }


def timetable_complete(competition: Competition, now: datetime) -> bool:
    return (
        not timetable_problems(competition, now)
        and competition.planned_evaluation_on is not None
        and competition.planned_award_on is not None
    )


def tasks(competition: Competition, now: datetime | None = None) -> list[Task]:
    statuses = section_statuses(competition, now)
    found = [Task(key, title, statuses[key]) for key, title in SECTIONS]
    if not is_draft(competition):
        review = COMPLETED
    else:
        review = NOT_STARTED if all(s == COMPLETED for s in statuses.values()) else CANNOT_START
    return [*found, tender_documents_task(competition), Task("review", "Review and publish", review)]


def tender_documents_task(competition: Competition) -> Task:
    count = db.session.scalar(
        select(func.count()).select_from(TenderDocument).where(TenderDocument.competition_id == competition.id)
    )
    status = "Optional" if not count else f"{count} document{'' if count == 1 else 's'}"
    return Task("tender_documents", "Tender documents", status, optional=True)


@dataclass(frozen=True)
class Progress:
    """The task list's summary line, counted from the same statuses the list shows (Review and publish aside)."""

    completed: int
    total: int

    @property
    def ready(self) -> bool:
        return self.completed == self.total


def progress(task_list: list[Task]) -> Progress:
    sections = [task for task in task_list if task.key != "review" and not task.optional]
    return Progress(sum(task.status == COMPLETED for task in sections), len(sections))


def incomplete_sections(competition: Competition, now: datetime | None = None) -> list[str]:
    statuses = section_statuses(competition, now)
    return [title for key, title in SECTIONS if statuses[key] != COMPLETED]
