"""What the demo mini-competitions say: titles, requirements, and the text of demo answers and justifications."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class CompetitionSpec:
    reference: str
    kind: str  # "open", "evaluation", "awarded" (or for portal/seed/pa_call_offs.py "signed", "standstill")
    title: str
    statement: str
    buyer: str = "buyer@surrey.police.example"
    lot_number: int = 1
    value_pence: int = 6_000_000
    term_months: int = 24
    starts_on: date = date(2027, 4, 1)
    quantities: dict[str, int] = field(default_factory=lambda: {"per_month": 60, "one_off": 3})
    framework: str = "PDS-SMME-2024"


SPECS = (
    CompetitionSpec(
        "SUR-MC-DEMO-1",
        "open",
        "Social media management platform for Surrey Police",
        "A platform for the corporate communications team and 60 neighbourhood officers to publish to, monitor and "
        "answer every force account, with approval workflows and an audit trail of every post.",
    ),
    CompetitionSpec(
        "SUR-MC-DEMO-2",
        "evaluation",
        "24/7 digital contact service pilot",
        "A six-month pilot answering public contact on social media and web chat around the clock, handing urgent "
        "matters to the force control room and recording every contact on the force's systems.",
        lot_number=2,
        value_pence=4_500_000,
        term_months=12,
        quantities={"per_month": 20, "one_off": 2},
    ),
    CompetitionSpec(
        "SUR-MC-DEMO-3",
        "awarded",
        "Social listening tool",
        "Listening to public conversation about the force and local incidents, with alerts for emerging community "
        "tension and monthly sentiment reporting for the senior leadership team.",
        value_pence=3_000_000,
        starts_on=date(2027, 1, 4),
        quantities={"per_month": 15, "one_off": 1},
    ),
    CompetitionSpec(
        "NOR-MC-DEMO-1",
        "open",
        "Social media platform for Northumbria Police neighbourhood teams",
        "A platform for 80 neighbourhood officers to publish local updates and answer residents, with central "
        "oversight by the corporate communications team.",
        buyer="buyer@northumbria.police.example",
    ),
)

_QUALITY = {
    2: "We meet part of this today and would close the gaps during onboarding",
    3: "We meet this in full with our standard product and process",
    4: "We meet this in full and add further value, shown by current police customers",
    5: "We exceed this, with measured results from forces of a similar size",
}

_JUSTIFICATION = {
    0: "No relevant answer to the question.",
    1: "Significant gaps: the answer does not show how the requirement would be met.",
    2: "Meets some of the requirement; the approach to incidents out of hours is unclear.",
    3: "Meets the requirement with a credible approach, though with little evidence from similar customers.",
    4: "Meets the requirement in full with a named police reference and a clear onboarding plan.",
    5: "Exceeds the requirement: measured outcomes from two forces and a convincing plan for our context.",
}


def answer_text(user, criterion, quality: int) -> str:
    """A plausible demo answer from the supplier signed in as `user`."""
    if criterion.kind == "pass_fail":
        return "Yes: certificate number CE-PLUS-2026-0412, valid until 30 June 2027."
    company = user.email.split("@")[1].split(".")[0].capitalize()
    return f"{_QUALITY.get(quality, _QUALITY[3])}. {company} on {criterion.title.lower()}: see our method statement."


def justification(criterion, score: int) -> str:
    """An evaluator's justification for `score` on `criterion`."""
    return f"{criterion.title}: {_JUSTIFICATION.get(score, _JUSTIFICATION[3])}"


DEMO_CONFLICTS = {
    1: "I worked for {supplier} as a contractor until three years ago; I hold no shares and have no ongoing contact.",
    2: "My sister is a sales director at {supplier}.",
}
DEMO_MITIGATION = (
    "The employment ended three years ago with no continuing interest. Agreed that Rachel scores this bid; the "
    "moderator will check her scores against the other evaluators' at moderation."
)
