"""The blueprint the people and oversight views share, and small helpers they all use."""

from __future__ import annotations

from flask import Blueprint, request

from portal.domain import whole_numbers

bp = Blueprint("admin_people", __name__, url_prefix="/admin")


def page_number() -> int:
    """The ?page= argument; anything odd means the first page rather than an error."""
    return whole_numbers.page_number(request.args.get("page"))
