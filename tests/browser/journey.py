"""A cast of signed-in people for browser journeys: each persona has its own browser context, signs in through the
sign-in page, and every page it lands on is checked for console errors and with axe-core (WCAG 2.2 AA). Axe runs
once per page state (role, route, status tags, kinds of message and form control): the fifteenth scoring form of a
panel is the same page as the first with other words in it, and checking it again would only make the journey slower.

Problems are collected rather than raised at once, so one run reports every inaccessible page of a journey;
the journey asserts `cast.problems == []` at its end. With JOURNEY_SCREENSHOTS=1 each distinct page is saved as a
screenshot in SCREENSHOTS.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

from tests.browser.helpers import DEMO_PASSWORD, axe_violations

SCREENSHOTS = Path(tempfile.gettempdir()) / "portal-journey-screenshots"


# What makes one page differ from another built from the same template, in one round trip: the path, the status
# tags, which kinds of message and error are shown, and which kinds of form control the page has.
_STATE_SCRIPT = """() => {
  const all = (selector) => [...document.querySelectorAll(selector)];
  return [
    location.pathname,
    all("main .govuk-tag").map((e) => e.innerText.trim()),
    all(".govuk-notification-banner, .govuk-error-summary, .govuk-error-message").map((e) => e.className),
    all("main input, main textarea, main select, main button").map((e) => `${e.tagName}:${e.type || ""}`),
  ];
}"""


class Persona:
    """One signed-in person driving their own tab. Actions that load a page run the checks on it."""

    def __init__(self, cast: Cast, email: str, page):
        self.cast, self.email, self.page = cast, email, page

    # --- Moving around ------------------------------------------------------------------------------------------

    def visit(self, path: str) -> Persona:
        response = self.page.goto(self.cast.base + path)
        assert response is not None and response.status < 400, f"{self.email}: {path} answered {response.status}"
        return self.check()

    def follow(self, text: str, *, exact: bool = False) -> Persona:
        """Click the link with this accessible name, or the link styled as a button (role=button) with this text."""
        link = self.page.get_by_role("link", name=text, exact=exact)
        if not link.count():
            link = self.page.locator("a[role=button]").filter(has_text=text)
        link.first.click()
        self.page.wait_for_load_state()
        return self.check()

    def press(self, text: str, *, exact: bool = False) -> Persona:
        """Click the button with this accessible name and check the page it leads to."""
        self.page.get_by_role("button", name=text, exact=exact).click()
        self.page.wait_for_load_state()
        return self.check()

    def refused(self, path: str) -> Persona:
        """Going straight to a page this person may not see: a 403 page, itself accessible."""
        response = self.page.goto(self.cast.base + path)
        assert response is not None and response.status == 403, f"{self.email}: {path} answered {response.status}"
        # The browser logs the 403 of the page itself as a console error; that one is expected.
        self.page.console_errors[:] = [m for m in self.page.console_errors if "status of 403" not in m]
        return self.check()

    def check(self) -> Persona:
        """Console errors on every page; axe on every page state not already checked in this journey."""
        page, cast = self.page, self.cast
        found, state = list(page.console_errors), self._state()
        page.console_errors.clear()
        cast.pages += 1
        if state not in cast.checked:
            cast.checked.add(state)
            started = time.monotonic()
            found += axe_violations(page)
            cast.axe_seconds += time.monotonic() - started
            if os.environ.get("JOURNEY_SCREENSHOTS"):  # to look at every distinct page the journey reached
                self.screenshot(f"{len(cast.checked):03d}-{state[0]}{state[1].replace('/', '-')}")
        cast.problems += [f"{self.email} {page.url} ({page.title()}): {p}" for p in found]
        return self

    def _state(self) -> tuple:
        """The same role on the same route with the same tags, messages and kinds of form control sees the same
        page with other words in it: scoring the twelfth answer looks like scoring the first."""
        path, tags, messages, controls = self.page.evaluate(_STATE_SCRIPT)
        role = self.email.split("@")[0].rstrip("0123456789")
        route = re.sub(r"/\d+", "/N", path)
        return role, route, *(tuple(sorted(set(found))) for found in (tags, messages, controls))

    # --- Forms --------------------------------------------------------------------------------------------------

    def fill(self, selector: str, value: str) -> Persona:
        self.page.fill(selector, value)
        return self

    def fill_date(self, prefix: str, day) -> Persona:
        for part, value in (("day", day.day), ("month", day.month), ("year", day.year)):
            self.page.fill(f"#{prefix}-{part}", str(value))
        return self

    def choose(self, label: str, *, exact: bool = True) -> Persona:
        """Tick a radio or checkbox by its label."""
        self.page.get_by_label(label, exact=exact).check()
        return self

    # --- Reading ------------------------------------------------------------------------------------------------

    @property
    def main(self) -> str:
        return self.page.inner_text("main")

    @property
    def h1(self) -> str:
        return self.page.inner_text("h1").strip()

    def sees(self, *texts: str) -> Persona:
        main = self.main
        missing = [t for t in texts if t not in main]
        assert not missing, f"{self.email} on {self.page.url} does not see {missing}:\n{main[:3000]}"
        return self

    def does_not_see(self, *texts: str) -> Persona:
        main = self.main
        shown = [t for t in texts if t in main]
        assert not shown, f"{self.email} on {self.page.url} should not see {shown}"
        return self

    def errors(self) -> list[str]:
        """The GOV.UK error summary's messages (asserting it is there and the title says so)."""
        summary = self.page.locator(".govuk-error-summary")
        assert summary.is_visible(), f"no error summary on {self.page.url}:\n{self.main[:2000]}"
        assert self.page.title().startswith("Error:"), self.page.title()
        return [t.strip() for t in summary.locator("li").all_inner_texts()]

    def success(self) -> str:
        """The text of the success notification banner."""
        return self.page.inner_text(".govuk-notification-banner--success")

    def tags(self) -> list[str]:
        return [t.strip() for t in self.page.locator("main .govuk-tag").all_inner_texts()]

    def id_in_url(self, after: str) -> int:
        match = re.search(rf"/{after}/(\d+)", self.page.url)
        assert match, f"no /{after}/<id> in {self.page.url}"
        return int(match.group(1))

    def screenshot(self, name: str, *, height: int | None = None) -> Path:
        """The whole page as a PNG in SCREENSHOTS; with `height`, only its top (a long page shrinks to illegible
        when viewed whole)."""
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        clip = {"x": 0, "y": 0, "width": self.page.viewport_size["width"], "height": height} if height else None
        self.page.screenshot(path=str(path), full_page=True, clip=clip)
        return path


class Cast:
    """The people of a journey, each signed in once in a context of their own."""

    def __init__(self, browser, base: str):
        self.browser, self.base = browser, base
        self.people: dict[str, Persona] = {}
        self.problems: list[str] = []
        self.pages = 0
        self.checked: set[tuple] = set()  # page states axe has run on
        self.axe_seconds = 0.0

    def __call__(self, email: str) -> Persona:
        if email not in self.people:
            context = self.browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900}, locale="en-GB")
            context.set_default_timeout(20_000)  # generous: the machine may be busy; only failures wait
            page = context.new_page()
            page.console_errors = []
            page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: page.console_errors.append(str(e)))
            self.people[email] = persona = Persona(self, email, page)
            persona.visit("/sign-in")
            page.fill("#email", email)
            page.fill("#password", DEMO_PASSWORD)
            persona.press("Sign in")
            assert page.url.endswith("/dashboard"), f"{email} could not sign in: {persona.main[:300]}"
        return self.people[email]

    def close(self, *, screenshots: bool = False) -> None:
        for persona in self.people.values():
            if screenshots:  # where each person was when the journey failed
                persona.screenshot(persona.email.split("@")[0] + "-" + persona.email.split("@")[1].split(".")[0])
            persona.page.context.close()
