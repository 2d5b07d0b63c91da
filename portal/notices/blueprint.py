"""The notices blueprint: a call-off's transparency notices, and the public OCDS feed of a framework's call-offs."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, url_for

from portal.services.contracts.call_offs import COMPETITION, DIRECT_AWARD

bp = Blueprint("notices", __name__)


def call_off_of(competition_id: int | None, direct_award_id: int | None) -> tuple[str, int]:
    if competition_id is not None:
        return (COMPETITION, competition_id)
    if direct_award_id is None:  # every route names one or the other
        raise ValueError("a notice is a competition's or a direct award's")
    return (DIRECT_AWARD, direct_award_id)


@bp.app_template_global("notice_url")
def notice_url(kind: str, call_off_id: int, endpoint: str = "notices.index", **values: Any) -> str:
    key = "competition_id" if kind == COMPETITION else "direct_award_id"
    route_values: dict[str, Any] = {key: call_off_id, **values}
    return url_for(endpoint, **route_values)


# OCDS partyRole codes in words; an unlisted code is split at its capitals ("reviewBody" -> "review body").
PARTY_ROLE_WORDS = {"buyer": "buyer", "procuringEntity": "procuring entity", "supplier": "supplier"}


@bp.app_template_filter("ocds_party_role")
def ocds_party_role(code: str) -> str:
    return PARTY_ROLE_WORDS.get(code) or re.sub(r"(?<!^)(?=[A-Z])", " ", code).lower()
