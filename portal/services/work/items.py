"""One thing a person has to do, as their home page lists it: what, about which, where to do it, and by when."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from portal.domain import work_queue as rules
from portal.domain.work_queue import Urgency


@dataclass(frozen=True, slots=True)
class WorkItem:
    title: str  # what to do: "Answer 2 clarification questions"
    subject: str  # what it is about: "MC-0001 Social media platform"
    endpoint: str  # where the work is done: the Flask endpoint, built into a link by the template
    values: tuple[tuple[str, int | str], ...] = ()  # the endpoint's URL values
    due_at: date | datetime | None = None  # UTC datetime (a deadline) or a London date (a planned day)
    detail: str = ""  # one more line: what blocks it, its state, how long it has waited
    label: str = ""  # the tag's text; the due wording when empty
    urgency: Urgency = Urgency.NONE

    @property
    def url_values(self) -> dict[str, int | str]:
        return dict(self.values)

    @property
    def tag_class(self) -> str:
        return self.urgency.tag_class


def item(
    title: str,
    subject: str,
    endpoint: str,
    now: datetime,
    *,
    values: Mapping[str, int | str] | None = None,
    due_at: date | datetime | None = None,
    detail: str = "",
    label: str = "",
    urgency: Urgency | None = None,
) -> WorkItem:
    """A work item whose tag reads its due date ("Due in 3 days") unless a label is given."""
    found = urgency if urgency is not None else rules.urgency_of(due_at, now)
    label = label or rules.due_wording(due_at, now)
    return WorkItem(title, subject, endpoint, tuple(sorted((values or {}).items())), due_at, detail, label, found)


def named(reference: str, title: str) -> str:
    return f"{reference}: {title}"
