"""The supplier self-service blueprint."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("supplier", __name__, url_prefix="/supplier")
