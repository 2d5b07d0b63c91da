"""Suppliers: who may act on one, finding them, and creating and editing their profiles.

Framework staff manage every supplier. A supplier user acts only on its own supplier, and only on
the parts of the profile that are not the legal identity the framework contract was signed with.
Related areas live beside this module: lot_membership, price_cards, supplier_evidence (capability
claims and accreditations) and exclusions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import TypeVar

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from portal.domain import parties
from portal.domain import suppliers as rules
from portal.extensions import db
from portal.models import Exclusion, LotMembership, Supplier, User
from portal.services import audit
from portal.services.catalogue.search_index import reindex_supplier
from portal.services.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from portal.services.permissions import require_staff

F = TypeVar("F", bound=Callable)

# Staff-only: the legal entity the framework agreement is with, and facts reported about it.
# The identifiers (a field per scheme, portal/domain/parties.py) and the ITL 1 region name it in notices.
STAFF_FIELDS = (
    "legal_name",
    "companies_house_number",
    "ppon",
    "charity_number",
    "itl_region",
    "registered_address",
    "sme",
)
# A supplier keeps these up to date itself; framework staff can edit them too.
SELF_SERVICE_FIELDS = ("trading_name", "contact_email", "website", "description")
PROFILE_FIELDS = STAFF_FIELDS + SELF_SERVICE_FIELDS
# Changing these changes what the catalogue search finds.
SEARCHED_FIELDS = frozenset({"legal_name", "trading_name", "description"})


def require_may_edit(actor: User, supplier: Supplier) -> None:
    """Staff may edit any supplier; a supplier user only its own."""
    if actor.is_staff:
        return
    if actor.is_supplier and actor.supplier_id == supplier.id:
        return
    raise PermissionDeniedError("You cannot change this supplier.")


def conflict_on_duplicate(message: str, field: str | None = None) -> Callable[[F], F]:
    """Turn a unique-constraint failure into a ConflictError instead of a 500.

    The services check uniqueness before writing, so this only catches the race in which two
    requests write the same unique value at once; the database decides and the loser is told.
    """

    def decorate(service: F) -> F:
        @wraps(service)
        def wrapper(*args, **kwargs):
            try:
                return service(*args, **kwargs)
            except IntegrityError as exc:
                db.session.rollback()
                raise ConflictError(message, field=field) from exc

        return wrapper  # type: ignore[return-value]

    return decorate


def get_supplier(supplier_id: int) -> Supplier:
    supplier = db.session.get(Supplier, supplier_id)
    if supplier is None:
        raise NotFoundError("Supplier not found")
    return supplier


def own_supplier(actor: User) -> Supplier:
    """The signed-in supplier user's own supplier: never one named in a URL."""
    if not actor.is_supplier or actor.supplier_id is None:
        raise PermissionDeniedError("Only supplier users have a supplier profile.")
    return get_supplier(actor.supplier_id)


@dataclass(frozen=True)
class SupplierRow:
    supplier: Supplier
    active_lots: int
    suspended_lots: int
    excluded: bool


@dataclass(frozen=True)
class SupplierSummary:
    total: int
    on_a_lot: int
    suspended: int
    excluded: int


def search_suppliers(query: str, today: date, page: int = 1, per_page: int = 25) -> tuple[list[SupplierRow], int]:
    """Suppliers whose legal or trading name contains `query`, by name, with their status on lots."""
    stmt = select(Supplier)
    text = query.strip()
    if text:
        like = f"%{text.lower()}%"
        stmt = stmt.where(or_(func.lower(Supplier.legal_name).like(like), func.lower(Supplier.trading_name).like(like)))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    suppliers = db.session.scalars(
        stmt.order_by(func.lower(Supplier.legal_name)).limit(per_page).offset((page - 1) * per_page)
    ).all()
    rows = [
        SupplierRow(
            supplier=s,
            active_lots=sum(1 for m in s.memberships if m.status == rules.MembershipStatus.ACTIVE),
            suspended_lots=sum(1 for m in s.memberships if m.status == rules.MembershipStatus.SUSPENDED),
            excluded=s.excluded_on(today),
        )
        for s in suppliers
    ]
    return rows, total


def status_summary(today: date) -> SupplierSummary:
    def count_suppliers(*where) -> int:
        return db.session.scalar(select(func.count(func.distinct(LotMembership.supplier_id))).where(*where)) or 0

    excluded = db.session.scalar(
        select(func.count(func.distinct(Exclusion.supplier_id))).where(
            Exclusion.starts_on <= today, or_(Exclusion.ends_on.is_(None), Exclusion.ends_on >= today)
        )
    )
    return SupplierSummary(
        total=db.session.scalar(select(func.count(Supplier.id))) or 0,
        on_a_lot=count_suppliers(LotMembership.status == rules.MembershipStatus.ACTIVE),
        suspended=count_suppliers(LotMembership.status == rules.MembershipStatus.SUSPENDED),
        excluded=excluded or 0,
    )


