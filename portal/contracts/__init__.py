"""Call-off contracts: the contract page of a competition or direct award, generating and signing it, and KPIs.

`bp` lives in blueprint.py, which the view modules import; importing them here registers their routes on it.
"""

from __future__ import annotations

from . import (  # noqa: F401  (registers their routes on bp)
    data_protection_views,
    kpi_views,
    register_views,
    views,
)
from .blueprint import bp

__all__ = ["bp"]
