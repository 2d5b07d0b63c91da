"""The blueprint of the buyer's mini-competition pages, and how it answers a lost race between two saves."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request
from sqlalchemy.orm.exc import StaleDataError

from portal.services.competitions import builder

bp = Blueprint("competitions", __name__, url_prefix="/competitions")


@bp.errorhandler(StaleDataError)
def lost_race(error):
    """Two officers saved the same draft at once (optimistic lock on Competition.version_id): the later save
    is refused with a message and the page reloads with what was saved, rather than a server error."""
    builder.discard_lost_race()
    flash(builder.STALE_MESSAGE, "error")
    return redirect(request.url)
