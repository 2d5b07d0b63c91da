"""The seal covers metadata: until a competition's bids are opened, nothing anyone but the bidder can read changes
when a supplier drafts, submits, amends or withdraws a bid.

The test walks the URL map as tests/test_route_access.py does (same personas, same small portal, same ids) and, for
every persona other than the bidding supplier, requests every GET route at each stage of a new supplier's bid on
force A's published, unopened competition. Every page and download must be identical to the baseline taken once
the supplier had told the buyer it intends to bid (which the buyer may know). The clock is frozen while pages are
read, so nothing that ticks needs normalising; the supplier acts at later instants, so a page that shows when
something happened would differ. Only CSRF tokens and CSP nonces are masked; PDFs are compared by their text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from pypdf import PdfReader
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Competition, Invitation, OutboxMessage, User
from portal.services import files
from portal.services.bids import drafting, submission
from tests.conftest import TEST_PASSWORD
from tests.factories import make_membership, make_supplier, make_user
from tests.factories_bidding import PDF
from tests.factories_competition import leaf_criteria
from tests.route_support import PERSONAS, SKIP_FOR_SIGNED_IN, routes, url_for_rule, world

# Pages are read at this instant (after the world's own dates, before the competition's deadline).
READ_AT = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=5)
MASKS = (
    (re.compile(r'(name="csrf_token"[^>]*value=")[^"]*'), r"\1…"),
    (re.compile(r'(nonce=")[^"]*'), r"\1…"),
)


def _normalised(response) -> list[str]:
    if response.mimetype == "application/pdf":
        reader = PdfReader(io.BytesIO(response.get_data()))
        return [
            f"{response.status_code} application/pdf",
            *"\n".join(p.extract_text() for p in reader.pages).split("\n"),
        ]
    head = f"{response.status_code} {response.mimetype} {response.headers.get('Location', '')}"
    if not (response.mimetype.startswith("text/") or response.mimetype.endswith(("json", "xml"))):
        return [head, f"{len(response.get_data())} bytes", str(hash(response.get_data()))]
    text = response.get_data(as_text=True)
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return [head, *text.splitlines()]


def _probes(bidder_email: str) -> list[str]:
    """Besides every route: the filters and records that would name the bidder's events and e-mails, at the ids
    they will take (a withheld record must look exactly like one that does not exist)."""
    next_event = (db.session.scalar(select(func.max(AuditEvent.id))) or 0) + 1
    next_message = (db.session.scalar(select(func.max(OutboxMessage.id))) or 0) + 1
    return [
        "/admin/audit?object_type=bid",
        "/admin/audit?event_type=bid.submitted",
        f"/admin/audit?actor={bidder_email}",
        f"/admin/outbox?recipient={bidder_email}",
        *(f"/admin/audit/{i}" for i in range(next_event, next_event + 30)),
        *(f"/admin/supplier-changes/{i}" for i in range(next_event, next_event + 30)),
        *(f"/admin/outbox/{i}" for i in range(next_message, next_message + 3)),
    ]


def _snapshot(app, clients: dict, ids, probes: list[str]) -> dict[tuple[str, str], list[str]]:
    urls = [
        url_for_rule(rule, ids)
        for rule in routes(app)
        if "GET" in rule.methods and rule.endpoint not in SKIP_FOR_SIGNED_IN
    ]
    pages = {}
    with time_machine.travel(READ_AT, tick=False):
        for persona, client in clients.items():
            for url in urls + probes:
                pages[(persona, url)] = _normalised(client.get(url))
    return pages


def _differences(baseline, pages) -> list[str]:
    import difflib

    problems = []
    for key, lines in pages.items():
        if lines != baseline[key]:
            diff = [
                line
                for line in difflib.unified_diff(baseline[key], lines, lineterm="", n=0)
                if line[:1] in "+-" and not line.startswith(("+++", "---"))
            ]
            problems.append(f"{key[1]} as {key[0]}:\n    " + "\n    ".join(diff[:12]))
    return problems


def _bidder(competition: Competition) -> User:
    """A third supplier on force A's lot, invited to its competition, that says it will bid."""
    supplier = make_supplier()
    make_membership(supplier, competition.lot)
    db.session.add(Invitation(competition_id=competition.id, supplier_id=supplier.id))
    user = make_user("supplier", email="bids@c.example.test", supplier=supplier)
    db.session.commit()
    return user


# What the supplier told the buyer before it bid: that it will, or (changing its mind later) that it declines.
@pytest.mark.parametrize("stated", ["bidding", "declined"])
def test_bidding_changes_nothing_anyone_else_can_read(app, stated):
    ids, emails = world()
    competition = db.session.get(Competition, ids["competition_id"])
    assert competition.published_at is not None and competition.opened_at is None
    bidder = _bidder(competition)
    clients = {}
    with time_machine.travel(READ_AT, tick=False):  # signed in at the reading instant: no session idles out
        for persona in PERSONAS:
            clients[persona] = app.test_client()
            if persona != "anonymous":
                response = clients[persona].post("/sign-in", data={"email": emails[persona], "password": TEST_PASSWORD})
                assert response.status_code == 302, persona
    cid = competition.id
    quality = leaf_criteria(competition, "quality")
    pass_fail = leaf_criteria(competition, "pass_fail")
    lines = sorted(competition.schedule_lines, key=lambda line: line.id)

    def draft() -> None:
        for criterion in quality:
            drafting.save_answer(bidder, cid, criterion.id, f"We manage {criterion.title.lower()} well.")
        for criterion in pass_fail:
            drafting.save_answer(bidder, cid, criterion.id, "Certificate CE-123", True)
        drafting.save_prices(bidder, cid, {lines[0].id: "10.00", lines[1].id: "500"})
        files.add_attachment(bidder, cid, "plan.pdf", PDF)

    def amend() -> None:
        drafting.save_answer(bidder, cid, quality[0].id, "We manage it even better now.")
        submission.submit(bidder, cid)

    stages: list[tuple[str, Callable[[], object]]] = [
        ("drafts", draft),
        ("submits", lambda: submission.submit(bidder, cid)),
        ("amends", amend),
        ("withdraws", lambda: submission.withdraw(bidder, cid)),
    ]
    drafting.respond(bidder, cid, "bidding")  # starts the draft
    if stated == "declined":
        drafting.respond(bidder, cid, "declined", "Too busy this quarter")
    _snapshot(app, clients, ids, [])  # first reads may issue documents (a supplier's own receipt), and audit that
    probes = _probes(bidder.email)
    baseline = _snapshot(app, clients, ids, probes)
    unsettled = _differences(baseline, _snapshot(app, clients, ids, probes))
    if unsettled:
        pytest.fail("pages differ with nothing done:\n" + "\n".join(unsettled))
    problems = []
    for minutes, (stage, act) in enumerate(stages, start=1):
        with time_machine.travel(READ_AT + timedelta(minutes=minutes), tick=False):
            act()
        db.session.expire_all()
        pages = _snapshot(app, clients, ids, probes)
        problems += [f"after the supplier {stage}: {p}" for p in _differences(baseline, pages)]
    read = len({url for _, url in baseline})
    print(f"seal non-interference: {read - len(probes)} GET routes + {len(probes)} probes x {len(clients)} personas")
    if problems:
        pytest.fail(f"{len(problems)} pages changed while bids are sealed:\n" + "\n".join(problems))
