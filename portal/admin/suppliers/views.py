"""Framework staff: suppliers, lot memberships, price cards, accreditations and exclusions."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin_suppliers", __name__, url_prefix="/admin/suppliers")
