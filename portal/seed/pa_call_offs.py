"""Demo call-offs under the Procurement Act 2023 framework PDS-DPCE-2025 (`seed_pa_call_offs`, after the competitions).

- SUR-MC-PA-1 (Surrey, lot 1): a mini-competition taken all the way: evaluated, moderated, recommended with a
  voluntary standstill, approved, assessment summaries sent, contract award notice (UK6) published the next day,
  its standstill run (8 working days beginning with that day, counted by portal/services/notices/standstill.py),
  the award confirmed, the data protection schedule and three KPIs completed, the contract signed by both parties
  and the contract details notice (UK7) published.
- SUR-MC-PA-2 (Surrey, lot 1): approved, summaries sent, its UK6 published yesterday: in its standstill period.
- DA-DEMO-PA-1 (Surrey, lot 1): a direct award to the supplier the lot's mechanism selects, approved, with its UK6
  published: its standstill started with the notice.

Built through the services; only timestamps are moved back (each rewrite a `demo.seeded` audit event), and a notice's
preparation is moved back before its publication is recorded, because publication cannot precede preparation. No
standstill date is typed: the service that records a UK6's publication computes it. Idempotent by reference.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy import select

from portal.domain import notices as build
from portal.domain.timefmt import today_london
from portal.domain.working_days import is_uk_working_day
from portal.extensions import db
from portal.models import Bid, Competition, DirectAward, Lot, User
from portal.models.base import utcnow
from portal.seed.common import SEED_EVENT, at
from portal.seed.competition_specs import CompetitionSpec
from portal.seed.competitions import APPROVER, decide
from portal.seed.direct_awards import AwardSpec, create_award, ensure_settings
from portal.services import audit
from portal.services.contracts import data_protection, kpis, signing
from portal.services.contracts.data_protection import DataProtectionInput
from portal.services.contracts.kpis import KpiInput
from portal.services.direct_awards import decisions
from portal.services.direct_awards import shortlist as shortlists
from portal.services.documents import contract
from portal.services.evaluation import award as awards
from portal.services.notices import lifecycle

FRAMEWORK = "PDS-DPCE-2025"
BUYER = "buyer@surrey.police.example"

SIGNED = CompetitionSpec(
    "SUR-MC-PA-1",
    "signed",
    "Social media management and listening for Surrey Police",
    "Publishing, monitoring and listening across every corporate and neighbourhood account, with alerts for "
    "community tension and monthly reporting for the senior leadership team.",
    value_pence=9_000_000,
    starts_on=date(2027, 2, 1),
    framework=FRAMEWORK,
)
IN_STANDSTILL = CompetitionSpec(
    "SUR-MC-PA-2",
    "standstill",
    "Listening support for the Surrey neighbourhood policing review",
    "Twelve months of social listening across the force area to inform the review of neighbourhood policing, with "
    "a quarterly insight report.",
    value_pence=2_500_000,
    term_months=12,
    starts_on=date(2027, 3, 1),
    quantities={"per_month": 10, "one_off": 1},
    framework=FRAMEWORK,
)
DIRECT = AwardSpec(
    "DA-DEMO-PA-1",
    "Social media management for the Surrey Police contact centre",
    "A platform for the force contact centre's 30 digital contact officers to answer the public on every corporate "
    "account, to national standards, with an audit trail of every reply.",
    ("All corporate channels managed in one place", "Meets national standards for social media management"),
    ("Cyber Essentials Plus",),
    24,
    date(2027, 2, 1),
    {"User licence": 30, "Onboarding and configuration": 2, "Training session": 1, "Premium analytics module": 0},
    date(2026, 11, 2),
)
KPIS = (
    KpiInput("Platform availability", "Monthly availability of the platform, excluding agreed maintenance", "99.9%"),
    KpiInput("Support response", "Priority 1 incidents acknowledged within 30 minutes, each month", "95%"),
    KpiInput("Publishing accuracy", "Scheduled posts published at the scheduled time, each month", "99.5%"),
)
DATA_PROTECTION = DataProtectionInput(
    True,
    "Publishing to, monitoring and answering the force's social media accounts",
    "The term of the contract and three months of exit",
    "Storing, displaying and routing messages from the public so that officers can answer them",
    "Names, social media handles, message content and any personal data members of the public include",
    "Members of the public who contact or mention the force; force staff who use the platform",
    law_enforcement_processing=False,
)


def _user(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()


def _seeded(kind: str, subject_id: int, summary: str, **after) -> None:
    audit.record(None, SEED_EVENT, kind, subject_id, summary=f"Demo data: {summary}", after=after)


def _publish_notice(kind: str, subject_id: int, notice_type: str, published_at: datetime, number: int) -> None:
    """Prepare the notice and record it as published at `published_at` (its preparation moved back before it)."""
    buyer = _user(BUYER)
    notice = lifecycle.prepare(buyer, kind, subject_id, notice_type)
    if notice.prepared_at > published_at:
        notice.prepared_at = published_at - timedelta(hours=1)
        _seeded(kind, subject_id, f"{notice_type} prepared before its publication", prepared_at=notice.prepared_at)
        db.session.commit()
    year = published_at.year
    lifecycle.record_publication(buyer, kind, subject_id, notice_type, f"{year}/S 000-{number:06d}", published_at)


def _signed(spec: CompetitionSpec) -> None:
    competition = decide(spec, days_ago=45)
    approved_at = competition.approved_at
    assert approved_at is not None  # decided: approved through the service
    notice_at = approved_at + timedelta(days=1)
    _publish_notice("competition", competition.id, build.UK6, notice_at, 741201)
    buyer, approver = _user(BUYER), _user(APPROVER)
    awards.confirm(buyer, competition.id)
    ends = competition.standstill_ends_at
    assert ends is not None  # the UK6's publication started it
    competition.awarded_at = ends + timedelta(hours=10)
    _seeded("competition", competition.id, f"{spec.reference} award confirmed after its standstill", awarded_at=ends)
    db.session.commit()
    data_protection.save(buyer, "competition", competition.id, DATA_PROTECTION)
    for kpi in KPIS:
        kpis.add(buyer, "competition", competition.id, kpi)
    unsigned = contract.generate(buyer, "competition", competition.id)
    bid = db.session.get_one(Bid, competition.recommended_bid_id)
    winner = db.session.scalars(select(User).where(User.supplier_id == bid.supplier_id).order_by(User.id)).first()
    if winner is None:
        raise RuntimeError(f"{spec.reference}: the winning supplier has no demo user to sign for it")
    signing.sign(winner, unsigned.id, winner.name, "Director", True)
    signing.sign(approver, unsigned.id, approver.name, approver.job_title or "Head of Procurement", True)
    _publish_notice("competition", competition.id, build.UK7, utcnow(), 741202)


def _in_standstill(spec: CompetitionSpec) -> None:
    competition = decide(spec, days_ago=20)
    yesterday = utcnow().replace(hour=10, minute=0, second=0, microsecond=0) - timedelta(days=1)
    while not is_uk_working_day(yesterday.date()):  # buyers publish on working days: the last one before today
        yesterday -= timedelta(days=1)
    approved_at = competition.approved_at
    assert approved_at is not None  # decided: approved through the service
    _publish_notice("competition", competition.id, build.UK6, max(yesterday, approved_at), 741203)


def _direct(lot: Lot) -> None:
    buyer, approver = _user(BUYER), _user(APPROVER)
    ensure_settings(lot)
    # Dated relative to today, so that the notice is in the past whenever the demo is loaded.
    spec = replace(DIRECT, created_on=today_london() - timedelta(days=24))
    award = create_award(spec, lot)
    db.session.commit()
    selected = shortlists.content_of(shortlists.freeze(buyer, award))["selected_supplier_id"]
    decisions.recommend(
        buyer,
        award.id,
        selected,
        "The lot's mechanism, lowest whole-life cost among capable suppliers, selects this supplier on the frozen "
        "shortlist; the terms are complete, so a direct award is the proportionate route.",
    )
    decisions.approve(approver, award.id)
    approved = at(spec.created_on + timedelta(days=9), 14)
    award.recommended_at = approved - timedelta(days=1)
    award.approved_at = approved
    _seeded("direct_award", award.id, f"{DIRECT.reference} recommended and approved", approved_at=approved)
    db.session.commit()
    _publish_notice("direct_award", award.id, build.UK6, approved + timedelta(days=1), 741204)


def seed_pa_call_offs() -> str:
    """Load the Procurement Act demo call-offs that are missing; return a one-line report."""
    lot = db.session.scalar(
        select(Lot).join(Lot.framework).where(Lot.number == 1, Lot.framework.has(reference=FRAMEWORK))
    )
    if lot is None:
        return "Procurement Act demo call-offs not seeded: load the main demo data first."
    created = []
    try:
        for spec, build_it in ((SIGNED, _signed), (IN_STANDSTILL, _in_standstill)):
            if db.session.scalar(select(Competition.id).where(Competition.reference == spec.reference)) is None:
                build_it(spec)
                created.append(spec.reference)
        if db.session.scalar(select(DirectAward.id).where(DirectAward.reference == DIRECT.reference)) is None:
            _direct(lot)
            created.append(DIRECT.reference)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if not created:
        return "Procurement Act demo call-offs already loaded: nothing new created."
    return f"Procurement Act demo call-offs loaded: {', '.join(created)}."
