"""Opening bids, conflicts, scoring, moderation, results, award approval, standstill and outcomes.

The routes live in one module per area; importing them here registers them on `bp`.
"""

from __future__ import annotations

from portal.evaluation import (  # noqa: F401
    letters_views,
    moderation_views,
    opening_views,
    outcome_views,
    panel_views,
    results_views,
    scoring_views,
)
from portal.evaluation.blueprint import bp

__all__ = ["bp"]
