"""Direct awards: requirement, capability match, objective selection, frozen shortlist, approval.

`bp` lives in blueprint.py, which the view modules import; importing them here registers their routes on it.
"""

from __future__ import annotations

from . import (  # noqa: F401  (registers their routes on bp)
    award_views,
    compete_views,
    supplier_views,
    views,
)
from .blueprint import bp

__all__ = ["bp"]
