"""Pasted moderation rationales: the same reasons given to different bids on one criterion.

A moderated rationale explains one bid's score by reference to that bid's tender (Procurement Regulations 2024
reg 31: "by reference to the tender"; PCR 2015 reg 86 practice: the supplier's own scores and reasons). The same
text recorded for two or more bids on the same criterion cannot be about each tender, so it is flagged, and the
assessment summaries are not sent until the moderator makes each one specific.

Texts are compared after normalising: case folded, runs of whitespace collapsed, leading and trailing whitespace
and a final full stop removed ("Good  response." and "good response" are the same text). Different criteria may
share wording (a bid "met every requirement" on two criteria is not pasted across bids).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Rationale:
    """One moderated rationale: the bid and criterion it belongs to (keys as the caller names them) and its text."""

    bid_key: str
    criterion_key: str
    text: str


@dataclass(frozen=True)
class PastedRationale:
    """A rationale text shared by several bids on one criterion (bid keys in the order first given)."""

    criterion_key: str
    text: str
    bid_keys: tuple[str, ...]


def normalised(text: str) -> str:
    """The text as compared: case folded, whitespace collapsed and trimmed, a trailing full stop dropped."""
    return _SPACES.sub(" ", text).strip().casefold().rstrip(".").rstrip()


def find_pasted_rationales(rationales: Iterable[Rationale]) -> list[PastedRationale]:
    """Every (criterion, normalised text) given to two or more distinct bids, in the order first seen.

    Empty texts are not compared (a missing rationale is caught elsewhere). `text` is the first occurrence as typed.
    """
    seen: dict[tuple[str, str], tuple[str, list[str]]] = {}
    for item in rationales:
        key = (item.criterion_key, normalised(item.text))
        if not key[1]:
            continue
        _, bids = seen.setdefault(key, (item.text.strip(), []))
        if item.bid_key not in bids:
            bids.append(item.bid_key)
    return [
        PastedRationale(criterion, text, tuple(bids)) for (criterion, _), (text, bids) in seen.items() if len(bids) > 1
    ]
