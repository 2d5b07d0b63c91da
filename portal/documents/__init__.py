"""Documents: the routes to download issued PDFs and the public authenticity check.

The PDFs are built and rendered by portal/services/documents/.

`bp` lives in blueprint.py, which the view modules import; importing them here registers their routes on it.
"""

from __future__ import annotations

from . import views  # noqa: F401  (registers its routes on bp)
from .blueprint import bp

__all__ = ["bp"]
