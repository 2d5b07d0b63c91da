"""The evaluation blueprint and helpers its view modules share."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("evaluation", __name__, url_prefix="/evaluation")


def attach_error(form, error) -> None:
    """Show a service's error on the field it names (or the submit button), for the GOV.UK error summary."""
    field = getattr(form, error.field, None) if error.field else None
    (field if field is not None else form.submit).errors.append(error.message)
