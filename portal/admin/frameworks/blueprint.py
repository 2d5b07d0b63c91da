"""The blueprint of the framework staff's framework pages, and the save-or-show-the-error step they share."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect

from portal.forms_common import attach_error
from portal.services.errors import ConflictError, ValidationError

bp = Blueprint("admin_frameworks", __name__, url_prefix="/admin/frameworks")


def save(form, action: Callable[[], object], message: str, target: str):
    """Run a service call for a valid form: flash and redirect, or keep the form with the error on it."""
    if not form.validate_on_submit():
        return None
    try:
        action()
    except (ValidationError, ConflictError) as error:
        attach_error(form, error)
        return None
    flash(message, "success")
    return redirect(target)
