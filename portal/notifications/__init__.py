"""A person's notifications (the in-app list of hand-offs, receipts and reminders), which reminders they are
e-mailed, and the unsubscribe link those e-mails carry.

`bp` lives in blueprint.py, which the view modules import; importing them here registers their routes on it.
"""

from __future__ import annotations

from . import views  # noqa: F401  (registers its routes on bp)
from .blueprint import bp

__all__ = ["bp"]
