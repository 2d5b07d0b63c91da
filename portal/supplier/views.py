"""Supplier self-service: profile, capability evidence, accreditations, colleagues."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("supplier", __name__, url_prefix="/supplier")
