"""The blueprint the people and oversight views share, and small helpers they all use."""

from __future__ import annotations

from flask import Blueprint, request

bp = Blueprint("admin_people", __name__, url_prefix="/admin")


def page_number() -> int:
    """The ?page= argument; anything odd means the first page rather than an error."""
    page = request.args.get("page", 1, type=int)
    return page if page and page > 0 else 1
