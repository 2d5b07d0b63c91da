"""The buyer's Send assessment summaries action on the Letters page, the pasted-rationale warning on the moderation
and results pages, and staff editing a user's job title."""

from __future__ import annotations

from sqlalchemy import select

from portal import jobs
from portal.extensions import db
from portal.models import AuditEvent, ModeratedScore, OutboxMessage
from tests.factories import make_user
from tests.test_award_services import approved_world


def _paste(world):
    criterion = world.criteria[0]
    for name in ("Alpha", "Charlie"):
        row = db.session.scalar(
            select(ModeratedScore).where(
                ModeratedScore.bid_id == world.bids[name].id, ModeratedScore.criterion_id == criterion.id
            )
        )
        row.rationale = "Meets the requirement."
    db.session.commit()
    return criterion


def test_the_buyer_sends_the_summaries_and_the_letters_are_generated(client, auth):
    world = approved_world(send=False)
    make_user("supplier", supplier=world.suppliers["Alpha"])
    db.session.commit()
    auth.login(world.buyer.email)
    url = f"/evaluation/{world.competition.id}/letters"
    page = client.get(url).get_data(as_text=True)
    assert "Send assessment summaries" in page and "regulation 31 of the Procurement Regulations 2024" in page
    assert "Generate all letters" not in page
    response = client.post(f"/evaluation/{world.competition.id}/assessment-summaries", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Assessment summaries sent" in page
    job = jobs.latest_job(world.competition.id)
    assert job is not None
    jobs.wait_for_local_job(job.id, timeout=120)
    db.session.expire_all()
    assert world.competition.assessment_summaries_sent_by_id == world.buyer.id
    assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.subject.like("Outcome of%"))).first()


def test_pasted_rationales_are_shown_and_sending_is_refused_with_the_criterion_and_bids(client, auth):
    world = approved_world(send=False, regime="pcr2015")
    criterion = _paste(world)
    auth.login(world.buyer.email)
    for path in ("moderation", "results", "letters"):
        page = client.get(f"/evaluation/{world.competition.id}/{path}").get_data(as_text=True)
        assert "The same moderated rationale is given to different bids" in page, path
        assert "Meets the requirement." in page
    response = client.post(f"/evaluation/{world.competition.id}/assessment-summaries", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert f"{criterion.title}: the same rationale is given to Alpha, Charlie" in page
    db.session.expire_all()
    assert world.competition.assessment_summaries_sent_at is None
    # The moderator can still rewrite the rationale (not the score) from the moderation page.
    moderate = f"/evaluation/{world.competition.id}/bids/{world.bids['Charlie'].id}/criteria/{criterion.id}/moderate"
    assert "only the rationale can be changed" in client.get(moderate).get_data(as_text=True)


def test_staff_set_a_users_job_title(client, auth):
    staff = make_user("staff")
    approver = make_user("approver")
    db.session.commit()
    auth.login(staff.email)
    url = f"/admin/users/{approver.id}/job-title"
    response = client.post(url, data={"job_title": "x" * 201})
    assert response.status_code == 200 and "200 characters or fewer" in response.get_data(as_text=True)
    response = client.post(url, data={"job_title": "  Head of   Procurement "}, follow_redirects=True)
    assert "Head of Procurement" in response.get_data(as_text=True)
    db.session.expire_all()
    assert approver.job_title == "Head of Procurement"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "user.job_title_changed"))
