"""Builders for test data. Each returns a flushed model; tests commit when they need to."""

from __future__ import annotations

import itertools
from datetime import date

from portal.extensions import db
from portal.models import (
    Accreditation,
    BuyerOrganisation,
    Capability,
    CapabilityClaim,
    Exclusion,
    ExtensionOption,
    Framework,
    FrameworkBuyerType,
    Lot,
    LotMembership,
    PriceItem,
    Supplier,
    SupplierPrice,
    User,
)
from portal.services.people.accounts import hash_password
from tests.conftest import TEST_PASSWORD

_seq = itertools.count(1)
_password_hash: str | None = None


def _hash() -> str:
    global _password_hash
    if _password_hash is None:
        _password_hash = hash_password(TEST_PASSWORD)
    return _password_hash


def _add(obj):
    db.session.add(obj)
    db.session.flush()
    return obj


def make_framework(**kw) -> Framework:
    n = next(_seq)
    fw = Framework(
        reference=kw.pop("reference", f"FW-{n:04d}"),
        name=kw.pop("name", f"Test framework {n}"),
        description=kw.pop("description", "A framework for testing"),
        regime=kw.pop("regime", "pcr2015"),
        start_on=kw.pop("start_on", date(2021, 4, 1)),
        initial_end_on=kw.pop("initial_end_on", date(2023, 3, 31)),
        max_call_off_months=kw.pop("max_call_off_months", 36),
        min_bid_period_days=kw.pop("min_bid_period_days", 10),
        bank_holiday_region=kw.pop("bank_holiday_region", "england-and-wales"),
        **kw,
    )
    _add(fw)
    for t in ("police", "fire", "ambulance", "local_authority"):
        fw.eligible_buyer_types.append(FrameworkBuyerType(organisation_type=t))
    db.session.flush()
    return fw


def make_extension(framework: Framework, sequence: int, months: int = 12, exercised_by: User | None = None):
    from portal.models.base import utcnow

    return _add(
        ExtensionOption(
            framework=framework,
            sequence=sequence,
            months=months,
            exercised_at=utcnow() if exercised_by else None,
            exercised_by_id=exercised_by.id if exercised_by else None,
        )
    )


def make_lot(framework: Framework | None = None, **kw) -> Lot:
    framework = framework or make_framework()
    number = kw.pop("number", len(framework.lots) + 1)
    return _add(Lot(framework=framework, number=number, title=kw.pop("title", f"Lot {number}"), **kw))


def make_capability(lot: Lot, name: str | None = None, **kw) -> Capability:
    return _add(Capability(lot=lot, name=name or f"Capability {next(_seq)}", **kw))


def make_price_item(lot: Lot, name: str | None = None, basis: str = "per_month", unit: str = "per user") -> PriceItem:
    return _add(PriceItem(lot=lot, name=name or f"Item {next(_seq)}", basis=basis, unit=unit))


def make_supplier(**kw) -> Supplier:
    n = next(_seq)
    return _add(
        Supplier(
            legal_name=kw.pop("legal_name", f"Supplier {n} Ltd"),
            trading_name=kw.pop("trading_name", f"Supplier {n}"),
            companies_house_number=kw.pop("companies_house_number", f"{n:08d}"),
            contact_email=kw.pop("contact_email", f"bids{n}@supplier.example"),
            **kw,
        )
    )


def make_membership(supplier: Supplier, lot: Lot, status: str = "active", reason: str = "", **kw) -> LotMembership:
    return _add(
        LotMembership(
            supplier=supplier,
            lot=lot,
            joined_on=kw.pop("joined_on", lot.framework.start_on),
            status=status,
            status_reason=reason,
            **kw,
        )
    )


def make_claim(supplier: Supplier, capability: Capability, evidence: str = "We do this well.") -> CapabilityClaim:
    return _add(CapabilityClaim(supplier=supplier, capability=capability, evidence=evidence))


def make_price(supplier: Supplier, item: PriceItem, pence: int, effective_from: date | None = None) -> SupplierPrice:
    return _add(
        SupplierPrice(
            supplier_id=supplier.id,
            price_item_id=item.id,
            unit_price_pence=pence,
            effective_from=effective_from or date(2021, 4, 1),
        )
    )


def make_accreditation(supplier: Supplier, scheme: str = "Cyber Essentials Plus", expires_on: date | None = None):
    return _add(Accreditation(supplier=supplier, scheme=scheme, expires_on=expires_on))


def make_exclusion(supplier: Supplier, starts_on: date, ends_on: date | None = None, kind: str = "discretionary"):
    return _add(Exclusion(supplier=supplier, ground="Test ground", kind=kind, starts_on=starts_on, ends_on=ends_on))


def make_organisation(name: str | None = None, organisation_type: str = "police") -> BuyerOrganisation:
    return _add(
        BuyerOrganisation(name=name or f"Organisation {next(_seq)}", organisation_type=organisation_type, region="")
    )


def make_user(role: str = "staff", **kw) -> User:
    n = next(_seq)
    org = kw.pop("organisation", None)
    supplier = kw.pop("supplier", None)
    if role in ("buyer", "approver", "evaluator") and org is None:
        org = make_organisation()
    if role == "supplier" and supplier is None:
        supplier = make_supplier()
    return _add(
        User(
            email=kw.pop("email", f"user{n}@example.test"),
            name=kw.pop("name", f"User {n}"),
            role=role,
            password_hash=kw.pop("password_hash", _hash()),
            buyer_organisation=org,
            supplier=supplier,
            **kw,
        )
    )
