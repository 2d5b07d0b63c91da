"""Buyer side of mini-competitions: building, publishing, extending and cancelling.

`bp` lives in blueprint.py, which the view modules import; importing them here registers their routes on it.
"""

from __future__ import annotations

from . import (  # noqa: F401  (registers their routes on bp)
    criteria_views,
    section_views,
    tender_document_views,
    views,
)
from .blueprint import bp

__all__ = ["bp"]
