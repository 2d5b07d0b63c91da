"""Demo data: call-off award criteria for the PDS lots (Quality, Price, optional Social value).

`seed_award_criteria(lot)` is idempotent: groups are looked up by name and criteria by title, so a second
run creates nothing. It returns how many groups and criteria it created, for the seed's report.
Weights follow common police practice (DOMAIN.md): Quality 50-70 %, Price 30-50 %, and Social value 0-10 %
(optional for police under PCR 2015).
"""

from __future__ import annotations

from decimal import Decimal

from portal.extensions import db
from portal.models import AwardCriterion, AwardCriterionGroup, Lot

SECURITY = (
    "Security and auditability",
    "Describe how your service keeps accounts, content and personal data secure, and how every action by force "
    "users is recorded for audit.",
    "Cover access control, single sign-on, role-based permissions, audit trails and their retention, and hosting "
    "(UK data residency, accreditations such as ISO 27001).",
)
IMPLEMENTATION = (
    "Implementation and training",
    "Describe how you will implement the service for the force and train its users.",
    "Include a timeline, migration of existing accounts and content, the training offered to communications staff "
    "and to officers, and ongoing support.",
)
PLATFORM_CRITERIA = (
    (
        "Managing all corporate channels in one place",
        "Describe how your platform lets the force publish to, monitor and respond on all of its corporate social "
        "media accounts in one place.",
        "Cover the channels supported, approval workflows, shared inboxes and managing neighbourhood accounts.",
    ),
    (
        "Critical incident content control",
        "Describe how the force can review, pause and manage scheduled content across every account during a "
        "critical incident.",
        "Explain how quickly all scheduled posts can be paused, who can do it, and how content is resumed safely.",
    ),
    SECURITY,
    IMPLEMENTATION,
)
CONTACT_CRITERIA = (
    (
        "24/7 contact handling and triage",
        "Describe how your service receives, triages and responds to public contact made through social media and "
        "messaging around the clock.",
        "Include staffing, response times by priority, escalation of threat-to-life contact and handover to the "
        "force control room.",
    ),
    (
        "Crime and incident reporting standard",
        "Describe how reports of crimes and incidents made through social media are recorded to the same standard "
        "as 999 and 101 contact.",
        "Refer to the National Standard for Incident Recording and the data passed to force systems.",
    ),
    SECURITY,
    IMPLEMENTATION,
)
PASS_FAIL = (
    "Cyber Essentials Plus certification",
    "Do you hold a current Cyber Essentials Plus certificate covering the service offered?",
    "Answer yes or no and give the certificate number. A 'no' answer disqualifies the bid.",
)
SOCIAL_VALUE = (
    (
        "Supporting communities and victims",
        "Describe the social value you will deliver in the force area during the contract.",
        "For example, skills and employment for local people, support for victims' services or work with young "
        "people. Commitments should be measurable.",
    ),
)

# (name, kind, minimum weight, maximum weight)
GROUPS = (
    ("Quality", "quality", Decimal(50), Decimal(70)),
    ("Price", "price", Decimal(30), Decimal(50)),
    ("Social value", "social_value", Decimal(0), Decimal(10)),
)


def _criteria_for(lot: Lot, kind: str) -> tuple[tuple[str, str, str, str], ...]:
    if kind == "quality":
        texts = CONTACT_CRITERIA if "contact" in lot.title.lower() else PLATFORM_CRITERIA
        return (*((*t, "quality") for t in texts), (*PASS_FAIL, "pass_fail"))
    if kind == "social_value":
        return tuple((*t, "quality") for t in SOCIAL_VALUE)
    return ()


def seed_award_criteria(lot: Lot) -> int:
    """Create the lot's award criteria where missing; returns the number of groups and criteria created."""
    created = 0
    groups = {g.name: g for g in db.session.query(AwardCriterionGroup).filter_by(lot_id=lot.id)}
    for position, (name, kind, low, high) in enumerate(GROUPS, start=1):
        group = groups.get(name)
        if group is None:
            group = AwardCriterionGroup(
                lot_id=lot.id, name=name, kind=kind, min_weight=low, max_weight=high, position=position
            )
            db.session.add(group)
            created += 1
        titles = {c.title for c in group.criteria}
        for number, (title, question, guidance, criterion_kind) in enumerate(_criteria_for(lot, kind), start=1):
            if title not in titles:
                group.criteria.append(
                    AwardCriterion(
                        title=title, question=question, guidance=guidance, kind=criterion_kind, position=number
                    )
                )
                created += 1
    db.session.flush()
    return created
