"""Framework staff: frameworks, lots, capabilities, price items and extension options."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin_frameworks", __name__, url_prefix="/admin/frameworks")
