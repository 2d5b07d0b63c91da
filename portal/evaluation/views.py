"""Opening bids, conflicts, scoring, moderation, results, award approval, standstill and outcomes."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("evaluation", __name__, url_prefix="/evaluation")
