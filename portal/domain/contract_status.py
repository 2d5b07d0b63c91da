"""Where a call-off contract stands, derived from its dates and events, never stored.

A contract is not started before its start date (or while the parties have not agreed one), active from its start
date to its end date (both inclusive: the end date is the term's last day, call_off_terms.contract_end_on), ending
within 6 months once its end date is no more than six calendar months away (the time to prepare an extension or a
re-procurement), ended after its end date, and terminated from the day an early termination took effect. Dates are
Europe/London calendar days (the caller passes today_london()).
"""

from __future__ import annotations

from datetime import date
from enum import Enum

from portal.domain.framework_term import add_months

ENDING_SOON_MONTHS = 6


class ContractStatus(Enum):
    NOT_STARTED = "not_started"
    ACTIVE = "active"
    ENDING_SOON = "ending_soon"
    ENDED = "ended"
    TERMINATED = "terminated"

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def tag_class(self) -> str:
        """The GOV.UK tag colour the register shows the status in."""
        return TAG_CLASSES[self]


LABELS = {
    ContractStatus.NOT_STARTED: "Not started",
    ContractStatus.ACTIVE: "Active",
    ContractStatus.ENDING_SOON: "Ending within 6 months",
    ContractStatus.ENDED: "Ended",
    ContractStatus.TERMINATED: "Terminated",
}
TAG_CLASSES = {
    ContractStatus.NOT_STARTED: "govuk-tag--blue",
    ContractStatus.ACTIVE: "govuk-tag--green",
    ContractStatus.ENDING_SOON: "govuk-tag--yellow",
    ContractStatus.ENDED: "govuk-tag--grey",
    ContractStatus.TERMINATED: "govuk-tag--red",
}


def status_on(
    today: date, start_on: date | None, end_on: date | None, terminated_on: date | None = None
) -> ContractStatus:
    """The contract's status on `today` (a London date)."""
    if terminated_on is not None and today >= terminated_on:
        return ContractStatus.TERMINATED
    if start_on is None or today < start_on:
        return ContractStatus.NOT_STARTED
    if end_on is None:
        return ContractStatus.ACTIVE
    if today > end_on:
        return ContractStatus.ENDED
    if end_on <= add_months(today, ENDING_SOON_MONTHS):
        return ContractStatus.ENDING_SOON
    return ContractStatus.ACTIVE


def parse(value: str) -> ContractStatus | None:
    """A status from a filter's value, or None for an unknown one (the filter is then ignored)."""
    try:
        return ContractStatus(value)
    except ValueError:
        return None
