"""Demo data: the PDS frameworks, suppliers, buyer organisations and demo accounts (`flask seed-demo`).

Idempotent: everything is looked up by its natural key first, so running it again creates
nothing and records no audit events. Everything is written in one transaction, with audit events
attributed to the system: one per framework, supplier, demo account, exclusion and suspension,
and one per kind of object created, with its count.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import select

from portal.extensions import db
from portal.models import User
from portal.seed import accounts
from portal.seed.accounts import STAFF_EMAIL, demo_account_lines
from portal.seed.award_criteria import seed_award_criteria
from portal.seed.common import Tally
from portal.seed.competitions import seed_competitions
from portal.seed.direct_awards import seed_direct_awards
from portal.seed.documents import seed_documents
from portal.seed.frameworks import ensure_frameworks
from portal.seed.organisations import ensure_organisations
from portal.seed.pa_call_offs import seed_pa_call_offs
from portal.seed.suppliers import ensure_suppliers
from portal.services.people.accounts import hash_password

__all__ = ["DEMO_PASSWORD", "demo_account_lines", "seed"]

DEMO_PASSWORD = "demo-portal-password"  # noqa: S105 - documented demo password, seeded only on request


def seed() -> str:
    """Load the demo data; return a one-line report of what was created."""
    tally = Tally()
    # Hashing is deliberately slow: hash once, and only if an account is actually missing.
    password_hash = cache(lambda: hash_password(DEMO_PASSWORD))
    try:
        organisations = ensure_organisations(tally)
        # Staff first: the framework team exercised the extension options and recorded the exclusion.
        staff_account = tuple(a for a in accounts.DEMO_ACCOUNTS if a.email == STAFF_EMAIL)
        accounts.ensure_accounts(tally, password_hash, organisations, {}, staff_account)
        staff = db.session.execute(select(User).where(User.email == STAFF_EMAIL)).scalar_one()
        frameworks = ensure_frameworks(tally, staff)
        suppliers = ensure_suppliers(tally, frameworks, staff)
        for seeded in frameworks.values():
            for lot in seeded.lots.values():
                tally.add("award_criterion", seed_award_criteria(lot))
        by_legal_name = {s.legal_name: s for s in suppliers.values()}
        accounts.ensure_accounts(tally, password_hash, organisations, by_legal_name)
        tally.record_summaries()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    # Direct awards and competitions build on the committed demo suppliers and prices, so they come after.
    direct_awards = seed_direct_awards()
    competitions = seed_competitions()
    pa_call_offs = seed_pa_call_offs()
    issued = seed_documents()
    report = tally.report()
    # The documents' line goes before the competitions' so the report still ends with what was last loaded.
    parts = (direct_awards, issued, competitions, pa_call_offs)
    return " ".join([report, *(r for r in parts if "already loaded" not in r and "already issued" not in r)])
