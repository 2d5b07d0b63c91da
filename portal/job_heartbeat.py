"""Heartbeats of document jobs: how the portal notices within a minute that a job's worker died.

A process that holds a job (a web process whose worker thread has it queued or running, an RQ worker running it)
stamps the job's `heartbeat_at` every HEARTBEAT_EVERY from a small daemon thread, whatever the job itself is
doing (one slow letter is not a dead worker). A job still queued or running whose heartbeat is older than
DEAD_AFTER lost its worker: portal/jobs.py shows it as failed and lets the buyer try again.

An RQ job waiting in Redis has no process holding it yet. A worker running any document job vouches for the
queue behind it (it stamps every queued RQ job too), and an idle worker takes a new job at once; so a queued
RQ job goes stale only when no worker is running at all, which the buyer should learn rather than wait on.

The thread runs only while this process holds a job: it beats at once when a job is taken on, and stops as soon as
the last one is released.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from flask import Flask
from sqlalchemy import ColumnElement, or_, update

from portal.extensions import db
from portal.models import DocumentJob
from portal.models.base import utcnow

log = logging.getLogger(__name__)

HEARTBEAT_EVERY = timedelta(seconds=15)
# Four missed beats: long enough for a busy database, short enough that the buyer is not left waiting.
DEAD_AFTER = timedelta(seconds=60)
ACTIVE = ("queued", "running")

_lock = threading.Lock()
_held: dict[int, bool] = {}  # job id -> whether its worker vouches for the queued RQ jobs behind it
_thread: threading.Thread | None = None
_wake = threading.Event()  # a job held or released: beat (or stop) now rather than at the end of the wait


def hold(app: Flask, job_id: int, *, vouch_for_queue: bool = False) -> None:
    """This process now answers for the job: keep its heartbeat fresh until `release`."""
    global _thread
    with _lock:
        _held[job_id] = _held.get(job_id, False) or vouch_for_queue
        if _thread is None:
            _thread = threading.Thread(target=_loop, args=(app,), name="job-heartbeat", daemon=True)
            _thread.start()
    _wake.set()


def release(job_id: int) -> None:
    with _lock:
        _held.pop(job_id, None)
    _wake.set()


def beat(job_ids: list[int], vouch_for_queue: bool = False) -> int:
    """Stamp the given jobs (and, if vouching, every queued RQ job) as alive; commits; returns the rows stamped."""
    alive: ColumnElement[bool] = DocumentJob.id.in_(job_ids)
    if vouch_for_queue:
        alive = or_(alive, (DocumentJob.backend == "rq") & (DocumentJob.status == "queued"))
    # Only jobs still active: a job already marked failed (its buyer retried) is not brought back to life.
    result = db.session.execute(
        update(DocumentJob).where(alive, DocumentJob.status.in_(ACTIVE)).values(heartbeat_at=utcnow())
    )
    db.session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


def _loop(app: Flask) -> None:
    global _thread
    while True:
        _wake.wait(HEARTBEAT_EVERY.total_seconds())
        _wake.clear()
        with _lock:
            if not _held:
                _thread = None
                return
            ids, vouch = list(_held), any(_held.values())
        with app.app_context():
            try:
                beat(ids, vouch)
            except Exception:  # a database hiccup: the next beat tries again, well within DEAD_AFTER
                log.exception("could not stamp the heartbeat of document jobs %s", ids)
                db.session.rollback()
