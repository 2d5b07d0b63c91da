"""The clarifications blueprint (supplier and buyer pages)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("clarifications", __name__)
