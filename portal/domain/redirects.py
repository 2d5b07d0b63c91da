"""Where a `next=` link may send someone after signing in: a path on this site, nothing else.

An open redirect would let a phishing link borrow our sign-in page. Browsers are lenient readers of a Location:
they treat a backslash as a slash (`/\\evil.example` is `//evil.example`, another host), drop tabs and line breaks
inside a URL (`/\\t/evil.example` too), and a line break could split the header. So only a plain absolute path is
followed: it starts with one "/", has no backslash, no control character or space, no scheme or host.
"""

from __future__ import annotations

from urllib.parse import urlsplit

MAX_LENGTH = 2000


def safe_next_path(target: str | None) -> str | None:
    """`target` when it is a same-site path to return to after signing in, otherwise None."""
    if not target or len(target) > MAX_LENGTH or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ch.isspace() or not ch.isprintable() for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
