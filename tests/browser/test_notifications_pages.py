"""The notifications pages in a browser: the list with unread entries and its header count, the settings page and
the unsubscribe confirmation and done pages: no axe-core violations, no console errors, and no sideways scrolling
at 320 CSS pixels wide (WCAG 1.4.10 reflow)."""

from __future__ import annotations

from portal.extensions import db
from portal.models import Notification
from portal.services.notifications import unsubscribe_token
from tests.browser.helpers import axe_violations, check_page
from tests.conftest import TEST_PASSWORD
from tests.factories import make_supplier, make_user


def _reflows(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _check_both_widths(page, url: str, name: str) -> None:
    for width in (1024, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(url)
        page.wait_for_load_state()
        check_page(page, f"{name}@{width}")
        assert _reflows(page), f"{name} scrolls sideways at {width}px"


def test_notifications_pages_are_accessible_and_reflow(app, live_server, page):
    user = make_user("supplier", email="bids@example.test", supplier=make_supplier())
    for n in range(3):
        db.session.add(
            Notification(
                user_id=user.id,
                kind="reminder_deadline",
                subject=f"Submission deadline in 3 days: CF-2026-{n:04d} Very long competition title for reflow",
                body="Your bid is not yet submitted.\n\nSubmit it before the deadline.",
                link="/dashboard",
            )
        )
    db.session.commit()
    page.goto(f"{live_server}/sign-in")
    page.fill("#email", "bids@example.test")
    page.fill("#password", TEST_PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state()

    _check_both_widths(page, f"{live_server}/notifications", "list")
    assert page.locator("a[href='/notifications']").first.inner_text().replace("\n", " ").startswith("Notifications")
    _check_both_widths(page, f"{live_server}/notifications/settings", "settings")
    token = unsubscribe_token(user.id, "reminder_deadline")
    _check_both_widths(page, f"{live_server}/notifications/unsubscribe/{token}", "unsubscribe")
    page.click("button:has-text('Turn off these reminders')")
    page.wait_for_load_state()
    check_page(page, "unsubscribed")
    assert _reflows(page)
    # A forged token is a 404 page (the browser logs the 404 status as a console error, so only axe is checked).
    page.set_viewport_size({"width": 320, "height": 800})
    response = page.goto(f"{live_server}/notifications/unsubscribe/forged")
    assert response is not None and response.status == 404
    assert "This unsubscribe link is not valid" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    assert _reflows(page)
