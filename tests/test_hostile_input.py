"""Bad input never reaches a 500: hostile values in every route's URL arguments, query parameters and form fields.

The test builds the route-access world (tests/test_route_access.py), signs in one client per persona, and finds
every page's forms by reading the HTML each GET route returns (names of inputs, selects and text areas, and where
each form is sent). Hypothesis then draws hostile values: huge and negative numbers, NUL and other control
characters, line breaks, `%00`, `../`, SQL-ish strings, unicode digits, very long strings. Each value is put, in
turn, into every path argument of every route, into `page`, `q` and every GET form's fields, and into every POST
form's fields, sent as the persona the route is for; any 5xx is a failure. The totals are printed (run with -s).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from portal.access import PUBLIC, SIGNED_IN
from portal.extensions import db
from tests.route_support import PERSONA_ROLE, SKIP_FOR_SIGNED_IN, routes, world

HOSTILE = [
    str(2**31),
    str(2**63),
    str(2**64),
    "1" + "0" * 20,
    "-1",
    "0",
    "abc",
    "\x00",
    "a\x00b",
    "%00",
    "../../etc/passwd",
    "' OR 1=1 --",
    "\r\nLocation: //evil.example",
    "//evil.example",
    "\\\\evil.example",
    "https://evil.example/",
    "\u00b2",  # a superscript two: str.isdigit() says yes, int() says no
    "\u0663",  # an Arabic-Indic three
    "\u202e\U0001f600",
    "\x1b[31m\x07\x7f",
    "x" * 5000,
]
# Fields whose value would end the persona's session or stop the test world working (sign-out is skipped too).
SKIP_ENDPOINTS = SKIP_FOR_SIGNED_IN | {"auth.sign_out_everywhere"}


@dataclass
class Form:
    method: str
    action: str
    fields: list[str] = field(default_factory=list)


class _FormFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._current: Form | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._current = Form((attributes.get("method") or "get").upper(), attributes.get("action") or "")
            self.forms.append(self._current)
        elif tag in ("input", "select", "textarea") and self._current is not None:
            name = attributes.get("name")
            if name and name != "csrf_token" and attributes.get("type") != "file" and name not in self._current.fields:
                self._current.fields.append(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


@dataclass
class Target:
    persona: str
    method: str
    url: str  # with {value} where the hostile value goes, if in the path
    fields: tuple[str, ...] = ()


def _persona_for(access) -> str:
    if access == PUBLIC:
        return "anonymous"
    if access == SIGNED_IN:
        return "staff"
    return next(p for p, role in PERSONA_ROLE.items() if role in access)


def _fill(rule_text: str, ids, hostile_arg: str | None = None) -> str:
    def fill(match: re.Match) -> str:
        name = match.group(1).split(":")[-1]
        return "{value}" if name == hostile_arg else quote(str(ids[name]), safe="")

    return re.sub(r"<([^>]+)>", fill, rule_text)


def _targets(app, clients, ids) -> list[Target]:
    targets: list[Target] = []
    seen_forms: set[tuple[str, str, str]] = set()
    for rule in routes(app):
        if rule.endpoint in SKIP_ENDPOINTS:
            continue
        persona = _persona_for(app.view_functions[rule.endpoint].access_rule)
        method = "GET" if "GET" in rule.methods else "POST"
        for name in rule.arguments:
            targets.append(Target(persona, method, _fill(rule.rule, ids, name)))
        url = _fill(rule.rule, ids)
        if method != "GET":
            continue
        response = clients[persona].get(url)
        db.session.rollback()
        finder = _FormFinder()
        if response.mimetype == "text/html":  # a download (the register's XLSX) has no forms to find
            finder.feed(response.get_data(as_text=True))
        query_fields = {"page", "q", "next"}
        for form in finder.forms:
            action = urlsplit(form.action).path or url
            if form.method == "GET":
                query_fields.update(form.fields)
            elif (persona, action, ",".join(form.fields)) not in seen_forms and "sign-out" not in action:
                seen_forms.add((persona, action, ",".join(form.fields)))
                targets.append(Target(persona, "POST", action, tuple(form.fields)))
        targets.append(Target(persona, "GET", url, tuple(sorted(query_fields))))
    return targets


_PLACE = {"GET": "query_string", "POST": "data"}

hostile_values = st.one_of(
    st.sampled_from(HOSTILE),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.text(max_size=40),
)


def test_no_hostile_value_reaches_a_server_error(app, auth):
    ids, emails = world()
    clients = {"anonymous": app.test_client()}
    for persona, email in emails.items():
        clients[persona] = app.test_client()
        assert clients[persona].post("/sign-in", data={"email": email, "password": auth_password()}).status_code == 302
    targets = _targets(app, clients, ids)
    sent = 0
    problems: list[str] = []

    @settings(
        max_examples=12,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @example(value=str(2**64))
    @example(value="a\x00b")
    @example(value="\u00b2")
    @given(value=hostile_values)
    def probe(value: str) -> None:
        nonlocal sent
        for target in targets:
            client = clients[target.persona]
            url = target.url.replace("{value}", quote(value, safe=""))
            data = {name: value for name in target.fields}
            try:  # TESTING propagates a view's exception rather than rendering the 500 page
                response = client.open(url, method=target.method, **{_PLACE[target.method]: data})
                status = response.status_code
            except Exception as error:
                status = f"500 {type(error).__name__}: {str(error)[:120]!r}"
            sent += 1
            if not isinstance(status, int) or status >= 500:
                problems.append(f"{target.persona} {target.method} {url[:120]} {sorted(data)} {value[:60]!r}: {status}")
            db.session.rollback()  # a failed statement must not poison the next request's transaction

    probe()
    print(f"\nhostile input: {len(targets)} targets, {sent} requests, {len(problems)} server errors")
    assert sent > 0
    assert problems == [], "\n".join(problems[:40])


def auth_password() -> str:
    from tests.conftest import TEST_PASSWORD

    return TEST_PASSWORD
