"""Framework staff: buyer organisations, users and invitations, the audit log,
supplier change review and the outbox."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin_people", __name__, url_prefix="/admin")
