"""Two-factor sign-in in a browser: setting it up at sign-in (with an error), the recovery codes, Your account, a
confirmation with an error, the security code page at the next sign-in, and staff's reset page; no axe-core
violations and no console errors on any of them."""

from __future__ import annotations

import os
import re
import time

import pyotp

from portal.extensions import db
from tests.browser.helpers import check_page, sign_in
from tests.conftest import TEST_PASSWORD
from tests.factories import make_user

SCREENSHOTS = os.environ.get("TWO_FACTOR_SCREENSHOTS")  # a folder, to look at the pages while changing them


def _check(page, name: str) -> None:
    check_page(page, name, SCREENSHOTS)


def _password(page, base: str, email: str) -> None:
    page.goto(f"{base}/sign-in")
    page.fill("#email", email)
    page.fill("#password", TEST_PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state()


def test_two_factor_pages_are_accessible(app, live_server, page, monkeypatch):
    monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", frozenset({"buyer"}))
    buyer = make_user("buyer", email="buyer@example.test", name="Bea Buyer")
    make_user("staff", email="staff@example.test", name="Sam Staff")
    db.session.commit()

    _password(page, live_server, "buyer@example.test")
    assert page.url.endswith("/sign-in/set-up-authenticator")
    assert page.locator("svg.app-qr-code title").text_content() == "QR code for your authenticator app"
    _check(page, "set_up")
    page.click("button:has-text('Turn on two-factor sign-in')")
    page.locator(".govuk-error-summary").wait_for(state="visible")
    _check(page, "set_up_error")
    secret = re.sub(r"\s", "", page.locator(".govuk-inset-text code").inner_text())
    totp = pyotp.TOTP(secret)
    page.fill("#code", totp.now())
    page.click("button:has-text('Turn on two-factor sign-in')")
    page.locator("h1:has-text('Save your recovery codes')").wait_for()
    codes = page.locator(".app-recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    _check(page, "recovery_codes")
    page.click("a:has-text('I have saved my recovery codes')")
    page.wait_for_url(f"{live_server}/dashboard")

    page.click("a:has-text('Your account')")
    page.wait_for_url(f"{live_server}/account")
    _check(page, "account")
    page.click("a:has-text('Make new recovery codes')")
    page.click("button:has-text('Make new recovery codes')")
    page.locator(".govuk-error-summary").wait_for(state="visible")
    _check(page, "new_codes_error")
    page.click("button:has-text('Sign out')")
    page.wait_for_load_state()

    _password(page, live_server, "buyer@example.test")
    assert page.url.endswith("/sign-in/security-code")
    _check(page, "security_code")
    page.fill("#code", totp.at(time.time() + 30))  # the next step: the current one was spent setting up
    page.click("button:has-text('Continue')")
    page.wait_for_url(f"{live_server}/dashboard")
    page.click("button:has-text('Sign out')")
    page.wait_for_load_state()

    sign_in(page, live_server, "staff@example.test", TEST_PASSWORD)
    page.goto(f"{live_server}/admin/users/{buyer.id}")
    _check(page, "staff_user_page")
    page.click("a:has-text('Reset')")
    page.locator("h1:has-text('two-factor sign-in?')").wait_for()
    _check(page, "staff_reset")
    page.click("button:has-text('Yes, reset two-factor sign-in')")
    page.locator(".govuk-notification-banner").wait_for(state="visible")
    assert "Two-factor sign-in reset for buyer@example.test" in page.locator(".govuk-notification-banner").inner_text()
