"""Direct awards: requirement, quantities, results, freeze, award, approval and supplier acceptance."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("direct_awards", __name__, url_prefix="/direct-awards")
