"""The blueprint of the framework staff's supplier pages."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin_suppliers", __name__, url_prefix="/admin/suppliers")
