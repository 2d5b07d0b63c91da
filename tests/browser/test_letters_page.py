"""The Letters page in a real browser: progress while the job runs (updated in place by polling), the list
once done, each state checked with axe-core. Screenshots go to LETTERS_SCREENSHOTS when set (for a person to look)."""

from __future__ import annotations

import os

from portal import jobs
from portal.extensions import db
from portal.models import DocumentJob
from portal.models.base import utcnow
from tests.browser.helpers import axe_violations, sign_in
from tests.conftest import TEST_PASSWORD
from tests.test_award_services import approved_world


def _shot(page, name: str) -> None:
    folder = os.environ.get("LETTERS_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def test_progress_and_letters_pages_are_accessible(page, live_server):
    world = approved_world()
    job = DocumentJob(
        kind=jobs.KIND,
        competition_id=world.competition.id,
        requested_by_id=world.buyer.id,
        status="running",
        total=3,
        done_count=1,
        started_at=utcnow(),
    )
    db.session.add(job)
    db.session.commit()
    sign_in(page, live_server, world.buyer.email, TEST_PASSWORD)
    url = f"{live_server}/evaluation/{world.competition.id}/letters"

    page.goto(url)
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    status = page.locator('[role="status"]')
    assert "1 of 3 letters generated" in status.inner_text()
    _shot(page, "letters-running")
    assert axe_violations(page) == []

    # The page polls the job's progress and updates the count in place, without reloading.
    job.done_count = 2
    db.session.commit()
    status.get_by_text("2 of 3 letters generated").wait_for(timeout=15_000)
    assert axe_violations(page) == []
    assert page.console_errors == []
    # Once the job has finished the page reloads itself to show the result.
    job.status, job.done_count, job.finished_at = "done", 3, utcnow()
    db.session.commit()
    status.get_by_text("All 3 letters generated").wait_for(timeout=15_000)

    page.goto(url)
    with page.expect_navigation():  # the POST has been answered, so the new job exists
        page.click("button:has-text('Generate all letters')")
    new_job = jobs.latest_job(world.competition.id)
    assert new_job.id != job.id
    jobs.wait_for_local_job(new_job.id, timeout=120)
    page.goto(url)
    assert "All 3 letters generated" in page.locator('[role="status"]').inner_text()
    assert page.locator("a:has-text('Download')").count() == 3
    _shot(page, "letters-done")
    assert axe_violations(page) == []
