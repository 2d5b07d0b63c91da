"""Framework staff: buyer organisations, users and invitations, the audit log,
supplier change review and the outbox.

`bp` lives in blueprint.py, which the view modules import; importing them here registers their routes on it.
"""

from __future__ import annotations

from . import (  # noqa: F401  (registers their routes on bp)
    audit_views,
    organisation_views,
    outbox_views,
    user_views,
)
from .blueprint import bp

__all__ = ["bp"]
