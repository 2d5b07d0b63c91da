"""Transparency notices: the buyer's notice pages (read, download JSON, record publication) and the public feed.

`bp` lives in blueprint.py, which the view modules import; importing them here registers their routes on it.
"""

from __future__ import annotations

from . import (  # noqa: F401  (registers their routes on bp)
    contract_copy_views,
    feed_views,
    views,
)
from .blueprint import bp

__all__ = ["bp"]
