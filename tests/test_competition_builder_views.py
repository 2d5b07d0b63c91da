"""View tests for the competition builder: statuses, each form's bad input (GOV.UK error summary, values
kept, never a 500), publishing, extension, cancellation, organisation isolation and role refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import Competition
from portal.services.competitions import publication
from tests.test_competition_builder_support import complete, node, start, world

SUMMARY = "There is a problem"


@pytest.fixture
def w():
    return world()


def signed_in(auth, user):
    assert auth.login(user.email).status_code == 302


def url(competition, section: str = "") -> str:
    return f"/competitions/{competition.id}" + (f"/{section}" if section else "")


def test_index_lists_only_own_organisation_competitions(client, auth, w):
    mine = start(w)
    theirs = start(w)
    theirs.buyer_organisation_id = w.other_buyer.buyer_organisation_id
    theirs.title = "Northumbria platform"
    db.session.commit()
    signed_in(auth, w.buyer)
    page = client.get("/competitions/").get_data(as_text=True)
    assert mine.reference in page and "Draft" in page
    assert theirs.reference not in page and "Northumbria platform" not in page


def test_start_a_competition(client, auth, w):
    signed_in(auth, w.approver)
    page = client.get("/competitions/new").get_data(as_text=True)
    assert w.lot.label in page
    bad = client.post("/competitions/new", data={"title": "My title"})
    assert bad.status_code == 200 and SUMMARY in bad.get_data(as_text=True)
    assert "Select a framework lot" in bad.get_data(as_text=True) and "My title" in bad.get_data(as_text=True)
    response = client.post("/competitions/new", data={"lot_id": w.lot.id, "title": "Platform for Force A"})
    competition = db.session.query(Competition).one()
    assert response.status_code == 302 and response.headers["Location"].endswith(url(competition))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "started" in page and "Not yet started" in page and "Cannot start yet" in page
    assert "Competition incomplete" in page and "Competition ready to publish" not in page


def test_task_list_shows_completed_sections(client, auth, w):
    competition = complete(start(w), w.buyer)
    signed_in(auth, w.buyer)
    page = client.get(url(competition)).get_data(as_text=True)
    assert page.count("Completed") >= 5 and "Cannot start yet" not in page
    assert "You have completed 5 of 5 sections" in page
    # The summary agrees with the statuses: every section done is not "incomplete" (it once said so).
    assert "Competition ready to publish" in page and "Competition incomplete" not in page


def test_details_bad_input_keeps_values(client, auth, w):
    competition = start(w)
    signed_in(auth, w.buyer)
    data = {
        "title": "Kept title",
        "statement_of_requirements": "Kept statement",
        "estimated_value": "12x",
        "term_months": "48",
        "planned_start_on": ["1", "4", str(today_london().year + 1)],
    }
    page = client.post(url(competition, "details"), data=data).get_data(as_text=True)
    assert SUMMARY in page and "Enter the estimated value in pounds" in page
    assert "Kept statement" in page and "Kept title" in page
    data["estimated_value"] = "45,000"
    page = client.post(url(competition, "details"), data=data).get_data(as_text=True)
    assert "36 months or fewer" in page and 'value="48"' in page
    data["term_months"] = "24"
    response = client.post(url(competition, "details"), data=data)
    assert response.status_code == 302
    assert competition.estimated_value_pence == 4_500_000 and competition.term_months == 24


def test_details_empty_post_is_not_a_server_error(client, auth, w):
    competition = start(w)
    signed_in(auth, w.buyer)
    response = client.post(url(competition, "details"), data={})
    assert response.status_code == 200 and SUMMARY in response.get_data(as_text=True)


def test_weights_page_shows_domain_errors_and_keeps_values(client, auth, w):
    competition = start(w)
    signed_in(auth, w.buyer)
    quality, price = node(competition, "Quality"), node(competition, "Price")
    data = {f"weight_{n.id}": "25" for n in competition.criteria if n.kind == "quality"}
    data.update(
        {
            f"weight_{quality.id}": "80",
            f"weight_{price.id}": "30",
            f"weight_{node(competition, 'Social value').id}": "0",
        }
    )
    data[f"weight_{node(competition, 'Supporting communities and victims').id}"] = "100"
    page = client.post(url(competition, "criteria"), data=data).get_data(as_text=True)
    assert SUMMARY in page
    assert "Quality weight must be between 50 % and 70 %" in page
    assert "Group weights add up to 110 %" in page
    assert 'value="80"' in page and 'value="30"' in page
    bad = client.post(url(competition, "criteria"), data={f"weight_{quality.id}": "lots"})
    assert bad.status_code == 200 and "Weight of Quality must be a number" in bad.get_data(as_text=True)
    data[f"weight_{quality.id}"], data[f"weight_{price.id}"] = "60", "40"
    response = client.post(url(competition, "criteria"), data=data)
    assert response.status_code == 302
    assert "Completed" in client.get(url(competition)).get_data(as_text=True)


def test_criterion_page_refines_and_reports_missing_descriptor(client, auth, w):
    competition = start(w)
    incident = node(competition, "Critical incident content control")
    signed_in(auth, w.buyer)
    page_url = url(competition, f"criteria/{incident.id}")
    assert "What each score means" in client.get(page_url).get_data(as_text=True)
    data = {"question": "Refined question", "guidance": "", "word_limit": "300", "scale_max": "5", "min_score": "2"}
    data.update({f"descriptor_{s}": f"Meaning {s}" for s in range(6)})
    data["descriptor_3"] = ""
    page = client.post(page_url, data=data).get_data(as_text=True)
    assert SUMMARY in page and "Describe what a score of 3 means" in page and "Refined question" in page
    data["scale_max"] = "10"
    response = client.post(page_url, data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith(page_url)
    assert incident.scale_max == 10 and len(incident.descriptors) == 11
    assert client.post(page_url, data={"question": ""}).status_code == 200


def test_split_and_remove_sub_criteria(client, auth, w):
    competition = start(w)
    security = node(competition, "Security and auditability")
    signed_in(auth, w.buyer)
    add = url(competition, f"criteria/{security.id}/sub-criteria")
    assert SUMMARY in client.post(add, data={}).get_data(as_text=True)
    assert client.post(add, data={"title": "Audit trail", "question": "How?"}).status_code == 302
    sub = node(competition, "Audit trail")
    page = client.post(url(competition, f"criteria/{security.id}/remove"), follow_redirects=True)
    assert "can be refined but not removed" in page.get_data(as_text=True)
    client.post(url(competition, f"criteria/{sub.id}/remove"))
    assert [c.title for c in security.children] == []


def test_price_page_bad_input_and_save(client, auth, w):
    competition = start(w)
    items = competition.lot.price_items
    signed_in(auth, w.buyer)
    data = {
        f"quantity_{items[0].id}": "ten",
        f"quantity_{items[1].id}": "2",
        "price_method": "linear",
        "tie_break_1": "higher_quality",
        "tie_break_2": "",
        "abnormally_low_percent": "20",
    }
    page = client.post(url(competition, "price"), data=data).get_data(as_text=True)
    assert SUMMARY in page and "Quantity of User licence must be a whole number" in page and 'value="ten"' in page
    data[f"quantity_{items[0].id}"] = "10"
    page = client.post(url(competition, "price"), data=data).get_data(as_text=True)
    assert "Enter the budget for the linear price method" in page
    data["budget"] = "60,000"
    assert client.post(url(competition, "price"), data=data).status_code == 302
    assert competition.price_budget_pence == 6_000_000 and competition.tie_break == "higher_quality"
    assert client.post(url(competition, "price"), data={}).status_code == 200


def _timetable_data(day, clarify_time="12:00", submit_time="17:00"):
    before = day - timedelta(days=1)
    later = day + timedelta(days=13)
    return {
        "clarification_date": [str(before.day), str(before.month), str(before.year)],
        "clarification_time": clarify_time,
        "submission_date": [str(day.day), str(day.month), str(day.year)],
        "submission_time": submit_time,
        "evaluation_on": [str(later.day), str(later.month), str(later.year)],
        "award_on": [str(later.day), str(later.month), str(later.year)],
    }


def test_timetable_entered_in_london_time_and_stored_utc(client, auth, w):
    competition = start(w)
    signed_in(auth, w.buyer)
    summer = datetime(today_london().year + 1, 7, 15).date()
    page = client.post(url(competition, "timetable"), data=_timetable_data(summer, submit_time="25:00"))
    assert "Enter the submission deadline time in 24-hour format, like 17:00" in page.get_data(as_text=True)
    response = client.post(url(competition, "timetable"), data=_timetable_data(summer))
    assert response.status_code == 302
    # 17:00 British Summer Time is 16:00 UTC.
    assert competition.submission_deadline_at == datetime(summer.year, 7, 15, 16, 0, tzinfo=UTC)
    page = client.get(url(competition, "timetable")).get_data(as_text=True)
    assert 'value="17:00"' in page


def test_timetable_before_the_minimum_bid_period(client, auth, w):
    competition = start(w)
    signed_in(auth, w.buyer)
    soon = today_london() + timedelta(days=3)
    data = _timetable_data(soon)
    page = client.post(url(competition, "timetable"), data=data).get_data(as_text=True)
    assert SUMMARY in page and "minimum bid period is 10 days" in page
    assert competition.submission_deadline_at is None
    assert client.post(url(competition, "timetable"), data={}).status_code == 200


def test_suppliers_page_narrowing_needs_a_reason(client, auth, w):
    competition = start(w)
    channels = w.lot.capabilities[0]
    signed_in(auth, w.buyer)
    page = client.get(url(competition, "suppliers")).get_data(as_text=True)
    assert "Suspended from this lot: Failed audit" in page and "Excluded" in page
    page = client.post(url(competition, "suppliers"), data={"capability_ids": [str(channels.id)]})
    assert SUMMARY in page.get_data(as_text=True) and "Enter why only suppliers" in page.get_data(as_text=True)
    response = client.post(
        url(competition, "suppliers"), data={"capability_ids": [str(channels.id)], "narrowing_reason": "Must do it"}
    )
    assert response.status_code == 302 and competition.narrowing_reason == "Must do it"
    bad = client.post(url(competition, "suppliers"), data={"capability_ids": ["nope"]})
    assert bad.status_code == 200


def test_review_refuses_incomplete_and_publishes_complete(client, auth, w):
    competition = start(w)
    signed_in(auth, w.buyer)
    page = client.get(url(competition, "review")).get_data(as_text=True)
    assert "You cannot publish yet" in page and "Complete the section: Details" in page
    assert client.post(url(competition, "review")).status_code == 200
    complete(competition, w.buyer)
    page = client.get(url(competition, "review")).get_data(as_text=True)
    assert "Publish competition" in page and "Relative to the lowest price" in page and "15 %" in page
    response = client.post(url(competition, "review"))
    assert response.status_code == 302 and competition.published_at is not None
    page = client.get(url(competition)).get_data(as_text=True)
    assert "Open for bids" in page and "read-only" in page
    locked = client.post(url(competition, "details"), data={"title": "New"}).get_data(as_text=True)
    assert "can no longer be changed" in locked


def test_extend_and_cancel_pages(client, auth, w):
    competition = complete(start(w), w.buyer)
    publication.publish(w.buyer, competition.id)
    signed_in(auth, w.approver)
    page = client.post(url(competition, "extend"), data={}).get_data(as_text=True)
    assert SUMMARY in page and "Enter the new deadline date" in page and "Enter a reason" in page
    later = competition.submission_deadline_at.astimezone(UTC) + timedelta(days=7)
    data = {
        "new_date": [str(later.day), str(later.month), str(later.year)],
        "new_time": "12:00",
        "reason": "More time",
    }
    assert client.post(url(competition, "extend"), data=data).status_code == 302
    assert len(competition.extensions) == 1
    page = client.post(url(competition, "cancel"), data={"reason": ""}).get_data(as_text=True)
    assert "Enter a reason" in page
    assert client.post(url(competition, "cancel"), data={"reason": "Budget withdrawn"}).status_code == 302
    assert competition.cancel_reason == "Budget withdrawn"
    assert "Cancelled" in client.get(url(competition)).get_data(as_text=True)


BUILDER_PATHS = ("", "details", "criteria", "price", "timetable", "suppliers", "review", "extend", "cancel")


def test_buyer_of_another_organisation_gets_404_everywhere(client, auth, w):
    competition = start(w)
    incident = node(competition, "Critical incident content control")
    signed_in(auth, w.other_buyer)
    for path in (*BUILDER_PATHS, f"criteria/{incident.id}", f"criteria/{incident.id}/sub-criteria"):
        assert client.get(url(competition, path)).status_code == 404, path
    assert client.post(url(competition, "review")).status_code == 404
    assert client.post(url(competition, f"criteria/{incident.id}/remove")).status_code == 404


@pytest.mark.parametrize("persona", ["evaluator", "staff", "supplier"])
def test_builder_refused_to_other_roles(client, auth, w, persona):
    competition = start(w)
    user = {"evaluator": w.evaluator, "staff": w.staff, "supplier": w.supplier_users[0]}[persona]
    signed_in(auth, user)
    assert client.get("/competitions/").status_code == 403
    assert client.get("/competitions/new").status_code == 403
    for path in BUILDER_PATHS:
        assert client.get(url(competition, path)).status_code == 403, path


def test_a_concurrent_edit_is_a_message_not_a_crash(client, auth, w, monkeypatch):
    from sqlalchemy.orm.exc import StaleDataError

    from portal.services.competitions import builder

    competition = start(w)
    signed_in(auth, w.buyer)

    def lost_race(*args, **kwargs):
        raise StaleDataError("UPDATE statement on table 'competition' expected to update 1 row(s); 0 were matched.")

    monkeypatch.setattr(builder, "update_details", lost_race)
    data = {
        "title": "T",
        "statement_of_requirements": "S",
        "estimated_value": "1",
        "term_months": "12",
        "planned_start_on": ["1", "4", str(today_london().year + 1)],
    }
    response = client.post(url(competition, "details"), data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith(url(competition, "details"))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Another officer changed this competition" in page


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17:00", (17, 0)),
        ("9:30", (9, 30)),
        ("5pm", (17, 0)),
        ("5.30pm", (17, 30)),
        ("12am", (0, 0)),
        ("12pm", (12, 0)),
    ],
)
def test_times_people_type(text, expected):
    from portal.competitions.forms import parse_time

    parsed = parse_time(text)
    assert (parsed.hour, parsed.minute) == expected


@pytest.mark.parametrize("text", ["25:00", "17", "noon", "13pm", "17:60"])
def test_times_refused(text):
    from portal.competitions.forms import parse_time

    with pytest.raises(ValueError):
        parse_time(text)


def test_a_time_skipped_by_the_clocks_going_forward_is_refused(client, auth, w):
    competition = start(w)
    signed_in(auth, w.buyer)
    year = today_london().year + 1
    spring = max(d for d in (datetime(year, 3, day) for day in range(25, 32)) if d.weekday() == 6).date()
    data = _timetable_data(spring, submit_time="01:30")
    page = client.post(url(competition, "timetable"), data=data).get_data(as_text=True)
    assert "01:30 does not exist on that day: the clocks go forward" in page
