"""The direct awards blueprint, the template helpers its pages share, and the link back to the task list."""

from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, current_app, url_for

from portal.direct_awards.forms import CompeteForm
from portal.domain.timefmt import format_date, format_datetime
from portal.services.direct_awards import decisions
from portal.services.direct_awards import to_competition as carry_over

bp = Blueprint("direct_awards", __name__, url_prefix="/direct-awards")


@bp.context_processor
def _helpers():
    def mini_competition_url() -> str | None:
        # The mini-competition pages are built in parallel; link to them only once they exist.
        return url_for("competitions.index") if "competitions.index" in current_app.view_functions else None

    def iso_date(text: str | None) -> str:
        # Frozen shortlists hold dates as ISO text; show them like every other date.
        return format_date(date.fromisoformat(text)) if text else ""

    def iso_datetime(text: str | None) -> str:
        return format_datetime(datetime.fromisoformat(text)) if text else ""

    return {
        "mini_competition_url": mini_competition_url,
        "compete_form": CompeteForm,
        "carried_over_competition": carry_over.carried_over_competition,
        "award_status": decisions.status,
        "iso_date": iso_date,
        "iso_datetime": iso_datetime,
    }


def task_url(award) -> str:
    return url_for(".show", direct_award_id=award.id)
