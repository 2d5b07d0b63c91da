"""The audit log page and its filters, event detail, chain verification, and supplier-change review."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from flask import g
from sqlalchemy import select, text

from portal.extensions import db
from portal.models import AuditEvent, SupplierChangeReview
from portal.services import audit
from portal.services.errors import ConflictError, PermissionDeniedError, ValidationError
from portal.services.people import audit_log
from tests.factories import make_supplier, make_user


@pytest.fixture
def staff(auth):
    user = make_user("staff", email="staff@pds.example", name="Priya Staff")
    db.session.commit()
    auth.login("staff@pds.example")
    return user


def _body(response) -> str:
    return response.get_data(as_text=True)


def _record_at(when: datetime, actor, event_type: str, object_type: str = "thing", object_id: int = 1, **kw):
    with time_machine.travel(when, tick=False):
        event = audit.record(actor, event_type, object_type, object_id, **kw)
    db.session.commit()
    return event


# --- pure helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        # Summer (BST, UTC+1): a London day starts at 23:00 UTC the evening before.
        (date(2026, 7, 1), datetime(2026, 6, 30, 23, tzinfo=UTC), datetime(2026, 7, 1, 23, tzinfo=UTC)),
        # Winter (GMT): London days are UTC days.
        (date(2026, 1, 15), datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 1, 16, tzinfo=UTC)),
        # The day the clocks go forward is 23 hours long.
        (date(2026, 3, 29), datetime(2026, 3, 29, tzinfo=UTC), datetime(2026, 3, 29, 23, tzinfo=UTC)),
    ],
)
def test_london_day_bounds(day, start, end):
    assert audit_log.london_day_bounds(day, day) == (start, end)


def test_no_dates_means_no_bounds():
    assert audit_log.london_day_bounds(None, None) == (None, None)


# --- filtering ---------------------------------------------------------------------------------


def test_each_filter_narrows_the_events():
    staff = make_user("staff", email="staff@pds.example")
    supplier_user = make_user("supplier", email="alex@orlo.example")
    db.session.commit()
    a = _record_at(datetime(2026, 6, 30, 22, 30, tzinfo=UTC), staff, "lot.created", "lot", 5)
    b = _record_at(datetime(2026, 6, 30, 23, 30, tzinfo=UTC), supplier_user, "supplier.updated", "supplier", 7)
    c = _record_at(datetime(2026, 7, 2, 9, 0, tzinfo=UTC), staff, "lot.updated", "lot", 6)

    def ids(**kw) -> list[int]:
        return [e.id for e in audit_log.search_events(staff, audit_log.AuditQuery(**kw)).items]

    assert ids() == [c.id, b.id, a.id]  # newest first
    assert ids(actor="ORLO") == [b.id]
    assert ids(event_type="lot.created") == [a.id]
    assert ids(object_type="lot") == [c.id, a.id]
    assert ids(object_type="lot", object_id="6") == [c.id]
    # 23:30 UTC on 30 June is 00:30 on 1 July in London.
    assert ids(date_from=date(2026, 7, 1), date_to=date(2026, 7, 1)) == [b.id]
    assert ids(date_to=date(2026, 6, 30)) == [a.id]
    assert ids(date_from=date(2026, 7, 2)) == [c.id]


def test_end_before_start_is_refused():
    with pytest.raises(ValidationError) as caught:
        audit_log.search_events(None, audit_log.AuditQuery(date_from=date(2026, 7, 2), date_to=date(2026, 7, 1)))
    assert caught.value.field == "date_to"


def test_field_changes_pair_before_and_after():
    staff = make_user("staff")
    db.session.commit()
    event = audit.record(
        staff, "x.changed", "x", 1, before={"name": "Old", "n": 1}, after={"name": "New", "tags": ["a"]}
    )
    rows = {c.field: c for c in audit_log.field_changes(event)}
    assert (rows["name"].before, rows["name"].after) == ("Old", "New")
    assert rows["n"].has_after is False
    assert rows["tags"].had_before is False and rows["tags"].after == '["a"]'


# --- the audit log page ------------------------------------------------------------------------


def test_audit_page_lists_events_and_keeps_filters_in_links(client, staff):
    for n in range(55):
        audit.record(staff, "thing.touched", "thing", n, summary=f"Touched thing {n}")
    db.session.commit()
    first = _body(client.get("/admin/audit?event_type=thing.touched"))
    assert "Touched thing 54" in first and "Touched thing 4<" not in first
    assert "Showing 1 to 50 of 55 events" in first
    assert "event_type=thing.touched&amp;page=2" in first or "page=2&amp;event_type=thing.touched" in first
    second = _body(client.get("/admin/audit?event_type=thing.touched&page=2"))
    assert "Touched thing 0" in second


def test_audit_page_filters_by_object_and_actor(client, staff):
    other = make_user("staff", email="other@pds.example")
    db.session.commit()
    audit.record(other, "thing.touched", "thing", 1, summary="By other")
    audit.record(staff, "thing.touched", "thing", 2, summary="By staff")
    db.session.commit()
    body = _body(client.get("/admin/audit?actor=other%40"))
    assert "By other" in body and "By staff" not in body
    body = _body(client.get("/admin/audit?object_type=thing&object_id=2"))
    assert "By staff" in body and "By other" not in body


def test_audit_page_date_filter_uses_london_days(client, staff):
    _record_at(datetime(2026, 6, 30, 23, 30, tzinfo=UTC), staff, "thing.touched", summary="Just after midnight")
    _record_at(datetime(2026, 6, 30, 22, 30, tzinfo=UTC), staff, "thing.touched", summary="Just before midnight")
    body = _body(client.get("/admin/audit?date_from=1&date_from=7&date_from=2026&date_to=1&date_to=7&date_to=2026"))
    assert "Just after midnight" in body and "Just before midnight" not in body


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("event_type=no.such.type", "Select an event type from the list"),
        ("object_type=spaceship", "Select an object type from the list"),
        ("date_from=31&date_from=2&date_from=2026", "From date must be a real date"),
        ("date_from=1&date_from=&date_from=", "From date must include a month"),
        ("date_to=x", "To date must include a month"),
        ("date_to=1&date_to=2&date_to=26", "To date must be a real date"),
        (
            "date_from=2&date_from=7&date_from=2026&date_to=1&date_to=7&date_to=2026",
            "The end date must be the same as or after the start date",
        ),
        ("object_id=" + "9" * 61, "Object ID must be 60 characters or fewer"),
    ],
)
def test_bad_audit_filters_show_error_summary_not_500(client, staff, query, message):
    response = client.get(f"/admin/audit?{query}")
    body = _body(response)
    assert response.status_code == 200
    assert "There is a problem" in body
    assert message in body
    assert "<title>Error: Audit log" in body


def test_bad_date_keeps_what_was_typed(client, staff):
    body = _body(client.get("/admin/audit?date_from=31&date_from=2&date_from=2026"))
    assert 'value="31"' in body and 'value="2026"' in body


def test_date_errors_in_the_summary_link_to_a_box_that_takes_focus(client, staff):
    body = _body(client.get("/admin/audit?date_from=1&date_from=&date_from=2026&date_to=31&date_to=2&date_to=2026"))
    assert '<a href="#date_from-month">From date must include a month</a>' in body
    assert '<a href="#date_to-day">To date must be a real date</a>' in body
    assert 'id="date_from-month"' in body and 'id="date_to-day"' in body


def test_event_page_shows_hashes_and_changes(client, staff):
    event = audit.record(
        staff, "thing.renamed", "thing", 9, summary="Renamed", before={"name": "A"}, after={"name": "B"}
    )
    db.session.commit()
    body = _body(client.get(f"/admin/audit/{event.id}"))
    assert event.hash in body and event.prev_hash in body
    assert "thing.renamed" in body and "Renamed" in body
    assert "&#34;name&#34;: &#34;A&#34;" in body and "&#34;name&#34;: &#34;B&#34;" in body
    assert client.get("/admin/audit/99999").status_code == 404


# --- verifying the chain -----------------------------------------------------------------------


def test_verify_page_reports_intact_chain(client, staff):
    audit.record(staff, "thing.touched", "thing", 1)
    db.session.commit()
    assert "Verify the chain" in _body(client.get("/admin/audit/verify"))
    body = _body(client.post("/admin/audit/verify"))
    assert "Audit chain intact" in body
    assert "Every event verified" in body


def test_verify_page_survives_the_session_being_cleared_while_walking_the_chain(client, staff):
    # verify() empties the session as it pages through events; the page still renders the signed-in
    # user's name and organisation afterwards, which needs that user loaded fresh by the request.
    audit.record(staff, "thing.touched", "thing", 1)
    db.session.commit()
    db.session.expunge_all()
    g.pop("_login_user", None)
    response = client.post("/admin/audit/verify")
    assert response.status_code == 200
    assert "Priya Staff, Framework staff" in _body(response)


def test_verify_page_reports_first_broken_link_after_tampering(client, staff):
    for n in range(3):
        audit.record(staff, "thing.touched", "thing", n, summary=f"Original {n}")
    db.session.commit()
    target = db.session.scalar(select(AuditEvent.id).where(AuditEvent.summary == "Original 1"))
    db.session.execute(text("UPDATE audit_event SET summary = 'Quietly edited' WHERE id = :id"), {"id": target})
    db.session.commit()
    body = _body(client.post("/admin/audit/verify"))
    assert f"Audit chain broken at event {target}" in body
    assert "its content does not match its hash" in body


# --- supplier-change review --------------------------------------------------------------------


@pytest.fixture
def supplier_events(staff):
    supplier = make_supplier(trading_name="Orlo")
    alex = make_user("supplier", supplier=supplier, email="alex@orlo.example")
    db.session.commit()
    changed = audit.record(
        alex, "supplier.updated", "supplier", supplier.id, summary="Orlo updated its website",
        before={"website": "https://old.example"}, after={"website": "https://new.example"},
    )  # fmt: skip
    priced = audit.record(alex, "price.changed", "supplier_price", 3, summary="Orlo changed a price")
    for quiet in audit_log.NON_DATA_EVENTS:
        audit.record(alex, quiet, "user", alex.id, summary=f"{quiet} by supplier")
    audit.record(staff, "supplier.updated", "supplier", supplier.id, summary="Staff edit")
    db.session.commit()
    return changed, priced


def test_only_supplier_made_data_changes_are_pending(client, supplier_events):
    assert audit_log.unreviewed_supplier_changes_count(None) == 2
    body = _body(client.get("/admin/supplier-changes"))
    assert "Orlo updated its website" in body and "Orlo changed a price" in body
    assert "https://new.example" in body and "https://old.example" in body
    assert "by supplier" not in body and "Staff edit" not in body


def test_acknowledge_one_removes_it_from_pending_and_is_audited(client, staff, supplier_events):
    changed, _ = supplier_events
    response = client.post(f"/admin/supplier-changes/{changed.id}", data={"note": "Checked the website"})
    assert response.status_code == 302
    assert f"Change {changed.id} acknowledged" in _body(client.get(response.headers["Location"]))
    review = db.session.scalar(select(SupplierChangeReview).where(SupplierChangeReview.audit_event_id == changed.id))
    assert review.reviewed_by_id == staff.id and review.note == "Checked the website"
    assert audit_log.unreviewed_supplier_changes_count(None) == 1
    ack = db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "supplier_change.acknowledged"))
    assert ack.object_id == str(changed.id) and ack.actor_party == "staff"
    pending = _body(client.get("/admin/supplier-changes"))
    assert "Orlo updated its website" not in pending
    done = _body(client.get("/admin/supplier-changes/acknowledged"))
    assert "Orlo updated its website" in done and "Priya Staff" in done and "Checked the website" in done
    # Acknowledging again (say, from a page left open) is refused with a message.
    again = client.post(f"/admin/supplier-changes/{changed.id}", data={}, follow_redirects=True)
    assert "This change has already been acknowledged" in _body(again)
    assert db.session.scalar(select(db.func.count(SupplierChangeReview.id))) == 1


def test_acknowledge_several_at_once(client, supplier_events):
    changed, priced = supplier_events
    response = client.post("/admin/supplier-changes", data={"event_ids": [str(changed.id), str(priced.id)]})
    assert response.status_code == 302
    assert "2 changes acknowledged" in _body(client.get(response.headers["Location"]))
    assert audit_log.unreviewed_supplier_changes_count(None) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select at least one change to acknowledge"),
        ({"event_ids": "abc"}, "already been acknowledged or are not supplier changes"),
        ({"event_ids": "99999"}, "already been acknowledged or are not supplier changes"),
    ],
)
def test_bad_bulk_acknowledgement_is_an_error_summary(client, supplier_events, data, message):
    response = client.post("/admin/supplier-changes", data=data)
    body = _body(response)
    assert response.status_code == 200
    assert "There is a problem" in body
    assert message in body
    assert audit_log.unreviewed_supplier_changes_count(None) == 2


def test_staff_events_are_not_supplier_changes(client, staff, supplier_events):
    staff_event = db.session.scalar(select(AuditEvent).where(AuditEvent.summary == "Staff edit"))
    assert client.get(f"/admin/supplier-changes/{staff_event.id}").status_code == 404
    with pytest.raises(ConflictError):
        audit_log.acknowledge(staff, [staff_event.id])


def test_only_staff_may_acknowledge(supplier_events):
    changed, _ = supplier_events
    buyer = make_user("buyer")
    db.session.commit()
    with pytest.raises(PermissionDeniedError):
        audit_log.acknowledge(buyer, [changed.id])
