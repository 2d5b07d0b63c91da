"""The evaluation report rendered by the background job (as letters are): progress, one job at a time, the audit
event, the Report page while it runs and after a failure, and that it never shares a job with the letters."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from portal import jobs
from portal.extensions import db
from portal.models import AuditEvent, DocumentJob
from portal.services.documents import register, report
from tests.factories import make_user
from tests.test_award_services import moderated_world


@pytest.fixture
def world():
    return moderated_world()


def test_the_job_renders_the_report_with_progress_and_audit(world, monkeypatch):
    seen = []
    issue = report.issue_report

    def watching(actor, competition_id, **kw):
        seen.append(db.session.scalar(select(DocumentJob.done_count).where(DocumentJob.kind == jobs.REPORT_KIND)))
        return issue(actor, competition_id, **kw)

    monkeypatch.setattr(report, "issue_report", watching)
    job = jobs.enqueue_evaluation_report(world.buyer, world.competition.id)
    assert (job.kind, job.status, job.total, job.done_count) == ("evaluation_report", "queued", 1, 0)
    assert jobs.wait_for_local_job(job.id, timeout=120) == "done"
    assert seen == [0]  # 0 of 1 while it renders
    db.session.expire_all()
    job = db.session.get(DocumentJob, job.id)
    assert (job.status, job.done_count, job.error) == ("done", 1, "")
    document = report.latest_report(world.competition)
    assert document is not None and register.pdf_bytes(document).startswith(b"%PDF-")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "document_job.queued"))
    assert json.loads(event.after_json)["kind"] == "evaluation_report" and "evaluation report" in event.summary
    # The letters' job is a separate series: the report job is not the competition's letters job.
    assert jobs.latest_job(world.competition.id) is None


def test_a_second_request_while_it_runs_shows_the_running_job(world, client, auth, monkeypatch):
    monkeypatch.setattr(jobs, "_dispatch", lambda job: None)  # stays queued: no worker picks it up
    job = jobs.enqueue_evaluation_report(world.buyer, world.competition.id)
    with pytest.raises(jobs.JobAlreadyRunning):
        jobs.enqueue_evaluation_report(world.buyer, world.competition.id)
    auth.login(world.buyer.email)
    response = client.post(f"/evaluation/{world.competition.id}/report", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "already being generated" in page and "Generating the report" in page
    assert "Waiting to start: 0 of 1 report generated" in page
    assert 'data-module="app-job-progress"' in page and "Check the progress again" in page  # without JS: a link
    assert "Download evaluation report" not in page
    progress = client.get(f"/evaluation/{world.competition.id}/report/progress")
    assert progress.get_json() == {"status": "queued", "done": 0, "total": 1}
    assert progress.headers["Cache-Control"] == "no-store"
    assert db.session.scalar(select(DocumentJob.id).where(DocumentJob.kind == jobs.REPORT_KIND)) == job.id


def test_a_failed_render_is_shown_with_try_again(world, client, auth, monkeypatch):
    def broken(*args, **kw):
        raise RuntimeError("renderer fell over")

    monkeypatch.setattr(report, "issue_report", broken)
    job = jobs.enqueue_evaluation_report(world.buyer, world.competition.id)
    assert jobs.wait_for_local_job(job.id, timeout=120) == "failed"
    auth.login(world.buyer.email)
    page = client.get(f"/evaluation/{world.competition.id}/report").get_data(as_text=True)
    assert "Generating the report failed: RuntimeError: renderer fell over" in page and "Try again" in page


def test_another_organisations_buyer_cannot_start_or_watch_it(world, client, auth):
    other = make_user("buyer")
    db.session.commit()
    auth.login(other.email)
    assert client.post(f"/evaluation/{world.competition.id}/report").status_code == 404
    assert client.get(f"/evaluation/{world.competition.id}/report/progress").status_code == 404
    assert jobs.latest_job(world.competition.id, jobs.REPORT_KIND) is None