def _clean(values: dict, allowed: tuple[str, ...]) -> dict:
    cleaned = {}
    for key in allowed:
        if key not in values:
            continue
        value = values[key]
        cleaned[key] = value.strip() if isinstance(value, str) else value
    if "companies_house_number" in cleaned:
        try:
            cleaned["companies_house_number"] = rules.normalise_companies_house_number(
                cleaned["companies_house_number"]
            )
        except ValueError as exc:
            raise ValidationError(str(exc), field="companies_house_number") from exc
    for field in ("ppon", "charity_number", "itl_region"):
        if field in cleaned:
            cleaned[field], problem = parties.clean_field(field, cleaned[field])
            if problem:
                raise ValidationError(problem, field=field)
    if "sme" in cleaned:
        cleaned["sme"] = bool(cleaned["sme"])
    return cleaned


def _check_unique(values: dict, supplier_id: int | None) -> None:
    others = select(Supplier.id).where(Supplier.id != supplier_id) if supplier_id else select(Supplier.id)
    if "legal_name" in values:
        if not values["legal_name"]:
            raise ValidationError("Enter the supplier's legal name", field="legal_name")
        if db.session.scalar(others.where(func.lower(Supplier.legal_name) == values["legal_name"].lower())):
            raise ConflictError("A supplier with this legal name already exists", field="legal_name")
    number = values.get("companies_house_number")
    if number and db.session.scalar(others.where(Supplier.companies_house_number == number)):
        raise ConflictError("Another supplier has this Companies House number", field="companies_house_number")
    ppon = values.get("ppon")
    if ppon and db.session.scalar(others.where(Supplier.ppon == ppon)):
        raise ConflictError("Another supplier has this PPON", field="ppon")
    charity = values.get("charity_number")
    if charity and db.session.scalar(others.where(Supplier.charity_number == charity)):
        raise ConflictError("Another supplier has this charity number", field="charity_number")


@conflict_on_duplicate("A supplier with this legal name or Companies House number already exists", "legal_name")
def create_supplier(actor: User, values: dict) -> Supplier:
    require_staff(actor)
    cleaned = _clean(values, PROFILE_FIELDS)
    cleaned.setdefault("legal_name", "")
    _check_unique(cleaned, None)
    supplier = Supplier(**cleaned)
    db.session.add(supplier)
    db.session.flush()
    audit.record(
        actor,
        "supplier.created",
        "supplier",
        supplier.id,
        summary=f"Supplier {supplier.legal_name} created",
        after=audit.snapshot(supplier, PROFILE_FIELDS),
    )
    reindex_supplier(supplier)
    db.session.commit()
    return supplier


@conflict_on_duplicate("Another supplier has this legal name or Companies House number", "legal_name")
def update_supplier(actor: User, supplier: Supplier, values: dict) -> bool:
    """Staff edit any profile field; a supplier user only the self-service ones. True if anything changed."""
    require_may_edit(actor, supplier)
    allowed = PROFILE_FIELDS if actor.is_staff else SELF_SERVICE_FIELDS
    refused = (set(values) & set(PROFILE_FIELDS)) - set(allowed)
    if refused:
        raise PermissionDeniedError("Only framework staff can change the legal name, identifiers, region and address.")
    cleaned = _clean(values, allowed)
    _check_unique(cleaned, supplier.id)
    before = audit.snapshot(supplier, PROFILE_FIELDS)
    for key, value in cleaned.items():
        setattr(supplier, key, value)
    old, new = audit.changed(before, audit.snapshot(supplier, PROFILE_FIELDS))
    if not new:
        return False
    audit.record(
        actor,
        "supplier.updated",
        "supplier",
        supplier.id,
        summary=f"Profile of {supplier.legal_name} changed: {', '.join(sorted(new))}",
        before=old,
        after=new,
    )
    if SEARCHED_FIELDS & set(new):
        reindex_supplier(supplier)
    db.session.commit()
    return True


def supplier_users(supplier: Supplier) -> list[User]:
    return list(db.session.scalars(select(User).where(User.supplier_id == supplier.id).order_by(User.name)).all())


def get_colleague(supplier: Supplier, user_id: int) -> User:
    """A user of this supplier; any other user is 'not found', so ids of other suppliers' users reveal nothing."""
    user = db.session.get(User, user_id)
    if user is None or user.supplier_id != supplier.id:
        raise NotFoundError("User not found")
    return user
