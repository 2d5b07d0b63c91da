"""Framework staff: buyer organisations, users and invitations, the audit log,
supplier change review and the outbox.

The routes live in one module per area; importing them here registers them on `bp`.
"""

from __future__ import annotations

from portal.admin.people import audit_views, organisation_views, outbox_views, user_views  # noqa: F401
from portal.admin.people.blueprint import bp

__all__ = ["bp"]
