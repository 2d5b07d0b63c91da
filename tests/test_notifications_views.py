"""The notifications pages: the list (newest first, paged, unread marked), opening an entry, mark all as read, the
header's unread count, the settings page and the one-click unsubscribe link."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Notification, NotificationOptOut
from portal.models.base import utcnow
from portal.services.notifications import inbox, notify, unsubscribe_token
from tests.conftest import TEST_PASSWORD  # noqa: F401  (the sign-in helper uses it)
from tests.factories import make_supplier, make_user


def _entry(user, subject="Hello", *, minutes_ago=0, read=False, link="/"):
    entry = Notification(
        user_id=user.id,
        kind="question_asked",
        subject=subject,
        body="First paragraph.\n\nSecond paragraph.",
        link=link,
        created_at=utcnow() - timedelta(minutes=minutes_ago),
        read_at=utcnow() if read else None,
    )
    db.session.add(entry)
    db.session.commit()
    return entry


def _opt_outs(user) -> set[str]:
    return set(db.session.scalars(select(NotificationOptOut.kind).where(NotificationOptOut.user_id == user.id)))


def test_list_shows_newest_first_with_unread_marked_and_header_count(app, client, auth):
    user = make_user("buyer", email="b@example.test")
    _entry(user, "Older and read", minutes_ago=10, read=True)
    _entry(user, "Newer and unread", minutes_ago=1)
    db.session.commit()
    auth.login("b@example.test")
    html = client.get("/notifications").get_data(as_text=True)
    assert html.index("Newer and unread") < html.index("Older and read")
    assert html.count(">\n  Unread\n</strong>") + html.count(">Unread</strong>") == 1
    assert "You have 1 unread notification." in html
    assert 'Notifications<span class="govuk-visually-hidden">,</span>' in html
    assert '1<span class="govuk-visually-hidden"> unread</span>' in html


def test_header_has_no_count_when_all_read_and_nothing_for_anonymous(app, client, auth):
    user = make_user("supplier", email="s@example.test", supplier=make_supplier())
    _entry(user, read=True)
    auth.login("s@example.test")
    html = client.get("/notifications").get_data(as_text=True)
    assert "app-unread-count" not in html
    auth.logout()
    assert "/notifications" not in client.get("/sign-in").get_data(as_text=True)


def test_list_is_paged(app, client, auth):
    user = make_user("buyer", email="b@example.test")
    for n in range(inbox.PER_PAGE + 3):
        _entry(user, f"Entry number {n:02d}", minutes_ago=100 - n)
    auth.login("b@example.test")
    first = client.get("/notifications").get_data(as_text=True)
    assert f"Entry number {inbox.PER_PAGE + 2:02d}" in first and "Entry number 00" not in first
    second = client.get("/notifications?page=2").get_data(as_text=True)
    assert "Entry number 00" in second and f"Entry number {inbox.PER_PAGE + 2:02d}" not in second
    assert "Showing 21 to 23 of 23" in second
    assert client.get("/notifications?page=nonsense").status_code == 200


def test_opening_an_entry_marks_it_read_and_redirects_to_its_link(app, client, auth):
    user = make_user("buyer", email="b@example.test")
    entry = _entry(user, link="/competitions")
    auth.login("b@example.test")
    response = client.get(f"/notifications/{entry.id}")
    assert response.status_code == 302 and response.headers["Location"] == "/competitions"
    db.session.refresh(entry)
    assert entry.read_at is not None
    blank = _entry(user, link="")
    assert client.get(f"/notifications/{blank.id}").headers["Location"] == "/notifications"


def test_nobody_else_may_open_an_entry(app, client, auth):
    owner = make_user("buyer", email="owner@example.test")
    make_user("buyer", email="other@example.test", organisation=owner.buyer_organisation)
    entry = _entry(owner)
    auth.login("other@example.test")
    assert client.get(f"/notifications/{entry.id}").status_code == 404
    db.session.refresh(entry)
    assert entry.read_at is None


def test_mark_all_as_read_only_touches_own_entries(app, client, auth):
    user = make_user("buyer", email="b@example.test")
    other = make_user("buyer", email="o@example.test")
    _entry(user)
    _entry(user)
    theirs = _entry(other)
    auth.login("b@example.test")
    response = client.post("/notifications/mark-all-read", follow_redirects=True)
    assert "2 notifications marked as read" in response.get_data(as_text=True)
    assert inbox.unread_count(user) == 0
    db.session.refresh(theirs)
    assert theirs.read_at is None


def test_mark_all_as_read_needs_the_csrf_token(app, client, auth):
    user = make_user("buyer", email="b@example.test")
    _entry(user)
    auth.login("b@example.test")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/notifications/mark-all-read").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert inbox.unread_count(user) == 1


def test_settings_lists_optional_kinds_as_checkboxes_and_the_rest_as_always_sent(app, client, auth):
    make_user("evaluator", email="e@example.test")
    auth.login("e@example.test")
    html = client.get("/notifications/settings").get_data(as_text=True)
    assert 'name="kinds" type="checkbox" value="reminder_deadline" checked' in html
    assert 'value="reminder_scores_due" checked' in html
    assert 'value="reminder_standstill_ending"' not in html  # a legal step: never optional
    assert "Always sent" in html and "Standstill ending (sent to the buyer)" in html


def test_saving_settings_turns_unticked_kinds_off_and_is_audited(app, client, auth):
    user = make_user("evaluator", email="e@example.test")
    auth.login("e@example.test")
    ticked = ["reminder_deadline", "reminder_approval_waiting", "reminder_accreditation_expiring"]
    ticked += ["reminder_contract_ending", "reminder_standstill_ending"]  # not optional: ignored
    response = client.post("/notifications/settings", data={"kinds": ticked}, follow_redirects=True)
    assert "Your notification settings have been saved" in response.get_data(as_text=True)
    assert _opt_outs(user) == {"reminder_scores_due"}
    html = client.get("/notifications/settings").get_data(as_text=True)
    assert 'value="reminder_scores_due" aria-describedby' in html  # unticked
    assert 'value="reminder_deadline" checked' in html
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.event_type == "notification.settings_changed")).one()
    assert event.actor_id == user.id
    client.post("/notifications/settings", data={"kinds": ticked})  # unchanged: no second event
    client.post("/notifications/settings", data={"kinds": [*ticked, "reminder_scores_due"]})
    assert _opt_outs(user) == set()
    count = select(func.count()).where(AuditEvent.event_type == "notification.settings_changed")
    assert db.session.scalar(count) == 2


def test_unsubscribe_link_confirms_then_turns_the_kind_off_without_sign_in(app, client):
    user = make_user("supplier", email="s@example.test", supplier=make_supplier())
    token = unsubscribe_token(user.id, "reminder_deadline")
    page = client.get(f"/notifications/unsubscribe/{token}")
    assert page.status_code == 200 and "Turn off these reminders" in page.get_data(as_text=True)
    assert _opt_outs(user) == set()
    done = client.post(f"/notifications/unsubscribe/{token}")
    assert done.status_code == 200 and "Reminders turned off" in done.get_data(as_text=True)
    assert _opt_outs(user) == {"reminder_deadline"}
    assert client.post(f"/notifications/unsubscribe/{token}").status_code == 200  # twice changes nothing
    count = select(func.count()).where(AuditEvent.event_type == "notification.settings_changed")
    assert db.session.scalar(count) == 1


def test_one_click_post_from_a_mail_client_needs_no_csrf_token(app, client):
    user = make_user("supplier", email="s@example.test", supplier=make_supplier())
    token = unsubscribe_token(user.id, "reminder_accreditation_expiring")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/notifications/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 200
    assert _opt_outs(user) == {"reminder_accreditation_expiring"}


def test_bad_tokens_are_a_clear_not_found_page(app, client):
    user = make_user("supplier", email="s@example.test", supplier=make_supplier())
    legal = unsubscribe_token(user.id, "reminder_standstill_ending")  # cannot be turned off
    unknown_person = unsubscribe_token(999_999, "reminder_deadline")
    forged = unsubscribe_token(user.id, "reminder_deadline")[:-3] + "abc"
    for token in ("not-a-token", legal, unknown_person, forged, unsubscribe_token(user.id, "no_such_kind")):
        for method in ("GET", "POST"):
            response = client.open(f"/notifications/unsubscribe/{token}", method=method)
            assert response.status_code == 404, (token, method)
            assert "This unsubscribe link is not valid" in response.get_data(as_text=True)
    assert _opt_outs(user) == set()


def test_notify_entries_appear_in_the_list(app, client, auth):
    user = make_user("buyer", email="b@example.test")
    with app.test_request_context():
        notify([user], "question_asked", "A supplier asked a question", "Please answer it.", link="/competitions")
    db.session.commit()
    auth.login("b@example.test")
    html = client.get("/notifications").get_data(as_text=True)
    assert "A supplier asked a question" in html and "Please answer it." in html


def test_a_failing_count_never_breaks_the_page(app, client, auth, monkeypatch):
    from sqlalchemy.exc import OperationalError

    make_user("buyer", email="b@example.test")
    auth.login("b@example.test")

    def broken(user):
        raise OperationalError("SELECT count", {}, Exception("connection lost"))

    monkeypatch.setattr(inbox, "unread_count", broken)
    response = client.get("/notifications/settings")
    assert response.status_code == 200 and "app-unread-count" not in response.get_data(as_text=True)
