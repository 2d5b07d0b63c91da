"""The audit trail's hash chain, keyed.

Each event stores a hash over its own canonical content and the previous event's hash, so editing or deleting any
event breaks every link after it. A plain hash only proves consistency: whoever can write the table can edit an
event and recompute every later hash. So the hash is an HMAC-SHA256 under AUDIT_KEY, a key the database never
holds: without it nobody can recompute a link, and `flask audit verify` (which has it) finds the edit.

Chains written before the key existed keep their plain SHA-256 hashes; from a recorded event N ("keyed from event
N") every event is keyed. Event N's HMAC covers its previous-hash, and with it the whole plain prefix: rewriting an
old event means changing event N's previous-hash, which needs the key. Where the chain is keyed from, and where it
ends, are sealed by an HMAC on the chain head (`head_seal`), so a forger can neither move the marker past the end
(making every event "plain") nor cut the newest events off.
"""

from __future__ import annotations

import hashlib
import hmac
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


def event_hash(content: dict[str, Any], prev_hash: str, key: bytes | None = None) -> str:
    """HMAC-SHA256 under `key`; plain SHA-256 (the chain before keying) without one."""
    payload = (prev_hash + "\n" + canonical_json(content)).encode("utf-8")
    if key is None:
        return hashlib.sha256(payload).hexdigest()
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


def head_seal(key: bytes, last_event_id: int, last_hash: str, keyed_from: int) -> str:
    """The chain head's HMAC: where the chain ends and where keying began, so neither can be moved."""
    payload = f"audit-chain-head\n{last_event_id}\n{last_hash}\n{keyed_from}".encode()
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


def seal_matches(seal: str, key: bytes, last_event_id: int, last_hash: str, keyed_from: int) -> bool:
    return hmac.compare_digest(seal, head_seal(key, last_event_id, last_hash, keyed_from))


@dataclass(frozen=True)
class ChainReport:
    intact: bool
    checked: int
    broken_at: int | None = None
    reason: str = ""
    note: str = ""  # something to do though nothing is broken (e.g. a chain not yet keyed)


def verify_chain(events: Iterable[ChainedEvent], key: bytes | None = None, keyed_from: int = 1) -> ChainReport:
    """Walk the events in order; report the first broken link, or that the chain is intact.

    With a key, events from `keyed_from` on must carry its HMAC and earlier ones plain SHA-256; without one (the
    domain's own tests) every hash is plain."""
    expected_prev = GENESIS_HASH
    checked = 0
    for event in events:
        if event.prev_hash != expected_prev:
            return ChainReport(False, checked, event.id, "its previous-hash does not match the event before it")
        link_key = key if key is not None and event.id >= keyed_from else None
        if not hmac.compare_digest(event_hash(event.content, event.prev_hash, link_key), event.hash):
            reason = "its content does not match its hash"
            if link_key is not None:
                reason += " (or AUDIT_KEY is not the key the chain was written with)"
            return ChainReport(False, checked, event.id, reason)
        expected_prev = event.hash
        checked += 1
    return ChainReport(True, checked)
