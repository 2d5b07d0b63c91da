"""Framework staff: suppliers, lot memberships, price cards, accreditations and exclusions.

`bp` lives in blueprint.py, which the view modules import; importing them here registers their routes on it.
"""

from __future__ import annotations

from . import (  # noqa: F401  (registers their routes on bp)
    lots_views,
    records_views,
    views,
)
from .blueprint import bp

__all__ = ["bp"]
