"""Canonical JSON: the one serialisation whose bytes are hashed.

The audit trail's hash chain, a submitted bid's content hash (the seal), a frozen direct-award shortlist and the
data embedded in every issued document are all SHA-256 over this text, so the same value must always give the same
bytes: keys sorted, no insignificant space, Unicode written as itself (not \\u escapes), Decimals as their exact
string, times in UTC ISO 8601, dates ISO 8601. Anything else is refused rather than written in some form that
might not come out the same way twice.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any


def _encode(value: object) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot go into canonical JSON")


def canonical_json(value: Any) -> str:
    """Sorted keys, no insignificant space, Decimals as strings, times in UTC ISO 8601."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_encode)
