"""Accessibility checks and link-following for browser tests."""

from __future__ import annotations

import os
import re
from collections import Counter
from urllib.parse import urljoin, urlsplit

from tests.browser.conftest import AXE_JS

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
DEMO_PASSWORD = "demo-portal-password"


def sign_in(page, base: str, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base}/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state()
    assert page.url.endswith("/dashboard"), f"{email} could not sign in: {page.locator('main').inner_text()[:300]}"


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE_JS))
    # Only violations are read: asking axe for passes and incomplete results too costs a third more per page.
    script = (
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
    )
    result = page.evaluate(script, WCAG_TAGS)
    if result["violations"]:
        # Geometry rules (target-size) can catch a page mid-layout; a real violation survives a re-run.
        page.wait_for_timeout(300)
        result = page.evaluate(script, WCAG_TAGS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def _pattern(path: str) -> str:
    return re.sub(r"/\d+", "/N", urlsplit(path).path)


def sideways_scroll(page) -> list[str]:
    """WCAG 2.2 1.4.10 reflow: the page itself never scrolls sideways (wide tables scroll inside their region).

    Names the widest elements that stick out of the viewport, to say what to fix."""
    found = page.evaluate(
        """() => {
            const width = window.innerWidth;
            if (document.documentElement.scrollWidth <= width) return [];
            const out = [];
            for (const el of document.querySelectorAll('body *')) {
                const box = el.getBoundingClientRect();
                if (box.right > width + 1 && !el.parentElement.closest('.app-scroll-region')) {
                    const name = `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`;
                    out.push(`${name} right=${Math.round(box.right)}`);
                }
            }
            return [`page is ${document.documentElement.scrollWidth} px wide in ${width} px`, ...out.slice(0, 6)];
        }"""
    )
    return list(found)


def crawl(
    page, base: str, start: str, *, limit: int = 120, per_pattern: int = 2, check=axe_violations
) -> dict[str, list[str]]:
    """Visit every page reachable by links from `start` (same site, GET only, bounded).

    Returns problems per visited path: HTTP errors, console errors and what `check` finds (axe violations
    unless told otherwise). Pages of the same shape (/suppliers/1, /suppliers/2) are sampled `per_pattern` times.
    """
    queue, seen, per = [start], set(), Counter()
    problems: dict[str, list[str]] = {}
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen or per[_pattern(path)] >= per_pattern:
            continue
        seen.add(path)
        per[_pattern(path)] += 1
        page.console_errors.clear()
        response = page.goto(base + path)
        found = []
        if response is None or response.status >= 400:
            found.append(f"HTTP {response.status if response else 'no response'}")
        found += check(page)
        found += [f"console: {m}" for m in page.console_errors]
        problems[path] = found
        # Links marked `download` (PDFs, attachments) start a download, not a page.
        links = page.eval_on_selector_all("a[href]:not([download])", "els => els.map(e => e.getAttribute('href'))")
        for href in links:
            target = urlsplit(urljoin(base + path, href))
            if target.netloc != urlsplit(base).netloc or target.path.startswith("/static/"):
                continue
            if target.path.startswith("/documents/") and target.path != "/documents/check":
                continue  # issued documents are PDFs; their own tests read them
            link = target.path + (f"?{target.query}" if target.query else "")
            if link not in seen:
                queue.append(link)
    return problems


def check_page(page, name: str, screenshots: str | None = None) -> None:
    """No axe-core violations and no console errors; with `screenshots` (a folder), a full-page PNG to look at."""
    if screenshots:
        page.screenshot(path=os.path.join(screenshots, f"{name}.png"), full_page=True)
    assert axe_violations(page) == [], name
    assert page.console_errors == [], name
