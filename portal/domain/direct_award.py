"""Direct award: who is capable, what each costs over the term, and whom the framework's mechanism selects.

Rules (DOMAIN.md "Direct award practice"; Procurement Act 2023 s.45, PCR 2015 reg 33)

Capable
    A supplier is capable iff all of these hold; every failing one is reported (`NotCapable.reasons`), not only
    the first:
    - it is eligible on the day of the match (portal.domain.suppliers.eligibility_on: a member of the lot that has
      joined and not left, neither suspended nor removed, not excluded, the framework live); the service judges
      that and passes the verdict in `Candidate.eligibility`;
    - it claims every essential capability;
    - it holds every required accreditation, valid on the planned start date (no expiry date = valid; valid up to
      and including its expiry date: portal.domain.suppliers.accreditation_valid_on);
    - a price applies on the planned start date for every price item with a quantity above 0.

Cost (integer pence, never float)
    The unit price is the version that applies on the planned start date: the latest one effective on or before
    it (the rule of portal.domain.suppliers.price_on). A per_month item costs quantity x unit price x term months;
    a one_off item costs quantity x unit price. Items with quantity 0 are left out of the breakdown.
    Total = sum of the lines.

Ranking (strategy tables: MECHANISMS, TIE_BREAKS)
    - "lowest_cost": lowest whole-life total first.
    - "highest_ranking": best framework ranking first (1 is best); capable suppliers without a ranking come after
      every ranked one.
    - Tie-breaks ("framework_ranking", "lower_cost") are applied in the order the framework lists them.
    - Final fallback: suppliers still level after the mechanism and every tie-break are an unresolved tie. They
      share a rank; if they are first, nobody is selected and `Shortlist.unresolved_tie` names them (a direct award
      cannot then be made by the mechanism). Their display order (name, then id) decides nothing.
    - The selected supplier is the first of the ranking, unless the tie at the top is unresolved.
    - The order in which suppliers are passed in never changes the result.

Checking what the buyer entered: `requirement_errors` gives GOV.UK style messages keyed by field (at least one
essential capability, a term of 1 month up to the framework's maximum call-off term, whole quantities of 0 or more,
at least one quantity above 0). `shortlist` itself raises ValueError on such input: check first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple, TypeVar

from portal.domain.money import pence_to_pounds_text
from portal.domain.suppliers import ELIGIBLE, Eligibility, Ineligible, Refusal, accreditation_valid_on, format_pence
from portal.timefmt import format_date

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


class CostLine(NamedTuple):
    price_item_id: int
    item_name: str
    basis: PriceBasis
    quantity: int
    unit_price_pence: int
    months: int | None  # the term for per_month items; None for one-off items
    price_effective_from: date  # identifies the price version used (unique per supplier and item)
    total_pence: int


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
class RankedSupplier:
    supplier_id: int
    name: str
    rank: int  # 1 is first; suppliers in an unresolved tie share a rank
    total_pence: int
    framework_ranking: int | None
    lines: tuple[CostLine, ...]


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


class _Costed(NamedTuple):
    """A capable candidate with its cost, before ranking."""

    candidate: Candidate
    lines: tuple[CostLine, ...]
    total_pence: int


SortKey = Callable[[_Costed], tuple[int, int]]


def _by_cost(c: _Costed) -> tuple[int, int]:
    return (0, c.total_pence)


def _by_ranking(c: _Costed) -> tuple[int, int]:
    # Unranked suppliers sort after every ranked one and are level with each other on this rule.
    ranking = c.candidate.framework_ranking
    return (1, 0) if ranking is None else (0, ranking)


MECHANISMS: dict[str, SortKey] = {"lowest_cost": _by_cost, "highest_ranking": _by_ranking}
TIE_BREAKS: dict[str, SortKey] = {"framework_ranking": _by_ranking, "lower_cost": _by_cost}
# What each rule measures, for sentences: "level on whole-life cost", "wins the tie-break on framework ranking".
MEASURES = {
    "lowest_cost": "whole-life cost",
    "highest_ranking": "framework ranking",
    "framework_ranking": "framework ranking",
    "lower_cost": "whole-life cost",
}


def shortlist(
    requirement: Requirement,
    quantities: Sequence[PriceItemQuantity],
    candidates: Sequence[Candidate],
    mechanism: str,
    tie_breaks: Sequence[str] = (),
) -> Shortlist:
    """Match every candidate against the requirement, cost the capable ones and rank them by the mechanism."""
    _check_inputs(requirement, quantities, mechanism, tie_breaks)
    wanted = [_Wanted(q, *_months_and_factor(q, requirement.term_months)) for q in quantities if q.quantity > 0]
    capable, not_capable = _match(requirement, wanted, candidates)
    rules = [MECHANISMS[mechanism], *(TIE_BREAKS[t] for t in tie_breaks)]
    ranked, tie, decided_by = _rank(capable, rules, [mechanism, *tie_breaks])
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


# Formatting a date costs more than matching a supplier; reasons repeat the same few dates thousands of times.
_date_text = lru_cache(maxsize=256)(format_date)


class _Wanted(NamedTuple):
    item: PriceItemQuantity
    months: int | None  # the term for per_month items; None for one-off items
    factor: int  # quantity x months (or x 1): a line's total is unit price x factor


def _months_and_factor(item: PriceItemQuantity, term_months: int) -> tuple[int | None, int]:
    months = term_months if item.basis == PriceBasis.PER_MONTH else None
    return months, item.quantity * (months or 1)


def _per_object(compute: Callable) -> Callable:
    """`compute`, computed once per distinct argument object. Candidates from a service share objects (one
    frozenset per combination of capabilities claimed, one tuple per combination of accreditations held), so a
    match of thousands of candidates words the same reasons a few times, not thousands. Each argument is held
    while known, so its id cannot be reused by another object meanwhile."""
    known: dict[int, tuple] = {}

    def once(argument):
        entry = known.get(id(argument))
        if entry is None or entry[0] is not argument:
            entry = known[id(argument)] = (argument, compute(argument))
        return entry[1]

    return once


def _match(
    requirement: Requirement, wanted: Sequence[_Wanted], candidates: Sequence[Candidate]
) -> tuple[list[_Costed], list[NotCapable]]:
    """Cost every capable candidate; give every other one all its reasons, in the order of the rules."""
    essential, schemes, starts_on = (
        requirement.essential_capability_ids,
        requirement.required_schemes,
        requirement.starts_on,
    )
    valid_schemes = _per_object(
        lambda held: {a.scheme for a in held if accreditation_valid_on(starts_on, a.expires_on)}
    )
    capability_reasons = _per_object(lambda claimed: _capability_reasons(requirement, claimed))
    accreditation_reasons = _per_object(lambda held: _accreditation_reasons(requirement, held, valid_schemes(held)))
    capable: list[_Costed] = []
    not_capable: list[NotCapable] = []
    for candidate in candidates:
        refusals = candidate.eligibility.refusals
        has_schemes = not schemes or schemes <= valid_schemes(candidate.accreditations)
        if not refusals and essential <= candidate.capability_ids and has_schemes:
            costed = _cost(wanted, candidate, starts_on)
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


_new_tuple = tuple.__new__  # builds a CostLine without the NamedTuple's Python-level __new__ (16,000 per match)


def _cost(wanted: Sequence[_Wanted], candidate: Candidate, starts_on: date) -> _Costed | None:
    """The candidate's cost lines and total, or None if an item wanted has no price on the start date."""
    prices, lines, total = candidate.prices, [], 0
    for item, months, factor in wanted:
        versions = prices.get(item.price_item_id)
        if not versions:
            return None
        # Services usually pass one version, or the one that applies first; the general rule otherwise.
        version = versions[0] if len(versions) == 1 else applicable_price(versions, starts_on)
        if version is None:
            return None
        effective_from, unit = version
        if effective_from > starts_on:
            return None
        line_total = unit * factor
        total += line_total
        line = (item.price_item_id, item.name, item.basis, item.quantity, unit, months, effective_from, line_total)
        lines.append(_new_tuple(CostLine, line))
    return _Costed(candidate, tuple(lines), total)


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


