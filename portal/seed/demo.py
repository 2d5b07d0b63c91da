"""Demo data: the PDS framework, suppliers, buyer organisations and demo accounts.

Idempotent: running it twice changes nothing. Demo accounts exist only when seeded.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import BuyerOrganisation, User
from portal.services import audit
from portal.services.accounts import hash_password

DEMO_PASSWORD = "demo-portal-password"  # noqa: S105 - documented demo password, seeded only on request

DEMO_ACCOUNTS = [
    ("staff@pds.example", "Priya Shah", "staff", None),
    ("buyer@surrey.police.example", "Sam Buyer", "buyer", "Surrey Police"),
]


def _org(name: str, kind: str, region: str) -> BuyerOrganisation:
    org = db.session.scalar(select(BuyerOrganisation).where(BuyerOrganisation.name == name))
    if org is None:
        org = BuyerOrganisation(name=name, organisation_type=kind, region=region)
        db.session.add(org)
        db.session.flush()
    return org


def seed() -> str:
    _org("Surrey Police", "police", "South East")
    password_hash = hash_password(DEMO_PASSWORD)
    for email, name, role, org_name in DEMO_ACCOUNTS:
        if db.session.scalar(select(User).where(User.email == email)):
            continue
        org = _org(org_name, "police", "") if org_name else None
        user = User(email=email, name=name, role=role, password_hash=password_hash, buyer_organisation=org)
        db.session.add(user)
        db.session.flush()
        audit.record(None, "user.created", "user", user.id, summary=f"Demo account {email}")
    db.session.commit()
    return "Demo data loaded."


def demo_account_lines() -> list[str]:
    emails = [a[0] for a in DEMO_ACCOUNTS]
    users = db.session.scalars(select(User).where(User.email.in_(emails))).all()
    by_email = {u.email: u for u in users}
    return [f"{e:<40} {by_email[e].role_enum.label}, {by_email[e].party_name}" for e in emails if e in by_email]
