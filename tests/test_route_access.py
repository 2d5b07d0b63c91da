"""Every route declares an access rule, and the rule holds for every persona.

The test enumerates the app's URL map, so a route added without a rule fails here. For each
persona it requests every route (GET, or an empty POST for POST-only routes) and checks:
anonymous users are sent to sign in, roles outside the rule get 403, roles inside it never do,
and nobody ever gets a server error.
"""

from __future__ import annotations

import pytest

from portal.access import PUBLIC, SIGNED_IN
from tests.route_support import (
    OUTSIDERS,
    PERSONA_ROLE,
    PERSONAS,
    SKIP_FOR_SIGNED_IN,
    owned,
    routes,
    url_for_rule,
    world,
)


def test_every_route_declares_an_access_rule(app):
    missing = [
        rule.endpoint for rule in routes(app) if getattr(app.view_functions[rule.endpoint], "access_rule", None) is None
    ]
    assert missing == [], f"routes without an access rule: {missing}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_access_rules_hold_for_persona(app, client, auth, persona):
    ids, emails = world()
    if persona != "anonymous":
        assert auth.login(emails[persona]).status_code == 302
    role = PERSONA_ROLE.get(persona)
    problems = []
    checked = 0
    for rule in routes(app):
        if persona != "anonymous" and rule.endpoint in SKIP_FOR_SIGNED_IN:
            continue
        access = app.view_functions[rule.endpoint].access_rule
        url = url_for_rule(rule, ids)
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method, data={})
        checked += 1
        status = response.status_code
        if status >= 500:
            problems.append(f"{method} {url}: {status} server error")
        elif access == PUBLIC:
            if status == 403:
                problems.append(f"{method} {url}: public route refused")
        elif persona == "anonymous":
            if status != 302 or "/sign-in" not in response.headers.get("Location", ""):
                problems.append(f"{method} {url}: anonymous got {status}, expected a redirect to sign in")
        elif access == SIGNED_IN or role in access:
            if status == 403:
                problems.append(f"{method} {url}: {persona} refused but the rule allows {role}")
            elif persona in OUTSIDERS and owned(rule) and status not in (403, 404):
                problems.append(f"{method} {url}: {persona} reached force A / supplier A's object ({status})")
        elif status != 403:
            problems.append(f"{method} {url}: {persona} got {status}, expected 403")
    assert checked > 0
    assert problems == [], "\n".join(problems)
