"""The staff-only rule, written once: every service that only framework staff may use calls `require_staff`.

Finer rules (a supplier user editing its own supplier, a buyer reading its own organisation's documents) stay
beside the services they govern; this is only the check that many areas share.
"""

from __future__ import annotations

from portal.models import User
from portal.services.errors import PermissionDeniedError


def require_staff(actor: User | None, action: str = "do this") -> None:
    """Refuse anyone but framework staff, saying "Only framework staff can <action>." (shown on the 403 page)."""
    if actor is None or not actor.is_staff:
        raise PermissionDeniedError(f"Only framework staff can {action}.")
