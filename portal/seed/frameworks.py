"""Demo frameworks: the Police Digital Service social media framework (the 2021 original, now expired,
and its live successor let under PCR 2015) and a newer framework let under the Procurement Act 2023.

Dates are chosen so that, in November 2026, the 2021 framework has expired after both of its
extensions, its successor is live in its first extension year, and the 2025 framework is live
in its initial term.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from portal.domain import framework_term as term
from portal.extensions import db
from portal.models import Capability, ExtensionOption, Framework, FrameworkBuyerType, Lot, PriceItem, User
from portal.seed.call_off_terms import terms_for
from portal.seed.common import SEED_EVENT, Tally, at
from portal.services import audit

# Capabilities named in the framework's specification, keyed so suppliers' evidence can refer to them.
CAPABILITIES = {
    "channels": (
        "All corporate channels managed in one place",
        "Every corporate social media account (force, neighbourhood and specialist teams) is published to, "
        "monitored and answered from a single tool.",
    ),
    "secure": (
        "Safe, secure and auditable use",
        "Role-based access, single sign-on, approval workflows and a full audit trail of who posted, "
        "replied or changed what.",
    ),
    "standards": (
        "Meets national standards for social media management",
        "Supports the national guidance on police use of social media, including account governance, "
        "records retention and accessibility of published content.",
    ),
    "insights": (
        "Basic data insights on external users",
        "Reach, engagement and sentiment reporting on the public who interact with the organisation's accounts.",
    ),
    "incident": (
        "Managing scheduled content during a critical incident",
        "Publishing, pausing and withdrawing scheduled content across every account at once when a critical "
        "or major incident is declared.",
    ),
    "listening": (
        "Listening to and responding to communities",
        "Monitoring public conversation about places, events and topics, and replying to communities from "
        "the same tool.",
    ),
    "contact247": (
        "24/7 digital contact channel",
        "A staffed or supported contact channel, available around the clock, through which the public can "
        "reach the organisation by social media and messaging.",
    ),
    "crime_reporting": (
        "Reporting crimes and incidents made via social media",
        "Reports of crimes and incidents received via social media are recorded to the same standard as "
        "999 and 101 calls, including THRIVE risk assessment and hand-off to the control room.",
    ),
    "young_people": (
        "Engagement with children and young people",
        "Safe engagement with children and young people on the platforms they use, with safeguarding "
        "escalation built in.",
    ),
    "mobile": (
        "Mobile use on force devices",
        "Full use from force-issued smartphones and tablets, including managed-device deployment.",
    ),
    "webchat": (
        "Live chat on public websites",
        "A live chat and messaging widget for the organisation's website, handled in the same queue as "
        "social media contact.",
    ),
    "accessibility": (
        "Accessible public contact",
        "Public-facing contact channels meet WCAG 2.2 AA and support translation and easy-read responses.",
    ),
}

LOT_1_PRICE_ITEMS = (
    ("User licence", "per user per month", "per_month"),
    ("Onboarding and configuration", "per day", "one_off"),
    ("Training session", "per session (up to 12 people)", "one_off"),
    ("Premium analytics module", "per organisation per month", "per_month"),
)
LOT_2_PRICE_ITEMS = (
    ("Contact handling service", "per 1,000 contacts handled per month", "per_month"),
    ("Setup and integration", "per day", "one_off"),
    ("Out-of-hours cover uplift", "per month", "per_month"),
    ("Training session", "per session (up to 12 people)", "one_off"),
)
LIVE_CHAT_PRICE_ITEMS = (
    ("Live chat and messaging service", "per 1,000 conversations per month", "per_month"),
    ("Setup and integration", "per day", "one_off"),
    ("24/7 staffed cover", "per month", "per_month"),
    ("Training session", "per session (up to 12 people)", "one_off"),
)

LOT_1_CAPABILITIES = ("channels", "secure", "standards", "insights", "incident", "listening", "young_people", "mobile")
LOT_2_CAPABILITIES = ("contact247", "crime_reporting", "listening", "young_people", "secure", "standards")


@dataclass(frozen=True)
class LotSpec:
    number: int
    title: str
    description: str
    capabilities: tuple[str, ...]
    price_items: tuple[tuple[str, str, str], ...]
    cpv_code: str = ""  # the lot's main CPV code, which transparency notices classify its call-offs by


@dataclass(frozen=True)
class FrameworkSpec:
    reference: str
    name: str
    description: str
    regime: str
    start_on: date
    initial_end_on: date
    max_call_off_months: int
    # (months, exercised on) per option, in sequence order; exercised by the framework staff demo account.
    options: tuple[tuple[int, date | None], ...]
    lots: tuple[LotSpec, ...]
    buyer_types: tuple[str, ...] = ("police", "fire", "ambulance", "local_authority")


SMME_LOT_1 = LotSpec(
    1,
    "Social media management platform",
    "A software platform to publish to, monitor and respond on every corporate social media account, "
    "with approval workflows, incident controls and reporting.",
    LOT_1_CAPABILITIES,
    LOT_1_PRICE_ITEMS,
    cpv_code="48000000-8",  # software package and information systems
)
SMME_LOT_2 = LotSpec(
    2,
    "24/7 digital contact and engagement service",
    "A round-the-clock service that receives, triages and records public contact made through social media "
    "and messaging, to the same standard as 999 and 101.",
    LOT_2_CAPABILITIES,
    LOT_2_PRICE_ITEMS,
    cpv_code="79512000-6",  # call centre
)

SMME_2021 = FrameworkSpec(
    reference="PDS-SMME-2021",
    name="Social Media Management and Engagement",
    description="The Police Digital Service's first national framework for social media management and "
    "engagement technology for policing, blue light services and local authorities. Let in 2021 for "
    "2 years with two 12-month extension options, both exercised; it ended on 30 November 2025 and is kept "
    "as a historical record of its call-offs.",
    regime="pcr2015",
    start_on=date(2021, 12, 1),
    initial_end_on=date(2023, 11, 30),
    max_call_off_months=36,
    options=((12, date(2023, 10, 16)), (12, date(2024, 10, 14))),
    lots=(SMME_LOT_1, SMME_LOT_2),
)

SMME_2024 = FrameworkSpec(
    reference="PDS-SMME-2024",
    name="Social Media Management and Engagement",
    description="The Police Digital Service framework for social media management and engagement technology "
    "for policing, blue light services and local authorities. It succeeds the 2021 PDS framework "
    "(PDS-SMME-2021) and was let in December 2024, before the Procurement Act 2023 commenced, so the "
    "Public Contracts Regulations 2015 apply. Call-offs are by direct award where the framework's terms and "
    "the lowest whole-life cost mechanism settle the choice, or by mini-competition.",
    regime="pcr2015",
    start_on=date(2024, 12, 2),
    initial_end_on=date(2026, 12, 1),
    max_call_off_months=36,
    options=((12, date(2026, 10, 15)), (12, None)),
    lots=(SMME_LOT_1, SMME_LOT_2),
)

DPCE_2025 = FrameworkSpec(
    reference="PDS-DPCE-2025",
    name="Digital Public Contact and Engagement Services",
    description="A framework for digital public contact: social media listening and management, and live chat "
    "and messaging on public websites, for policing, fire and rescue, ambulance services and local "
    "authorities. Let under the Procurement Act 2023; call-offs follow sections 45 and 46.",
    regime="pa2023",
    start_on=date(2025, 9, 1),
    initial_end_on=date(2027, 8, 31),
    max_call_off_months=24,
    options=((12, None), (12, None)),
    lots=(
        LotSpec(
            1,
            "Social media management and listening",
            "Publishing, monitoring, listening and reporting across corporate social media accounts.",
            ("channels", "secure", "standards", "insights", "incident", "listening", "mobile"),
            LOT_1_PRICE_ITEMS,
            cpv_code="48000000-8",
        ),
        LotSpec(
            2,
            "Digital contact centre and live chat",
            "Live chat, messaging and social media contact handled around the clock, with crime and incident "
            "reporting to the 999/101 standard.",
            ("contact247", "crime_reporting", "webchat", "young_people", "secure", "accessibility"),
            LIVE_CHAT_PRICE_ITEMS,
            cpv_code="79512000-6",
        ),
    ),
)

FRAMEWORKS = (SMME_2021, SMME_2024, DPCE_2025)


@dataclass
class SeededFramework:
    """A framework with its lots, capabilities and price items looked up by their natural keys."""

    framework: Framework
    lots: dict[int, Lot]
    capabilities: dict[tuple[int, str], Capability]  # (lot number, capability key)
    price_items: dict[tuple[int, str], PriceItem]  # (lot number, item name)


def ensure_frameworks(tally: Tally, staff: User) -> dict[str, SeededFramework]:
    return {spec.reference: _ensure_framework(spec, tally, staff) for spec in FRAMEWORKS}


def _ensure_framework(spec: FrameworkSpec, tally: Tally, staff: User) -> SeededFramework:
    term.check_term(term.Regime(spec.regime), spec.start_on, spec.initial_end_on, [m for m, _ in spec.options])
    fw = db.session.scalar(select(Framework).where(Framework.reference == spec.reference))
    if fw is None:
        fw = Framework(
            reference=spec.reference,
            name=spec.name,
            description=spec.description,
            regime=spec.regime,
            start_on=spec.start_on,
            initial_end_on=spec.initial_end_on,
            max_call_off_months=spec.max_call_off_months,
            min_bid_period_days=10,
            bank_holiday_region="england-and-wales",
            call_off_terms=terms_for(spec.regime),
            created_at=at(spec.start_on, 9),
        )
        fw.eligible_buyer_types = [FrameworkBuyerType(organisation_type=t) for t in spec.buyer_types]
        db.session.add(fw)
        db.session.flush()
        tally.add("framework")
        _ensure_options(fw, spec, tally, staff)
        audit.record(
            None,
            SEED_EVENT,
            "framework",
            fw.id,
            summary=f"Demo framework {fw.reference} created: {fw.name} ({fw.regime_label}, {fw.term_description})",
            after=audit.snapshot(fw, ("reference", "name", "regime", "start_on", "initial_end_on", "current_end_on")),
        )
    else:
        _ensure_options(fw, spec, tally, staff)
    seeded = SeededFramework(fw, {}, {}, {})
    for lot_spec in spec.lots:
        _ensure_lot(seeded, lot_spec, tally)
    return seeded


def _ensure_options(fw: Framework, spec: FrameworkSpec, tally: Tally, staff: User) -> None:
    have = {o.sequence for o in fw.extension_options}
    for sequence, (months, exercised_on) in enumerate(spec.options, start=1):
        if sequence in have:
            continue
        exercised_at: datetime | None = at(exercised_on, 11) if exercised_on else None
        fw.extension_options.append(
            ExtensionOption(
                sequence=sequence,
                months=months,
                exercised_at=exercised_at,
                exercised_by_id=staff.id if exercised_at else None,
            )
        )
        tally.add("extension_option")
    db.session.flush()


def _ensure_lot(seeded: SeededFramework, spec: LotSpec, tally: Tally) -> None:
    fw = seeded.framework
    lot = next((lot for lot in fw.lots if lot.number == spec.number), None)
    if lot is None:
        lot = Lot(
            framework=fw,
            number=spec.number,
            title=spec.title,
            description=spec.description,
            cpv_code=spec.cpv_code or None,
        )
        db.session.add(lot)
        db.session.flush()
        tally.add("lot")
    seeded.lots[spec.number] = lot
    capabilities = {c.name: c for c in lot.capabilities}
    for position, key in enumerate(spec.capabilities, start=1):
        name, description = CAPABILITIES[key]
        if name not in capabilities:
            capabilities[name] = Capability(lot=lot, name=name, description=description, position=position)
            db.session.add(capabilities[name])
            tally.add("capability")
        seeded.capabilities[(spec.number, key)] = capabilities[name]
    items = {i.name: i for i in lot.price_items}
    for position, (name, unit, basis) in enumerate(spec.price_items, start=1):
        if name not in items:
            items[name] = PriceItem(lot=lot, name=name, unit=unit, basis=basis, position=position)
            db.session.add(items[name])
            tally.add("price_item")
        seeded.price_items[(spec.number, name)] = items[name]
    db.session.flush()
