"""Price and timetable sections of a draft competition.

Price: the schedule of the lot's price items with the buyer's quantities (whole numbers, 0 or more; an item
with quantity 0 is left out of the schedule), the published price scoring method (PRICE_METHODS of the
scoring domain; the linear method needs a budget), the published tie-break rules in order (TIE_BREAK_RULES),
and the abnormally-low-price threshold.

Timetable: clarification deadline, submission deadline and planned evaluation and award dates, checked by
portal.domain.working_days.timetable_errors as if the competition were published now (publication checks
again). Instants are aware UTC datetimes; the web layer converts from and to Europe/London.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from portal.domain.scoring import PRICE_METHODS, TIE_BREAK_RULES
from portal.domain.working_days import Timetable, timetable_errors
from portal.extensions import db
from portal.models import Competition, PriceScheduleLine, User
from portal.models.base import utcnow
from portal.services import audit
from portal.services.competitions.builder import commit, require_draft
from portal.services.errors import ValidationError

PRICE_FIELDS = ("price_method", "price_budget_pence", "tie_break", "abnormally_low_percent")
TIMETABLE_FIELDS = ("clarification_deadline_at", "submission_deadline_at", "planned_evaluation_on", "planned_award_on")


@dataclass
class PriceTerms:
    quantities: dict[int, int | None]  # price item id -> quantity
    price_method: str | None
    budget_pence: int | None
    tie_break: list[str] = field(default_factory=list)
    abnormally_low_percent: Decimal | None = Decimal(20)


def _check_price_terms(competition: Competition, terms: PriceTerms) -> tuple[str, Decimal]:
    """The price method and abnormally low threshold, once every term is valid."""
    items = {item.id for item in competition.lot.price_items}
    for item_id, quantity in terms.quantities.items():
        if item_id in items and quantity is not None and quantity < 0:
            raise ValidationError("Quantities must be 0 or more", field=f"quantity_{item_id}")
    if not any((q or 0) > 0 for i, q in terms.quantities.items() if i in items):
        first = competition.lot.price_items[0].id if competition.lot.price_items else None
        raise ValidationError("Enter a quantity of 1 or more for at least one price item", field=f"quantity_{first}")
    method_name = terms.price_method or ""
    method = PRICE_METHODS.get(method_name)
    if method is None:
        raise ValidationError("Select how price is scored", field="price_method")
    if method.needs_budget and not terms.budget_pence:
        raise ValidationError("Enter the budget for the linear price method, like 60000", field="budget")
    rules = [rule for rule in terms.tie_break if rule]
    if not rules:
        raise ValidationError("Select the first tie-break rule", field="tie_break_1")
    if any(rule not in TIE_BREAK_RULES for rule in rules):
        raise ValidationError("Select a tie-break rule from the list", field="tie_break_1")
    if len(set(rules)) != len(rules):
        raise ValidationError("The second tie-break rule must differ from the first", field="tie_break_2")
    threshold = terms.abnormally_low_percent
    if threshold is None or not Decimal(0) < threshold < Decimal(100):
        raise ValidationError(
            "The abnormally low threshold must be more than 0 % and less than 100 %", field="abnormally_low_percent"
        )
    return method_name, threshold


def set_price_terms(actor: User, competition: Competition, terms: PriceTerms) -> None:
    require_draft(competition)
    method_name, threshold = _check_price_terms(competition, terms)
    before = audit.snapshot(competition, PRICE_FIELDS)
    before["schedule"] = schedule_quantities(competition)
    method = PRICE_METHODS[method_name]
    competition.price_method = method_name
    competition.price_budget_pence = terms.budget_pence if method.needs_budget else None
    competition.tie_break = ",".join(rule for rule in terms.tie_break if rule)
    competition.abnormally_low_percent = threshold
    lines = {line.price_item_id: line for line in competition.schedule_lines}
    for item in competition.lot.price_items:
        quantity = terms.quantities.get(item.id) or 0
        line = lines.get(item.id)
        if quantity and line is not None:
            line.quantity = quantity
        elif quantity:
            competition.schedule_lines.append(PriceScheduleLine(price_item_id=item.id, quantity=quantity))
        elif line is not None:
            competition.schedule_lines.remove(line)
    db.session.flush()
    after = audit.snapshot(competition, PRICE_FIELDS)
    after["schedule"] = schedule_quantities(competition)
    old, new = audit.changed(before, after)
    if new:
        audit.record(
            actor,
            "competition.price_updated",
            "competition",
            competition.id,
            summary=f"Price schedule and scoring of {competition.reference} changed",
            before=old,
            after=new,
        )
    commit()


def schedule_quantities(competition: Competition) -> dict[str, int]:
    return {str(line.price_item_id): line.quantity for line in competition.schedule_lines}


def price_complete(competition: Competition) -> bool:
    method = PRICE_METHODS.get(competition.price_method)
    return (
        bool(competition.schedule_lines)
        and method is not None
        and (not method.needs_budget or bool(competition.price_budget_pence))
    )


def tie_break_rules(competition: Competition) -> list[str]:
    return [rule for rule in (competition.tie_break or "").split(",") if rule]


# --- Timetable --------------------------------------------------------------------------------------------------


class TimetableInvalid(ValidationError):
    """Every timetable problem at once, keyed by Timetable field, so the form can show them all."""

    def __init__(self, errors: dict[str, str]):
        field_name, message = next(iter(errors.items()))
        super().__init__(message, field=field_name)
        self.errors = errors


def timetable_problems(competition: Competition, now: datetime | None = None) -> dict[str, str]:
    now = now or utcnow()
    timetable = Timetable(
        published_at=competition.published_at or now,
        clarification_deadline_at=competition.clarification_deadline_at,
        submission_deadline_at=competition.submission_deadline_at,
        evaluation_on=competition.planned_evaluation_on,
        award_on=competition.planned_award_on,
    )
    return timetable_errors(timetable, competition.lot.framework.min_bid_period_days, now)


def set_timetable(
    actor: User,
    competition: Competition,
    *,
    clarification_deadline_at: datetime | None,
    submission_deadline_at: datetime | None,
    evaluation_on: date | None,
    award_on: date | None,
    now: datetime | None = None,
) -> None:
    require_draft(competition)
    now = now or utcnow()
    timetable = Timetable(now, clarification_deadline_at, submission_deadline_at, evaluation_on, award_on)
    errors = timetable_errors(timetable, competition.lot.framework.min_bid_period_days, now)
    if evaluation_on is None:
        errors.setdefault("evaluation_on", "Enter the planned evaluation date")
    if award_on is None:
        errors.setdefault("award_on", "Enter the planned award date")
    if errors:
        raise TimetableInvalid(errors)
    before = audit.snapshot(competition, TIMETABLE_FIELDS)
    competition.clarification_deadline_at = clarification_deadline_at
    competition.submission_deadline_at = submission_deadline_at
    competition.planned_evaluation_on, competition.planned_award_on = evaluation_on, award_on
    old, new = audit.changed(before, audit.snapshot(competition, TIMETABLE_FIELDS))
    if new:
        audit.record(
            actor,
            "competition.timetable_updated",
            "competition",
            competition.id,
            summary=f"Timetable of {competition.reference} changed",
            before=old,
            after=new,
        )
    commit()


def timetable_started(competition: Competition) -> bool:
    return competition.submission_deadline_at is not None or competition.clarification_deadline_at is not None
