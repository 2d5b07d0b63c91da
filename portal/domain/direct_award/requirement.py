"""Direct award inputs: the buyer's requirement and quantities, each supplier as a candidate, and the checks on
what the buyer entered (`requirement_errors`: GOV.UK style messages keyed by field)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TypeVar

from portal.domain.suppliers import ELIGIBLE, Eligibility

# A price version: (effective from, unit price in pence). A PriceVersion is one; services holding many for long
# pass plain tuples, which the garbage collector stops tracking.
Version = tuple[date, int]
V = TypeVar("V", bound=Version)


class PriceBasis(StrEnum):
    PER_MONTH = "per_month"
    ONE_OFF = "one_off"


@dataclass(frozen=True)
class PriceItemQuantity:
    price_item_id: int
    name: str
    basis: PriceBasis
    quantity: int


@dataclass(frozen=True)
class Requirement:
    essential_capability_ids: frozenset[int]
    required_schemes: frozenset[str]
    term_months: int
    starts_on: date
    # Only for the wording of reasons ("Does not meet: 24/7 digital contact channel"); ids are what count.
    capability_names: Mapping[int, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class HeldAccreditation:
    scheme: str
    expires_on: date | None


@dataclass(
    frozen=True, slots=True
)  # slots: a cached lot holds thousands (portal/services/direct_awards/lot_snapshot.py)
class Candidate:
    """A supplier on the lot as the framework knows it now; `prices` maps price item id to its price versions."""

    supplier_id: int
    name: str
    capability_ids: frozenset[int]
    accreditations: tuple[HeldAccreditation, ...] = ()
    framework_ranking: int | None = None
    prices: Mapping[int, Sequence[Version]] = field(default_factory=dict)
    eligibility: Eligibility = ELIGIBLE  # on the day of the match (portal.domain.suppliers.eligibility_on)


def requirement_errors(
    requirement: Requirement, quantities: Sequence[PriceItemQuantity], max_call_off_months: int
) -> dict[str, str]:
    """GOV.UK style messages keyed by field ("quantity_<price item id>" for each quantity); empty when valid."""
    errors: dict[str, str] = {}
    if not requirement.essential_capability_ids:
        errors["essential_capability_ids"] = "Select at least one essential capability"
    if requirement.term_months < 1:
        errors["term_months"] = "The contract term must be at least 1 month"
    elif requirement.term_months > max_call_off_months:
        errors["term_months"] = (
            f"The contract term must be {max_call_off_months} months or fewer: the framework's maximum call-off term"
        )
    for q in quantities:
        if type(q.quantity) is not int or q.quantity < 0:
            errors[f"quantity_{q.price_item_id}"] = f"The quantity for {q.name} must be a whole number, 0 or more"
    if quantities and all(q.quantity == 0 for q in quantities):
        errors["quantities"] = "Enter a quantity above 0 for at least one price item"
    return errors
