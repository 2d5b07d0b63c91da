"""The blueprint the supplier's bid views share, and small helpers they all use."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for

bp = Blueprint("bids", __name__, url_prefix="/bids")


def attach_error(form, error, default_field: str = "submit") -> None:
    """Show a service's error on the field it names (or a default) so the error summary links to it."""
    field = getattr(form, error.field, None) if error.field else None
    field = field if field is not None else getattr(form, default_field)
    field.errors = [*field.errors, error.message]


def to_competition(competition_id: int, anchor: str | None = "your-bid"):
    return redirect(url_for("bids.competition", competition_id=competition_id, _anchor=anchor))
