"""The audit trail's hash chain.

Each event stores SHA-256 over its own canonical content and the previous event's hash,
so editing or deleting any event breaks every link after it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from portal.domain.canonical import canonical_json

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class ChainedEvent:
    id: int
    content: dict[str, Any]
    prev_hash: str
    hash: str


def event_hash(content: dict[str, Any], prev_hash: str) -> str:
    payload = prev_hash + "\n" + canonical_json(content)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    intact: bool
    checked: int
    broken_at: int | None = None
    reason: str = ""


def verify_chain(events: Iterable[ChainedEvent]) -> ChainReport:
    """Walk the events in order; report the first broken link, or that the chain is intact."""
    expected_prev = GENESIS_HASH
    checked = 0
    for event in events:
        if event.prev_hash != expected_prev:
            return ChainReport(False, checked, event.id, "its previous-hash does not match the event before it")
        if event_hash(event.content, event.prev_hash) != event.hash:
            return ChainReport(False, checked, event.id, "its content does not match its hash")
        expected_prev = event.hash
        checked += 1
    return ChainReport(True, checked)
