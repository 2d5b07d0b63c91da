"""The portal path a notification links to, where its recipient acts: built from the endpoint's name, the same way
inside a request or outside one (a command, a test), and never on the request's host.

notify() wants a path (starting with "/"); it makes the e-mail's absolute address itself, on BASE_URL.
"""

from __future__ import annotations

from typing import Any

from flask import current_app


def path_for(endpoint: str, **values: Any) -> str:
    """The path of `endpoint` with `values`, e.g. path_for("bids.competition", competition_id=3)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def absolute(path: str) -> str:
    """The address of a portal path on BASE_URL (never the request's host), for an e-mail sent outside notify()."""
    if not path:
        return ""
    return str(current_app.config["BASE_URL"]).rstrip("/") + path
