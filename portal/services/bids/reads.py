"""Every read of bid content after opening is audited: who read which bid, and which parts of it.

The seal (portal/services/bids/seal.py) and the attachment downloads (portal/services/files/) call `note` whenever
they open bid content for anyone but its own supplier. Within a web request the notes are gathered and written once
the response is ready, as one `bid.content_read` event per reader and bid listing the parts read (answers, prices,
the version, attachments), so a results page showing ten bids writes ten events, not one per answer. Outside a
request (a document job, a command) each note is recorded at once in the caller's transaction, which commits it.

A supplier reading its own bid (draft, receipts, files) is not audited: nothing of anyone else's is disclosed, and
drafting would otherwise flood the log with the supplier's own saves and reads. The event names parts, never
content (the audit log is readable by framework staff, who never read bid content). The demo seed alone (which
refuses to run in production) reads the bids it invented without auditing, inside `unaudited()`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, Response, g, has_request_context

from portal.extensions import db
from portal.models import User
from portal.services import audit

_PENDING = "bid_content_reads"
_UNAUDITED: ContextVar[bool] = ContextVar("bid_reads_unaudited", default=False)


@contextmanager
def unaudited() -> Iterator[None]:
    """For the demo seed only: its own invented bids, read to build the demo documents."""
    token = _UNAUDITED.set(True)
    try:
        yield
    finally:
        _UNAUDITED.reset(token)


def note(reader: User, bid_id: int, *parts: str) -> None:
    """Record that `reader` (not the bid's own supplier) read these parts of the bid."""
    if _UNAUDITED.get():
        return
    if has_request_context():
        pending: dict[tuple[int, int], tuple[User, set[str]]] = g.setdefault(_PENDING, {})
        pending.setdefault((reader.id, bid_id), (reader, set()))[1].update(parts)
        return
    _record(reader, bid_id, set(parts))


def _record(reader: User, bid_id: int, parts: set[str]) -> None:
    ordered = sorted(parts)
    audit.record(
        reader,
        "bid.content_read",
        "bid",
        bid_id,
        summary="Bid content read after opening: " + ", ".join(ordered),
        after={"parts": ordered},
    )


def _start() -> None:
    g.pop(_PENDING, None)


def _write(response: Response) -> Response:
    """Write the request's reads in a transaction of their own once the page is built (a failure here fails the
    response, so content is never sent unaudited)."""
    pending: dict[tuple[int, int], tuple[User, set[str]]] = g.pop(_PENDING, {})
    if pending:
        for (_reader_id, bid_id), (reader, parts) in sorted(pending.items(), key=lambda item: item[0]):
            _record(reader, bid_id, parts)
        db.session.commit()
    return response


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_write)
