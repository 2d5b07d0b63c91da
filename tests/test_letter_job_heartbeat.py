"""A letters job whose worker died is noticed within a minute by its heartbeat: the Letters page shows it as
failed with a button to try again, trying again is audited, and a worker that was only slow stops rather than
race the new job."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal import job_heartbeat, jobs
from portal.extensions import db
from portal.models import AuditEvent, Document, DocumentJob
from portal.models.base import utcnow
from portal.services.documents import letters as document_letters
from tests.test_award_services import approved_world


@pytest.fixture
def world():
    world = approved_world()
    db.session.commit()
    return world


def _job(world, *, status="running", heard_ago=timedelta(seconds=0), backend="local") -> DocumentJob:
    job = DocumentJob(
        kind=jobs.KIND,
        competition_id=world.competition.id,
        requested_by_id=world.buyer.id,
        backend=backend,
        status=status,
        total=3,
        done_count=1,
        started_at=utcnow() - timedelta(minutes=2),
        heartbeat_at=utcnow() - heard_ago,
    )
    db.session.add(job)
    db.session.commit()
    return job


def _url(world, tail=""):
    return f"/evaluation/{world.competition.id}/letters{tail}"


def _events(event_type: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event_type == event_type)))


def test_a_job_heard_from_recently_is_still_running(world):
    job = _job(world, heard_ago=timedelta(seconds=30))
    assert jobs.is_active(job) and not jobs.is_dead(job) and jobs.shown_status(job) == "running"
    with pytest.raises(jobs.JobAlreadyRunning):
        jobs.enqueue_competition_letters(world.buyer, world.competition.id)


def test_a_job_silent_for_a_minute_shows_as_failed_with_try_again(world, client, auth):
    # Started two minutes ago, so today's 35-minute rule would still call it running and refuse new letters.
    _job(world, heard_ago=timedelta(seconds=61))
    auth.login(world.buyer.email)
    page = client.get(_url(world)).get_data(as_text=True)
    assert "Generating the letters failed: " + jobs.DEAD_JOB_ERROR in page
    assert "1 of 3 letters were generated" in page and "Try again" in page and "<progress" not in page
    assert client.get(_url(world, "/progress")).get_json()["status"] == "failed"  # the polling page reloads


def test_trying_again_marks_the_dead_job_failed_audited_and_starts_another(world, client, auth):
    dead = _job(world, heard_ago=timedelta(seconds=61))
    auth.login(world.approver.email)
    response = client.post(_url(world))
    assert response.status_code == 302 and response.headers["Location"].endswith(_url(world))
    new = jobs.latest_job(world.competition.id)
    assert new.id != dead.id
    assert jobs.wait_for_local_job(new.id, timeout=120) == "done"
    db.session.expire_all()
    dead = db.session.get(DocumentJob, dead.id)
    assert (dead.status, dead.error) == ("failed", jobs.DEAD_JOB_ERROR) and dead.finished_at is not None
    (failed,) = _events("document_job.failed")
    assert failed.actor_id == world.approver.id and f'"job_id":{dead.id}' in failed.after_json
    assert "last_heartbeat_at" in failed.before_json
    (queued,) = _events("document_job.queued")
    assert f'"retry_of":{dead.id}' in queued.after_json


def test_the_worker_stamps_its_heartbeat_as_it_goes(world, monkeypatch):
    stamps = []
    issue = document_letters.issue_letter

    def watching(actor, summary, **kw):
        stamps.append(db.session.scalar(select(DocumentJob.heartbeat_at)))
        return issue(actor, summary, **kw)

    monkeypatch.setattr(document_letters, "issue_letter", watching)
    job = jobs.enqueue_competition_letters(world.buyer, world.competition.id)
    assert job.heartbeat_at is not None  # a new job is alive until a minute passes without word from its worker
    assert jobs.wait_for_local_job(job.id, timeout=120) == "done"
    assert len(stamps) == 3 and all(stamp is not None for stamp in stamps)
    assert stamps == sorted(stamps) and stamps[0] < stamps[-1]  # stamped again after every letter


def test_the_heartbeat_keeps_held_jobs_alive_but_never_revives_a_failed_one(world):
    old = timedelta(minutes=5)
    running = _job(world, heard_ago=old)
    assert jobs.is_dead(running)
    assert job_heartbeat.beat([running.id]) == 1
    db.session.expire_all()
    assert jobs.is_active(db.session.get(DocumentJob, running.id))
    db.session.get(DocumentJob, running.id).status = "failed"
    db.session.commit()
    assert job_heartbeat.beat([running.id]) == 0


def test_a_working_rq_worker_vouches_for_the_queue_behind_it(world):
    queued = _job(world, status="queued", backend="rq", heard_ago=timedelta(minutes=5))
    assert job_heartbeat.beat([], vouch_for_queue=False) == 0
    assert job_heartbeat.beat([], vouch_for_queue=True) == 1
    db.session.expire_all()
    assert jobs.is_active(db.session.get(DocumentJob, queued.id))


def test_the_heartbeat_thread_runs_while_a_job_is_held_and_stops_after(app, world, monkeypatch):
    monkeypatch.setattr(job_heartbeat, "HEARTBEAT_EVERY", timedelta(milliseconds=50))
    job = _job(world, heard_ago=timedelta(minutes=5))
    job_heartbeat.hold(app, job.id)
    try:
        for _ in range(200):
            db.session.expire_all()
            if not jobs.is_dead(db.session.get(DocumentJob, job.id)):
                break
            time.sleep(0.02)
        assert not jobs.is_dead(db.session.get(DocumentJob, job.id))
    finally:
        job_heartbeat.release(job.id)
    for _ in range(200):
        if job_heartbeat._thread is None:
            break
        time.sleep(0.02)
    assert job_heartbeat._thread is None


def test_a_slow_worker_declared_dead_stops_instead_of_racing_the_retry(world, monkeypatch):
    job = jobs.enqueue_competition_letters(world.buyer, world.competition.id)
    jobs.wait_for_local_job(job.id, timeout=120)
    db.session.expire_all()
    db.session.get(DocumentJob, job.id).status = "queued"  # delivered again to a worker, which will be slow
    db.session.commit()
    issue = document_letters.issue_letter

    def retried_meanwhile(actor, summary, **kw):
        document = issue(actor, summary, **kw)
        # The buyer saw no heartbeat for a minute and tried again: the job's row now says failed.
        db.session.execute(
            DocumentJob.__table__.update().where(DocumentJob.id == job.id).values(status="failed", error="dead")
        )
        return document

    monkeypatch.setattr(document_letters, "issue_letter", retried_meanwhile)
    assert jobs.run_competition_letters(job.id) == "abandoned"
    db.session.expire_all()
    assert db.session.get(DocumentJob, job.id).done_count == 1


def test_a_job_superseded_while_it_waited_is_never_run(world):
    first = _job(world, status="failed", heard_ago=timedelta(minutes=5))
    _job(world, status="queued")
    assert jobs.run_competition_letters(first.id) == "superseded"
    assert db.session.scalar(select(func.count(Document.id))) == 0
