"""Demo accounts: framework staff, Surrey Police and Northumbria Police buyers, and a user per supplier.

All share one documented password, hashed once per seed run and only when an account is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from portal.extensions import db
from portal.models import BuyerOrganisation, Supplier, User
from portal.seed.common import SEED_EVENT, Tally
from portal.seed.supplier_data import SUPPLIERS
from portal.services import audit


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: str
    organisation: str | None = None  # buyer organisation name, for buyer-side roles
    supplier: str | None = None  # supplier legal name, for supplier users
    job_title: str = ""  # as the letters they sign name it


# In the order `flask demo-accounts` lists them.
DEMO_ACCOUNTS = (
    DemoAccount("staff@pds.example", "Priya Shah", "staff", job_title="Framework Manager"),
    DemoAccount(
        "buyer@surrey.police.example",
        "Sam Whitfield",
        "buyer",
        organisation="Surrey Police",
        job_title="Senior Procurement Officer",
    ),
    DemoAccount(
        "approver@surrey.police.example",
        "Helen Marsh",
        "approver",
        organisation="Surrey Police",
        job_title="Head of Procurement, Surrey and Sussex Police",
    ),
    DemoAccount("evaluator1@surrey.police.example", "Daniel Osei", "evaluator", organisation="Surrey Police"),
    DemoAccount("evaluator2@surrey.police.example", "Rachel Kemp", "evaluator", organisation="Surrey Police"),
    DemoAccount("evaluator3@surrey.police.example", "Tom Hargreaves", "evaluator", organisation="Surrey Police"),
    DemoAccount(
        "buyer@northumbria.police.example",
        "Aisha Rahman",
        "buyer",
        organisation="Northumbria Police",
        job_title="Procurement Manager",
    ),
    *(DemoAccount(s.contact_email, s.contact_name, "supplier", supplier=s.legal_name) for s in SUPPLIERS),
)

STAFF_EMAIL = DEMO_ACCOUNTS[0].email
# Framework staff belong to no organisation in the data model; the demo person works in this team.
STAFF_TEAM = "PDS framework team"


def ensure_accounts(
    tally: Tally,
    password_hash: Callable[[], str],
    organisations: dict[str, BuyerOrganisation],
    suppliers: dict[str, Supplier],
    accounts: tuple[DemoAccount, ...] = DEMO_ACCOUNTS,
) -> dict[str, User]:
    """The demo accounts, created if missing (looked up by email). Accounts whose party is not given are skipped."""
    emails = [a.email for a in accounts]
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    for account in accounts:
        if account.email in users:
            continue
        if (account.organisation and account.organisation not in organisations) or (
            account.supplier and account.supplier not in suppliers
        ):
            continue
        user = User(
            email=account.email,
            name=account.name,
            role=account.role,
            job_title=account.job_title,
            password_hash=password_hash(),
            buyer_organisation=organisations[account.organisation] if account.organisation else None,
            supplier=suppliers[account.supplier] if account.supplier else None,
        )
        db.session.add(user)
        db.session.flush()
        users[account.email] = user
        tally.add("user")
        party = STAFF_TEAM if account.role == "staff" else user.party_name
        audit.record(
            None,
            SEED_EVENT,
            "user",
            user.id,
            summary=f"Demo account {user.email} created: {user.role_enum.label.lower()}, {party}",
            after=audit.snapshot(user, ("email", "name", "role", "buyer_organisation_id", "supplier_id")),
        )
    return users


def demo_account_lines() -> list[str]:
    """One line per demo account present: email, role and party, in the documented order."""
    emails = [a.email for a in DEMO_ACCOUNTS]
    by_email = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    lines = []
    for email in emails:
        user = by_email.get(email)
        if user is None:
            continue
        party = STAFF_TEAM if user.is_staff else user.party_name
        lines.append(f"{email:<36} {user.role_enum.label}, {party}")
    return lines
