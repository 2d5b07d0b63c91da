"""Demo suppliers: Orlo and Softcat (on the real 2021 framework) and fictional suppliers.

Company numbers are fictional (Companies House format); fictional suppliers use .example web
and email addresses. Evidence for each capability is in portal/seed/evidence.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

SMME_2021 = "PDS-SMME-2021"
SMME_2021_ENDED_ON = date(2025, 11, 30)  # after both extensions; its members left with it
SMME_2024 = "PDS-SMME-2024"
DPCE_2025 = "PDS-DPCE-2025"


@dataclass(frozen=True)
class MembershipSpec:
    framework: str
    lot: int
    # Unit prices in pence, in the lot's price item order, effective from the framework's start.
    prices: tuple[int, ...]
    status: str = "active"
    reason: str = ""
    status_changed_on: date | None = None
    left_on: date | None = None


@dataclass(frozen=True)
class PriceChange:
    """A later version of one price: the earlier one stays on record as evidence of the price then."""

    framework: str
    lot: int
    item: str
    effective_from: date
    pence: int


@dataclass(frozen=True)
class ExclusionSpec:
    ground: str
    kind: str
    starts_on: date
    ends_on: date | None


@dataclass(frozen=True)
class SupplierSpec:
    key: str  # email and web domain: bids@<key>.example
    legal_name: str
    trading_name: str
    companies_house_number: str
    registered_address: str
    sme: bool
    description: str
    contact_name: str  # the supplier's demo account holder
    # (scheme, certificate reference, awarded on, expires on)
    accreditations: tuple[tuple[str, str, date, date | None], ...]
    memberships: tuple[MembershipSpec, ...]
    price_changes: tuple[PriceChange, ...] = ()
    exclusions: tuple[ExclusionSpec, ...] = field(default_factory=tuple)

    @property
    def contact_email(self) -> str:
        return f"bids@{self.key}.example"

    @property
    def website(self) -> str:
        return f"https://{self.key}.example"


ORLO = SupplierSpec(
    key="orlo",
    legal_name="Orlo Limited",
    trading_name="Orlo",
    companies_house_number="08451927",
    registered_address="7c Centre City House\n5-7 Hill Street\nBirmingham\nB5 4UA",
    sme=True,
    description="Orlo (formerly SocialSignIn) provides a social media management and engagement platform built "
    "for the UK public sector. Police forces, fire and rescue services and councils use it to publish, listen "
    "and respond across every corporate account from one place.",
    contact_name="Laura Bennett",
    accreditations=(
        ("Cyber Essentials Plus", "IASME-CEP-004817", date(2026, 3, 15), date(2027, 3, 14)),
        ("ISO 27001", "ISMS 734021", date(2024, 7, 1), date(2027, 6, 30)),
    ),
    memberships=(
        MembershipSpec(SMME_2021, 1, (3800, 75000, 55000, 30000), left_on=SMME_2021_ENDED_ON),
        MembershipSpec(SMME_2021, 2, (95000, 80000, 120000, 55000), left_on=SMME_2021_ENDED_ON),
        MembershipSpec(SMME_2024, 1, (4500, 85000, 65000, 40000)),
        MembershipSpec(SMME_2024, 2, (105000, 85000, 130000, 65000)),
        MembershipSpec(DPCE_2025, 1, (4600, 85000, 65000, 42000)),
    ),
    # Annual indexation on the framework's anniversary, as its price mechanism allows.
    price_changes=(
        PriceChange(SMME_2024, 1, "User licence", date(2025, 12, 2), 4700),
        PriceChange(SMME_2024, 1, "Premium analytics module", date(2025, 12, 2), 42000),
    ),
)

SOFTCAT = SupplierSpec(
    key="softcat",
    legal_name="Softcat plc",
    trading_name="Softcat (in partnership with Salesforce)",
    companies_house_number="02174990",
    registered_address="Solar House\nFieldhouse Lane\nMarlow\nBuckinghamshire\nSL7 1LW",
    sme=False,
    description="Softcat, a UK IT infrastructure and services provider, delivers Salesforce Service Cloud with "
    "Digital Engagement as a managed social media and digital contact solution for public safety organisations, "
    "implemented in partnership with Salesforce.",
    contact_name="Marcus Reid",
    accreditations=(
        ("Cyber Essentials Plus", "IASME-CEP-002391", date(2026, 2, 1), date(2027, 1, 31)),
        ("ISO 27001", "IS 598112", date(2025, 3, 1), date(2028, 2, 28)),
        ("ISO 9001", "FS 612230", date(2024, 6, 1), date(2027, 5, 31)),
    ),
    memberships=(
        MembershipSpec(SMME_2021, 1, (5200, 95000, 70000, 45000), left_on=SMME_2021_ENDED_ON),
        MembershipSpec(SMME_2021, 2, (125000, 98000, 150000, 70000), left_on=SMME_2021_ENDED_ON),
        MembershipSpec(SMME_2024, 1, (6100, 110000, 75000, 52000)),
        MembershipSpec(SMME_2024, 2, (138000, 110000, 165000, 75000)),
        MembershipSpec(DPCE_2025, 2, (140000, 110000, 160000, 75000)),
    ),
    price_changes=(PriceChange(SMME_2024, 2, "Contact handling service", date(2025, 12, 2), 144900),),
)

BEACON = SupplierSpec(
    key="beaconengage",
    legal_name="Beacon Engage Ltd",
    trading_name="Beacon Engage",
    companies_house_number="13579246",
    registered_address="Unit 4, The Sidings\nStation Road\nLeeds\nLS6 3HQ",
    sme=True,
    description="Beacon Engage brings social media, live chat and messaging into one queue for public services, "
    "and runs a UK-based 24/7 contact team that answers the public on its customers' behalf.",
    contact_name="Imran Qureshi",
    accreditations=(
        ("Cyber Essentials Plus", "IASME-CEP-007702", date(2026, 5, 21), date(2027, 5, 20)),
        ("ISO 27001", "ISMS 802117", date(2024, 12, 1), date(2027, 11, 30)),
    ),
    memberships=(
        MembershipSpec(SMME_2024, 1, (3900, 72000, 48000, 35000)),
        MembershipSpec(SMME_2024, 2, (98000, 72000, 110000, 48000)),
        MembershipSpec(DPCE_2025, 1, (4000, 72000, 48000, 36000)),
        MembershipSpec(DPCE_2025, 2, (99000, 72000, 105000, 48000)),
    ),
)

SIGNALHOUSE = SupplierSpec(
    key="signalhouse",
    legal_name="Signalhouse Digital Limited",
    trading_name="Signalhouse",
    companies_house_number="12046583",
    registered_address="3rd Floor, 21 Grey Street\nNewcastle upon Tyne\nNE1 6EE",
    sme=True,
    description="Signalhouse is a social listening and publishing tool made for local public services, known for "
    "community mapping and neighbourhood-level insight.",
    contact_name="Megan Charlton",
    accreditations=(
        ("Cyber Essentials Plus", "IASME-CEP-005530", date(2026, 2, 11), date(2027, 2, 10)),
        # Lapsed and not yet renewed: the profile shows it as expired.
        ("ISO 27001", "ISMS 690344", date(2023, 5, 1), date(2026, 4, 30)),
    ),
    memberships=(MembershipSpec(SMME_2024, 1, (3500, 65000, 45000, 28000)),),
    # A mid-term price reduction offered to win more call-offs.
    price_changes=(PriceChange(SMME_2024, 1, "User licence", date(2026, 6, 1), 3300),),
)

CIVIC_PULSE = SupplierSpec(
    key="civicpulse",
    legal_name="Civic Pulse Technologies Ltd",
    trading_name="CivicPulse",
    companies_house_number="11298374",
    registered_address="Harbour Exchange\n14 Marsh Wall\nLondon\nE14 9GE",
    sme=False,
    description="CivicPulse provides an enterprise digital engagement suite to emergency services across the UK, "
    "including CivicPulse Connect, a managed digital contact centre.",
    contact_name="Oliver Grant",
    accreditations=(
        ("Cyber Essentials Plus", "IASME-CEP-003318", date(2025, 9, 1), date(2026, 8, 31)),
        ("ISO 27001", "IS 655901", date(2024, 10, 1), date(2027, 9, 30)),
    ),
    memberships=(
        MembershipSpec(
            SMME_2024,
            1,
            (5600, 99000, 69000, 0),  # analytics is included in every licence
            status="suspended",
            reason="Cyber Essentials Plus certificate expired on 31 August 2026 and no renewal has been provided. "
            "The framework requires a current certificate for Lot 1; suspended until the supplier supplies one.",
            status_changed_on=date(2026, 9, 7),
        ),
        MembershipSpec(SMME_2024, 2, (115000, 99000, 125000, 69000)),
    ),
)

HARBOURLINE = SupplierSpec(
    key="harbourline",
    legal_name="Harbourline Communications Ltd",
    trading_name="Harbourline",
    companies_house_number="14720583",
    registered_address="Suite 9, Anchor Court\nKeen Road\nCardiff\nCF24 5JW",
    sme=True,
    description="Harbourline runs a bilingual digital contact service for public bodies from contact centres in "
    "Cardiff and Swansea, handling social media, messaging and web chat around the clock.",
    contact_name="Ffion Hughes",
    accreditations=(("Cyber Essentials", "IASME-CE-019284", date(2026, 1, 16), date(2027, 1, 15)),),
    memberships=(
        MembershipSpec(SMME_2024, 2, (79000, 60000, 90000, 40000)),
        MembershipSpec(DPCE_2025, 2, (80000, 60000, 90000, 40000)),
    ),
    exclusions=(
        ExclusionSpec(
            ground="Discretionary exclusion ground: breach of contract and poor performance (Procurement Act 2023, "
            "Schedule 7, paragraph 12). A county council terminated a digital contact call-off in July 2026 after "
            "persistent failure to meet response-time KPIs; the supplier has been entered on the debarment list.",
            kind="discretionary",
            starts_on=date(2026, 9, 14),
            ends_on=date(2029, 9, 13),
        ),
    ),
)

TIDEWATER = SupplierSpec(
    key="tidewater",
    legal_name="Tidewater Social Ltd",
    trading_name="Tidewater",
    companies_house_number="10938475",
    registered_address="2 Quayside Studios\nCommercial Road\nPlymouth\nPL4 0LE",
    sme=True,
    description="Tidewater makes a mobile-first social media management app that lets neighbourhood officers post "
    "and reply from force devices within guardrails set by the corporate communications team.",
    contact_name="Jake Polglase",
    accreditations=(
        ("Cyber Essentials Plus", "IASME-CEP-006145", date(2026, 4, 2), date(2027, 4, 1)),
        ("ISO 27001", "ISMS 845520", date(2025, 2, 1), date(2028, 1, 31)),
    ),
    memberships=(
        MembershipSpec(SMME_2024, 1, (4200, 78000, 52000, 36000)),
        MembershipSpec(DPCE_2025, 1, (4300, 78000, 52000, 36000)),
    ),
)

REAL_SUPPLIERS = (ORLO, SOFTCAT)
FICTIONAL_SUPPLIERS = (BEACON, SIGNALHOUSE, CIVIC_PULSE, HARBOURLINE, TIDEWATER)
SUPPLIERS = REAL_SUPPLIERS + FICTIONAL_SUPPLIERS
