"""Direct award matching: every candidate judged capable or not, with all its reasons, then costed and ranked
(`shortlist`, the one entry point; the rules: portal/domain/direct_award/__init__.py, "Capable")."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple, TypeVar

from portal.domain.direct_award.cost import Costed, Wanted, applicable_price, cost_of, months_and_factor
from portal.domain.direct_award.ranking import MECHANISMS, TIE_BREAKS, RankedSupplier, rank_capable
from portal.domain.direct_award.requirement import (
    Candidate,
    HeldAccreditation,
    PriceItemQuantity,
    Requirement,
    Version,
)
from portal.domain.suppliers import Ineligible, Refusal, accreditation_valid_on
from portal.domain.timefmt import format_date

A = TypeVar("A")
R = TypeVar("R")


class ReasonCode(StrEnum):
    NOT_ACTIVE = "not_active"
    NOT_A_MEMBER = "not_a_member"
    EXCLUDED = "excluded"
    FRAMEWORK_NOT_LIVE = "framework_not_live"
    MISSING_CAPABILITY = "missing_capability"
    MISSING_ACCREDITATION = "missing_accreditation"
    EXPIRED_ACCREDITATION = "expired_accreditation"
    NO_PRICE = "no_price"


class Reason(NamedTuple):
    code: ReasonCode
    message: str
    subject: int | str | None = None  # the capability id, scheme or price item id concerned


@dataclass(frozen=True)
class NotCapable:
    supplier_id: int
    name: str
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Shortlist:
    mechanism: str
    tie_breaks: tuple[str, ...]
    capable: tuple[RankedSupplier, ...]
    not_capable: tuple[NotCapable, ...]
    selected: RankedSupplier | None
    unresolved_tie: tuple[int, ...]  # supplier ids level at the top after every tie-break; empty when resolved
    decided_by: str | None  # the rule that put the selected supplier ahead of the next one, if there is a next one


def shortlist(
    requirement: Requirement,
    quantities: Sequence[PriceItemQuantity],
    candidates: Sequence[Candidate],
    mechanism: str,
    tie_breaks: Sequence[str] = (),
) -> Shortlist:
    """Match every candidate against the requirement, cost the capable ones and rank them by the mechanism."""
    _check_inputs(requirement, quantities, mechanism, tie_breaks)
    wanted = [Wanted(q, *months_and_factor(q, requirement.term_months)) for q in quantities if q.quantity > 0]
    capable, not_capable = _match(requirement, wanted, candidates)
    rules = [MECHANISMS[mechanism], *(TIE_BREAKS[t] for t in tie_breaks)]
    ranked, tie, decided_by = rank_capable(capable, rules, [mechanism, *tie_breaks])
    not_capable.sort(key=attrgetter("name", "supplier_id"))
    selected = ranked[0] if ranked and not tie else None
    return Shortlist(mechanism, tuple(tie_breaks), ranked, tuple(not_capable), selected, tie, decided_by)


def _check_inputs(
    requirement: Requirement, quantities: Sequence[PriceItemQuantity], mechanism: str, tie_breaks: Sequence[str]
) -> None:
    if mechanism not in MECHANISMS:
        raise ValueError(f"Unknown selection mechanism {mechanism!r}: expected one of {sorted(MECHANISMS)}")
    if unknown := [t for t in tie_breaks if t not in TIE_BREAKS]:
        raise ValueError(f"Unknown tie-break {unknown}: expected some of {sorted(TIE_BREAKS)}")
    if requirement.term_months < 1:
        raise ValueError("The contract term must be at least 1 month")
    for q in quantities:
        if type(q.quantity) is not int or q.quantity < 0:
            raise ValueError(f"Quantity for {q.name} must be a whole number of 0 or more")


# Formatting a date costs more than matching a supplier; reasons repeat the same few dates thousands of times.
_date_text = lru_cache(maxsize=256)(format_date)


def _per_object(compute: Callable[[A], R]) -> Callable[[A], R]:
    """`compute`, computed once per distinct argument object. Candidates from a service share objects (one
    frozenset per combination of capabilities claimed, one tuple per combination of accreditations held), so a
    match of thousands of candidates words the same reasons a few times, not thousands. Each argument is held
    while known, so its id cannot be reused by another object meanwhile."""
    known: dict[int, tuple[A, R]] = {}

    def once(argument: A) -> R:
        entry = known.get(id(argument))
        if entry is None or entry[0] is not argument:
            entry = known[id(argument)] = (argument, compute(argument))
        return entry[1]

    return once


def _match(
    requirement: Requirement, wanted: Sequence[Wanted], candidates: Sequence[Candidate]
) -> tuple[list[Costed], list[NotCapable]]:
    """Cost every capable candidate; give every other one all its reasons, in the order of the rules."""
    essential, schemes, starts_on = (
        requirement.essential_capability_ids,
        requirement.required_schemes,
        requirement.starts_on,
    )

    def schemes_valid(held: tuple[HeldAccreditation, ...]) -> set[str]:
        return {a.scheme for a in held if accreditation_valid_on(starts_on, a.expires_on)}

    def capabilities_missing(claimed: frozenset[int]) -> list[Reason]:
        return _capability_reasons(requirement, claimed)

    def accreditations_missing(held: tuple[HeldAccreditation, ...]) -> list[Reason]:
        return _accreditation_reasons(requirement, held, valid_schemes(held))

    valid_schemes = _per_object(schemes_valid)
    capability_reasons = _per_object(capabilities_missing)
    accreditation_reasons = _per_object(accreditations_missing)
    capable: list[Costed] = []
    not_capable: list[NotCapable] = []
    for candidate in candidates:
        refusals = candidate.eligibility.refusals
        has_schemes = not schemes or schemes <= valid_schemes(candidate.accreditations)
        if not refusals and essential <= candidate.capability_ids and has_schemes:
            costed = cost_of(wanted, candidate, starts_on)
            if costed is not None:
                capable.append(costed)
                continue
        reasons = [_eligibility_reason(r) for r in refusals]
        reasons += capability_reasons(candidate.capability_ids)
        if not has_schemes:
            reasons += accreditation_reasons(candidate.accreditations)
        # Each supplier's prices are its own, so there is nothing to share here.
        reasons += _price_reasons(starts_on, wanted, candidate.prices)
        not_capable.append(NotCapable(candidate.supplier_id, candidate.name, tuple(reasons)))
    return capable, not_capable


_REASON_CODES = {
    Ineligible.SUSPENDED: ReasonCode.NOT_ACTIVE,
    Ineligible.REMOVED: ReasonCode.NOT_ACTIVE,
    Ineligible.NOT_ON_LOT: ReasonCode.NOT_A_MEMBER,
    Ineligible.NOT_YET_JOINED: ReasonCode.NOT_A_MEMBER,
    Ineligible.LEFT_LOT: ReasonCode.NOT_A_MEMBER,
    Ineligible.EXCLUDED: ReasonCode.EXCLUDED,
    Ineligible.FRAMEWORK_NOT_STARTED: ReasonCode.FRAMEWORK_NOT_LIVE,
    Ineligible.FRAMEWORK_EXPIRED: ReasonCode.FRAMEWORK_NOT_LIVE,
}


def _eligibility_reason(refusal: Refusal) -> Reason:
    return Reason(_REASON_CODES[refusal.reason], refusal.message, refusal.reason.value)


def _capability_reasons(requirement: Requirement, claimed: frozenset[int]) -> list[Reason]:
    reasons = []
    for capability_id in sorted(requirement.essential_capability_ids - claimed):
        name = requirement.capability_names.get(capability_id, f"capability {capability_id}")
        reasons.append(Reason(ReasonCode.MISSING_CAPABILITY, f"Does not meet: {name}", capability_id))
    return reasons


def _price_reasons(starts_on: date, wanted: Sequence[Wanted], prices: Mapping[int, Sequence[Version]]) -> list[Reason]:
    reasons = []
    for item, _, _ in wanted:
        versions = prices.get(item.price_item_id, ())
        # Most often the first version applies, which settles it; otherwise the general rule.
        if versions and (versions[0][0] <= starts_on or applicable_price(versions, starts_on)):
            continue
        message = f"No price for {item.name} on the planned start date ({_date_text(starts_on)})"
        reasons.append(Reason(ReasonCode.NO_PRICE, message, item.price_item_id))
    return reasons


def _accreditation_reasons(
    requirement: Requirement, held: Sequence[HeldAccreditation], valid: set[str]
) -> list[Reason]:
    reasons = []
    for scheme in sorted(requirement.required_schemes - valid):
        same = [a for a in held if a.scheme == scheme]
        if not same:
            reasons.append(Reason(ReasonCode.MISSING_ACCREDITATION, f"Does not hold {scheme}", scheme))
        else:
            latest = max(a.expires_on for a in same if a.expires_on is not None)
            message = (
                f"{scheme} expires on {_date_text(latest)}, before the planned start date "
                f"({_date_text(requirement.starts_on)})"
            )
            reasons.append(Reason(ReasonCode.EXPIRED_ACCREDITATION, message, scheme))
    return reasons
