"""Generating a competition's letters in the background: the same job code on the local worker thread and on RQ
(against the real Redis), progress, refusal of a second job, failures, and the Letters page and who may reach it."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from rq import Queue, SimpleWorker
from sqlalchemy import func, select

from portal import jobs
from portal.extensions import db
from portal.models import AuditEvent, Document, DocumentJob
from portal.models.base import utcnow
from portal.services.documents import letters as document_letters
from portal.services.errors import ConflictError
from tests.factories import make_user
from tests.test_award_services import approved_world, recommended_world

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def world():
    world = approved_world()
    world.people = {
        "alpha": make_user("supplier", supplier=world.suppliers["Alpha"]),
        "bravo": make_user("supplier", supplier=world.suppliers["Bravo"]),
        "other_org": make_user("buyer"),
        "staff": make_user("staff"),
    }
    db.session.commit()
    return world


def _letter_count(world) -> int:
    return db.session.scalar(
        select(func.count(Document.id)).where(
            Document.subject_type == "competition", Document.subject_id == world.competition.id
        )
    )


def _assert_all_letters(world, job: DocumentJob) -> None:
    db.session.expire_all()
    job = db.session.get(DocumentJob, job.id)
    assert (job.status, job.done_count, job.total, job.error) == ("done", 3, 3, "")
    assert job.started_at is not None and job.finished_at is not None
    kinds = sorted(d.kind for d in document_letters.letters(world.buyer, world.competition))
    assert kinds == ["award_letter", "unsuccessful_letter", "unsuccessful_letter"]


def test_the_local_worker_generates_every_letter_with_progress(world, monkeypatch):
    seen = []
    issue = document_letters.issue_letter

    def counting(actor, summary, **kw):
        seen.append(db.session.scalar(select(DocumentJob.done_count)))
        return issue(actor, summary, **kw)

    monkeypatch.setattr(document_letters, "issue_letter", counting)
    job = jobs.enqueue_competition_letters(world.buyer, world.competition.id)
    assert (job.backend, job.status, job.total) == ("local", "queued", 3)
    assert jobs.wait_for_local_job(job.id, timeout=120) == "done"
    assert seen == [0, 1, 2]  # progress is committed after each letter
    _assert_all_letters(world, job)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "document_job.queued"))
    assert event.actor_id == world.buyer.id and f'"job_id":{job.id}' in event.after_json


def _redis_or_skip() -> Redis:
    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except RedisConnectionError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: start redis-server to test the RQ backend")
    return connection


def test_rq_workers_run_the_same_job(world, monkeypatch, app):
    connection = _redis_or_skip()
    queue_name = f"test-documents-{uuid.uuid4().hex}"  # never picked up by anyone else's worker
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    monkeypatch.setitem(app.config, "DOCUMENT_QUEUE", queue_name)
    queue = Queue(queue_name, connection=connection)
    try:
        job = jobs.enqueue_competition_letters(world.buyer, world.competition.id)
        assert (job.backend, job.status) == ("rq", "queued")
        assert queue.count == 1 and queue.jobs[0].func_name == "portal.jobs.run_competition_letters"
        SimpleWorker([queue], connection=connection).work(burst=True)
    finally:
        queue.delete(delete_jobs=True)
    _assert_all_letters(world, job)


def test_the_worker_command_works_the_queue(world, monkeypatch, app, runner):
    assert "Set REDIS_URL" in runner.invoke(args=["documents-worker", "--burst"]).output
    connection = _redis_or_skip()
    queue_name = f"test-documents-{uuid.uuid4().hex}"
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    monkeypatch.setitem(app.config, "DOCUMENT_QUEUE", queue_name)
    try:
        job = jobs.enqueue_competition_letters(world.buyer, world.competition.id)
        result = runner.invoke(args=["documents-worker", "--burst"])
    finally:
        Queue(queue_name, connection=connection).delete(delete_jobs=True)
    assert result.exit_code == 0, result.output
    _assert_all_letters(world, job)


def test_a_broker_that_is_down_fails_the_job_visibly(world, monkeypatch, app):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    job = jobs.enqueue_competition_letters(world.buyer, world.competition.id)
    assert job.status == "failed" and "could not be started" in job.error


def test_rerunning_a_job_issues_nothing_new(world):
    job = jobs.enqueue_competition_letters(world.buyer, world.competition.id)
    jobs.wait_for_local_job(job.id, timeout=120)
    assert jobs.run_competition_letters(job.id) == "done" and _letter_count(world) == 3
    db.session.expire_all()
    db.session.get(DocumentJob, job.id).status = "failed"  # e.g. delivered again after a worker died
    db.session.commit()
    assert jobs.run_competition_letters(job.id) == "done"
    assert _letter_count(world) == 3  # the same versions, not copies


def test_a_second_job_is_refused_while_one_is_active(world):
    running = DocumentJob(
        kind=jobs.KIND,
        competition_id=world.competition.id,
        requested_by_id=world.buyer.id,
        status="running",
        total=3,
        done_count=1,
        started_at=utcnow(),
    )
    db.session.add(running)
    db.session.commit()
    with pytest.raises(jobs.JobAlreadyRunning) as refused:
        jobs.enqueue_competition_letters(world.approver, world.competition.id)
    assert refused.value.job.id == running.id


def test_a_job_whose_worker_died_does_not_block_a_new_one(world):
    stale = DocumentJob(
        kind=jobs.KIND,
        competition_id=world.competition.id,
        requested_by_id=world.buyer.id,
        status="running",
        total=3,
        started_at=utcnow() - timedelta(minutes=5),
        heartbeat_at=utcnow() - jobs.DEAD_AFTER - timedelta(seconds=1),
    )
    db.session.add(stale)
    db.session.commit()
    job = jobs.enqueue_competition_letters(world.buyer, world.competition.id)
    assert jobs.wait_for_local_job(job.id, timeout=120) == "done"
    db.session.expire_all()
    assert db.session.get(DocumentJob, stale.id).status == "failed"


def test_a_failing_letter_fails_the_job_with_its_error(world, monkeypatch):
    def broken(actor, summary, **kw):
        raise RuntimeError("the font went missing")

    monkeypatch.setattr(document_letters, "issue_letter", broken)
    job = jobs.enqueue_competition_letters(world.buyer, world.competition.id)
    assert jobs.wait_for_local_job(job.id, timeout=120) == "failed"
    db.session.expire_all()
    job = db.session.get(DocumentJob, job.id)
    assert job.status == "failed" and job.error == "RuntimeError: the font went missing" and job.done_count == 0


def test_no_job_before_approval():
    world = recommended_world()
    with pytest.raises(ConflictError, match="once the award has been approved"):
        jobs.enqueue_competition_letters(world.buyer, world.competition.id)


# --- Pages ---------------------------------------------------------------------------------------------------------


def _url(world, tail="/letters"):
    return f"/evaluation/{world.competition.id}{tail}"


def test_the_buyer_generates_the_letters_and_downloads_them(world, client, auth):
    auth.login(world.buyer.email)
    page = client.get(_url(world, "")).get_data(as_text=True)
    assert _url(world) in page  # the competition page links to the letters
    page = client.get(_url(world)).get_data(as_text=True)
    assert "Generate all letters" in page and 'http-equiv="refresh"' not in page
    response = client.post(_url(world))
    assert response.status_code == 302 and response.headers["Location"].endswith(_url(world))
    job = jobs.latest_job(world.competition.id)
    jobs.wait_for_local_job(job.id, timeout=120)
    db.session.expire_all()
    page = client.get(_url(world)).get_data(as_text=True)
    assert "All 3 letters generated" in page and 'http-equiv="refresh"' not in page
    assert "Award letter: " in page and page.count('/download"') == 3
    document = document_letters.letters(world.buyer, world.competition)[0]
    response = client.get(f"/documents/{document.id}/download")
    assert response.status_code == 200 and response.mimetype == "application/pdf"


def test_progress_is_polled_while_running_and_a_second_request_is_refused(world, client, auth):
    db.session.add(
        DocumentJob(
            kind=jobs.KIND,
            competition_id=world.competition.id,
            requested_by_id=world.buyer.id,
            status="running",
            total=3,
            done_count=2,
            started_at=utcnow(),
        )
    )
    db.session.commit()
    auth.login(world.approver.email)
    page = client.get(_url(world)).get_data(as_text=True)
    assert "2 of 3 letters generated" in page and 'http-equiv="refresh"' not in page
    assert 'role="status"' in page and "<progress" in page and "Generate all letters" not in page
    assert 'data-module="app-job-progress"' in page
    progress = client.get(_url(world) + "/progress")
    assert progress.get_json() == {"status": "running", "done": 2, "total": 3}
    assert progress.headers["Cache-Control"] == "no-store"
    response = client.post(_url(world), follow_redirects=True)
    assert "already being generated" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(DocumentJob.id))) == 1


def test_a_failed_job_is_shown_with_its_error(world, client, auth):
    db.session.add(
        DocumentJob(
            kind=jobs.KIND,
            competition_id=world.competition.id,
            requested_by_id=world.buyer.id,
            status="failed",
            total=3,
            done_count=1,
            error="RuntimeError: the font went missing",
            finished_at=utcnow(),
        )
    )
    db.session.commit()
    auth.login(world.buyer.email)
    page = client.get(_url(world)).get_data(as_text=True)
    assert "Generating the letters failed: RuntimeError: the font went missing" in page
    assert "1 of 3 letters were generated" in page and "Try again" in page


@pytest.mark.parametrize(
    ("persona", "status"), [("other_org", 404), ("alpha", 403), ("evaluator", 403), ("staff", 403)]
)
def test_only_the_buying_organisations_officers_reach_the_letters(world, client, auth, persona, status):
    user = world.evaluators[0] if persona == "evaluator" else world.people[persona]
    auth.login(user.email)
    assert client.get(_url(world)).status_code == status
    assert client.post(_url(world)).status_code == status
    assert db.session.scalar(select(func.count(DocumentJob.id))) == 0


def test_letters_page_before_approval_offers_nothing(client, auth):
    world = recommended_world()
    auth.login(world.buyer.email)
    page = client.get(_url(world)).get_data(as_text=True)
    assert "once the award has been approved" in page and "Generate all letters" not in page
    client.post(_url(world))
    assert db.session.scalar(select(func.count(DocumentJob.id))) == 0


def test_a_supplier_downloads_its_own_letter_from_the_outcome_page(world, client, auth):
    auth.login(world.people["alpha"].email)
    page = client.get(f"/evaluation/outcomes/{world.competition.id}").get_data(as_text=True)
    assert "Download your letter (PDF)" in page
    response = client.get(f"/evaluation/outcomes/{world.competition.id}/letter")
    assert response.status_code == 302
    download = client.get(response.headers["Location"])
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert "unsuccessful-letter" in download.headers["Content-Disposition"]
    auth.logout()
    auth.login(world.people["other_org"].email)
    assert client.get(response.headers["Location"]).status_code in (403, 404)


def test_a_supplier_that_did_not_bid_gets_no_letter(world, client, auth):
    outsider = make_user("supplier")
    db.session.commit()
    auth.login(outsider.email)
    assert client.get(f"/evaluation/outcomes/{world.competition.id}/letter").status_code == 404