def _price_reasons(starts_on: date, wanted: Sequence[_Wanted], prices: Mapping[int, Sequence[Version]]) -> list[Reason]:
    reasons = []
    for item, _, _ in wanted:
        versions = prices.get(item.price_item_id, ())
        # Most often the first version applies, which settles it; otherwise the general rule.
        if versions and (versions[0][0] <= starts_on or applicable_price(versions, starts_on)):
            continue
        message = f"No price for {item.name} on the planned start date ({_date_text(starts_on)})"
        reasons.append(Reason(ReasonCode.NO_PRICE, message, item.price_item_id))
    return reasons


def applicable_price(versions: Sequence[V], day: date) -> V | None:
    """The latest version effective on or before `day`: the rule of suppliers.price_on, without building a list
    (this runs for every supplier and price item on every search; a test keeps the two in step)."""
    best = None
    for version in versions:
        if version[0] <= day and (best is None or version[0] > best[0]):
            best = version
    return best


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


def _rank(
    capable: list[_Costed], rules: list[SortKey], rule_names: list[str]
) -> tuple[tuple[RankedSupplier, ...], tuple[int, ...], str | None]:
    """Order by the rules; level suppliers share a rank. Returns (ranking, unresolved top tie, deciding rule)."""
    keyed = [(tuple([rule(c) for rule in rules]), c.candidate.name, c.candidate.supplier_id, c) for c in capable]
    keyed.sort(key=lambda k: k[:3])  # name and id only fix the display order of suppliers level on every rule
    ranked: list[RankedSupplier] = []
    for position, (key, _, _, costed) in enumerate(keyed):
        rank = ranked[-1].rank if position and keyed[position - 1][0] == key else position + 1
        c = costed.candidate
        ranked.append(
            RankedSupplier(c.supplier_id, c.name, rank, costed.total_pence, c.framework_ranking, costed.lines)
        )
    tie = tuple(s.supplier_id for s in ranked if s.rank == 1) if len(ranked) > 1 and ranked[1].rank == 1 else ()
    decided_by = None
    if len(keyed) > 1 and not tie:
        decided_by = next(name for name, a, b in zip(rule_names, keyed[0][0], keyed[1][0], strict=True) if a != b)
    return tuple(ranked), tie, decided_by


