"""The reminders on RQ, against the real Redis (skipped when none runs on 127.0.0.1:6379): rq's cron scheduler
enqueues the same function `flask reminders send-due` runs, every 15 minutes, and a worker runs it; twice sends
nothing more."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from rq import Queue, SimpleWorker
from rq.cron import CronScheduler

from portal import jobs
from portal.extensions import db
from portal.models.base import utcnow
from tests.factories import make_accreditation, make_supplier, make_user
from tests.reminders_support import entries

REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis_or_skip() -> Redis:
    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except RedisConnectionError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: start redis-server to test the RQ backend")
    return connection


@pytest.fixture
def due_person(app):
    supplier = make_supplier()
    person = make_user("supplier", supplier=supplier)
    make_accreditation(supplier, expires_on=(utcnow() + timedelta(days=20)).date())
    db.session.commit()
    return person


def test_flask_reminders_enqueue_and_an_rq_worker_run_the_reminders_once(app, runner, monkeypatch, due_person):
    connection = _redis_or_skip()
    queue_name = f"test-reminders-{uuid.uuid4().hex}"  # never picked up by anyone else's worker
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    monkeypatch.setitem(app.config, "REMINDER_QUEUE", queue_name)
    queue = Queue(queue_name, connection=connection)
    try:
        for _ in range(2):
            result = runner.invoke(args=["reminders", "enqueue"])
            assert result.exit_code == 0, result.output
        assert queue.count == 2 and queue.jobs[0].func_name == "portal.jobs.send_due_reminders"
        first, second = queue.jobs
        SimpleWorker([queue], connection=connection).work(burst=True)
        assert first.return_value().startswith("Reminders: 1 sent")
        assert second.return_value().startswith("Reminders: 0 sent")
    finally:
        queue.delete(delete_jobs=True)
    assert entries(due_person, "reminder_accreditation_expiring") == 1


def test_rq_cron_enqueues_the_reminders_every_15_minutes(app, monkeypatch, due_person):
    connection = _redis_or_skip()
    queue_name = f"test-reminders-{uuid.uuid4().hex}"
    monkeypatch.setenv("REMINDER_QUEUE", queue_name)
    scheduler = CronScheduler(connection=connection)
    scheduler.load_config_from_file("portal.reminders_cron")  # what `rq cron portal.reminders_cron` loads
    [cron_job] = scheduler.get_jobs()
    assert (cron_job.func, cron_job.queue_name, cron_job.interval) == (jobs.send_due_reminders, queue_name, 15 * 60)
    queue = Queue(queue_name, connection=connection)
    try:
        cron_job.enqueue(connection)
        assert queue.count == 1
        SimpleWorker([queue], connection=connection).work(burst=True)
    finally:
        queue.delete(delete_jobs=True)
        connection.delete(cron_job.job_history_key)
    assert entries(due_person, "reminder_accreditation_expiring") == 1


def test_enqueue_without_redis_says_to_use_cron(app, runner):
    result = runner.invoke(args=["reminders", "enqueue"])
    assert result.exit_code != 0 and "flask reminders send-due" in result.output
