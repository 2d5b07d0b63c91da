"""Counting words in an answer the way the GOV.UK character count component does.

The component (maxwords mode) counts the tokens left after splitting on whitespace, so the server
agrees with the count the supplier sees while typing: "Answer for X must be 500 words or fewer".
"""

from __future__ import annotations


def count_words(text: str | None) -> int:
    return len((text or "").split())


def over_limit(text: str | None, limit: int | None) -> bool:
    return limit is not None and count_words(text) > limit


def limit_message(title: str, limit: int) -> str:
    return f"Answer for {title} must be {limit} words or fewer"
