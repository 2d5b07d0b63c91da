"""Supplier bids: the routes live in one module per area; importing them here registers them on `bp`.

Every route acts on the signed-in supplier's own bid (never a supplier id from the URL); ids of
another supplier's competition, bid, attachment or receipt answer 404.
"""

from __future__ import annotations

from portal.bids import draft_views, file_views, invitation_views, submission_views  # noqa: F401
from portal.bids.blueprint import bp

__all__ = ["bp"]