# --- Presenting the result ----------------------------------------------------------------------------------------


def selection_summary(result: Shortlist) -> str:
    """One sentence saying whom the mechanism selects and why, for the results page and the justification."""
    measure = MEASURES[result.mechanism]
    if not result.capable:
        return "No supplier is capable of meeting this requirement."
    if result.unresolved_tie:
        names = " and ".join(s.name for s in result.capable if s.supplier_id in result.unresolved_tie)
        return f"{names} are level on {measure} and on every tie-break, so the mechanism does not select a supplier."
    chosen, count = result.selected or result.capable[0], len(result.capable)
    total = format_pence(chosen.total_pence)
    if result.decided_by is None:
        return f"{chosen.name} is the only capable supplier ({total})."
    why = "the lowest whole-life cost" if result.mechanism == "lowest_cost" else "the best framework ranking"
    if result.decided_by != result.mechanism:
        runner_up = result.capable[1].name
        why = f"level with {runner_up} on {measure}, it wins the tie-break on {MEASURES[result.decided_by]}"
    else:
        why = f"it has {why}"
    return f"{chosen.name} is selected from {count} capable suppliers: {why} ({total})."


def cost_table_rows(supplier: RankedSupplier) -> list[tuple[str, str, str, str, str, str]]:
    """(item, basis, quantity, unit price, months, line total) as display text, then a total row."""
    rows = [
        (
            line.item_name,
            "per month" if line.basis == PriceBasis.PER_MONTH else "one-off",
            f"{line.quantity:,}",
            format_pence(line.unit_price_pence),
            "" if line.months is None else str(line.months),
            format_pence(line.total_pence),
        )
        for line in supplier.lines
    ]
    rows.append(("Total", "", "", "", "", format_pence(supplier.total_pence)))
    return rows


CSV_HEADER = (
    "Rank",
    "Supplier",
    "Result",
    "Price item",
    "Basis",
    "Quantity",
    "Unit price (GBP)",
    "Months",
    "Line total (GBP)",
    "Supplier total (GBP)",
    "Reason not capable",
)


def csv_rows(result: Shortlist) -> list[list[str]]:
    """Rows for csv.writer, header first: one row per cost line of each capable supplier, one per reason otherwise."""
    rows = [list(CSV_HEADER)]
    for s in result.capable:
        outcome, total = _outcome(result, s), pence_to_pounds_text(s.total_pence)
        for line in s.lines:
            unit, line_total = pence_to_pounds_text(line.unit_price_pence), pence_to_pounds_text(line.total_pence)
            months = "" if line.months is None else str(line.months)
            item = [line.item_name, str(line.basis), str(line.quantity), unit, months, line_total]
            rows.append([str(s.rank), s.name, outcome, *item, total, ""])
    for n in result.not_capable:
        rows += [["", n.name, "Not capable", "", "", "", "", "", "", "", reason.message] for reason in n.reasons]
    return [[_csv_safe(cell) for cell in row] for row in rows]


def _outcome(result: Shortlist, supplier: RankedSupplier) -> str:
    if result.selected is not None and supplier.supplier_id == result.selected.supplier_id:
        return "Selected"
    return "Capable, tied" if supplier.supplier_id in result.unresolved_tie else "Capable"


def _csv_safe(cell: str) -> str:
    # A supplier-typed name starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
