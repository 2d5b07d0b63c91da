"""The catalogue blueprint."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")
