"""Supplier side of mini-competitions: invitations, drafts, submission, receipts.

Every route acts on the signed-in supplier's own bid (never a supplier id from the URL); ids of
another supplier's competition, bid, attachment or receipt answer 404.

`bp` lives in blueprint.py, which the view modules import; importing them here registers their routes on it.
"""

from __future__ import annotations

from . import (  # noqa: F401  (registers their routes on bp)
    draft_views,
    file_views,
    invitation_views,
    submission_views,
)
from .blueprint import bp

__all__ = ["bp"]
