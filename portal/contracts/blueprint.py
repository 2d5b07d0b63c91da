"""The contracts blueprint, and the helpers its view modules share to serve both kinds of call-off."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, url_for
from flask_login import current_user

from portal.services.contracts.call_offs import COMPETITION, DIRECT_AWARD
from portal.services.documents import register

bp = Blueprint("contracts", __name__, url_prefix="/contracts")


def call_off_of(competition_id: int | None, direct_award_id: int | None) -> tuple[str, int]:
    if competition_id is not None:
        return (COMPETITION, competition_id)
    if direct_award_id is None:  # every route names one or the other
        raise ValueError("a contract is a competition's or a direct award's")
    return (DIRECT_AWARD, direct_award_id)


def contract_url(kind: str, call_off_id: int, endpoint: str = "contracts.show", **values) -> str:
    key = "competition_id" if kind == COMPETITION else "direct_award_id"
    route_values: dict[str, Any] = {key: call_off_id}
    return url_for(endpoint, **route_values, **values)


@bp.app_template_global("call_off_contract")
def latest_contract(kind: str, call_off_id: int):
    """The latest contract version of a call-off, if the signed-in user may read it (for other areas' pages)."""
    latest = register.latest_in_series(f"call_off_contract:{kind}:{call_off_id}")
    return latest if latest is not None and register.readable(current_user, latest) else None
