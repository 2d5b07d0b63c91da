"""Opening, evaluation, moderation, results, award and standstill.

`bp` lives in blueprint.py, which the view modules import; importing them here registers their routes on it.
"""

from __future__ import annotations

from . import (  # noqa: F401  (registers their routes on bp)
    approval_views,
    declaration_views,
    dual_opening_views,
    letters_views,
    moderation_views,
    opening_views,
    outcome_views,
    panel_views,
    report_views,
    results_views,
    scoring_views,
)
from .blueprint import bp

__all__ = ["bp"]
