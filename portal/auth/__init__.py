"""Sign-in (password and second factor), sign-out, your account, invitations and password resets.

`bp` lives in blueprint.py, which the view modules import; importing them here registers their routes on it.
"""

from __future__ import annotations

from . import account_views, two_factor_views, views  # noqa: F401  (register their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
