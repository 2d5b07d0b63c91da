"""Concurrent submissions on PostgreSQL: row locks keep versions consecutive, and the server clock decides.

SQLite serialises whole-database writes and ignores FOR UPDATE, so these races only mean something on
PostgreSQL; on SQLite they are skipped.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Bid, BidSubmission, Competition, User
from portal.models.base import utcnow
from portal.services import audit
from portal.services.bids import crypto, submission
from portal.services.bids.content import serialise
from portal.services.errors import ConflictError
from tests.factories_bidding import complete_draft, make_world


@pytest.fixture(autouse=True)
def _postgres_only(is_postgres):
    if not is_postgres:
        pytest.skip("row-lock races need PostgreSQL (SQLite ignores FOR UPDATE); set TEST_DATABASE_URL to run them")


def _run_in_threads(app, n: int, work) -> list:
    """Run work(i) in n threads released together, each with its own app context and session."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                results[i] = work(i)
            except Exception as error:  # the test inspects what each thread got
                db.session.rollback()
                results[i] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_simultaneous_submissions_of_one_bid_get_consecutive_versions(app):
    world = make_world()
    complete_draft(world)
    user_id, competition_id = world.user.id, world.competition.id

    def submit(_i):
        user = db.session.get(User, user_id)
        return submission.submit(user, competition_id).version

    results = _run_in_threads(app, 8, submit)
    assert all(isinstance(r, int) for r in results), results
    assert sorted(results) == list(range(1, 9))
    rows = db.session.scalars(select(BidSubmission).order_by(BidSubmission.version)).all()
    assert [r.version for r in rows] == list(range(1, 9))
    bid = db.session.get_one(Bid, rows[0].bid_id)
    for row in rows:
        assert serialise(crypto.submission_content(bid, row))[1] == row.content_sha256
    assert audit.verify().intact


def test_a_submission_racing_the_deadline_is_accepted_before_it_or_refused(app):
    world = make_world()
    complete_draft(world)
    complete_draft(world, world.rival_user)
    competition = world.competition
    competition.clarification_deadline_at = utcnow() - timedelta(hours=1)
    deadline = utcnow() + timedelta(milliseconds=400)
    competition.submission_deadline_at = deadline
    db.session.commit()
    users = [world.user.id, world.rival_user.id]

    def keep_submitting(i):
        user = db.session.get(User, users[i % 2])
        outcomes = []
        while True:
            try:
                outcomes.append(("accepted", submission.submit(user, competition.id).submitted_at))
            except ConflictError as error:
                db.session.rollback()
                outcomes.append(("refused", utcnow(), error.message))
                return outcomes

    results = _run_in_threads(app, 4, keep_submitting)
    assert all(isinstance(r, list) for r in results), results
    accepted = [o[1] for r in results for o in r if o[0] == "accepted"]
    refused = [o for r in results for o in r if o[0] == "refused"]
    assert accepted, "some submissions should land before the deadline"
    assert len(refused) == 4 and all("deadline has passed" in o[2] for o in refused)
    assert all(o[1] >= deadline for o in refused)
    stored = db.session.scalars(select(BidSubmission.submitted_at)).all()
    assert len(stored) == len(accepted)
    assert max(stored) < deadline  # never accepted at or after the deadline
    assert db.session.get(Competition, competition.id).submission_deadline_at == deadline
