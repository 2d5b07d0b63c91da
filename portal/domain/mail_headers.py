"""What may go into an e-mail header: one line of printable text.

A subject is built from user-entered text (a competition's title, an organisation's name). A line break in it would
either start a new header (header injection) or make the mail library refuse the message; so every run of
whitespace, line breaks included, becomes one space, and other control characters are dropped.
"""

from __future__ import annotations

MAX_SUBJECT = 300  # the outbox's column; a longer subject is cut, never refused


def header_safe(text: str, limit: int = MAX_SUBJECT) -> str:
    printable = "".join(ch if ch.isprintable() or ch.isspace() else " " for ch in text)
    return " ".join(printable.split())[:limit]
