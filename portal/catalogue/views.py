"""Catalogue: browse frameworks, lots and suppliers; search; compare."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")
