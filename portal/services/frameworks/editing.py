"""Framework staff's use cases for a framework's terms: creating and editing frameworks and
exercising extension options. Lots, capabilities and price items are in framework_structure.

Every function checks that the actor is framework staff, validates with the domain rules in
portal.domain.framework_term, records an audit event in the same transaction and commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.domain import framework_term as term
from portal.domain.roles import BankHolidayRegion, OrganisationType
from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import ExtensionOption, Framework, FrameworkBuyerType, User
from portal.models.base import utcnow
from portal.services import audit
from portal.services.errors import ConflictError, NotFoundError, ValidationError
from portal.services.permissions import require_staff

FRAMEWORK_FIELDS = (
    "reference",
    "name",
    "description",
    "regime",
    "start_on",
    "initial_end_on",
    "max_call_off_months",
    "min_bid_period_days",
    "bank_holiday_region",
)

# Which answer a term rule's message belongs beside.
TERM_PART_FIELDS: dict[str | None, str] = {"initial_end_on": "initial_end_on", "extension_options": "extension_months"}


@dataclass
class FrameworkDetails:
    """What staff enter about a framework (the create and edit forms produce one)."""

    reference: str
    name: str
    regime: str
    start_on: date
    initial_end_on: date
    max_call_off_months: int
    min_bid_period_days: int
    bank_holiday_region: str = BankHolidayRegion.ENGLAND_AND_WALES.value
    description: str = ""
    extension_months: list[int] = field(default_factory=list)
    buyer_types: list[str] = field(default_factory=list)


def get_framework(framework_id: int) -> Framework:
    framework = db.session.get(Framework, framework_id)
    if framework is None:
        raise NotFoundError("There is no such framework.")
    return framework


def get_option(option_id: int) -> ExtensionOption:
    option = db.session.get(ExtensionOption, option_id)
    if option is None:
        raise NotFoundError("There is no such extension option.")
    return option


def list_frameworks() -> list[Framework]:
    return list(db.session.scalars(select(Framework).order_by(Framework.start_on.desc(), Framework.reference)))


def framework_snapshot(framework: Framework) -> dict[str, Any]:
    """Every field staff can change, including option lengths and buyer types, for before/after."""
    data = audit.snapshot(framework, FRAMEWORK_FIELDS)
    data["extension_months"] = [o.months for o in framework.extension_options]
    data["buyer_types"] = sorted(framework.buyer_type_values)
    return data


def _clean(details: FrameworkDetails) -> FrameworkDetails:
    details.reference = details.reference.strip()
    details.name = details.name.strip()
    details.description = (details.description or "").strip()
    if not details.reference:
        raise ValidationError("Enter a reference", field="reference")
    if not details.name:
        raise ValidationError("Enter a name", field="name")
    if details.regime not in {r.value for r in term.Regime}:
        raise ValidationError("Select the legal regime", field="regime")
    if details.bank_holiday_region not in {r.value for r in BankHolidayRegion}:
        raise ValidationError("Select the bank holiday region", field="bank_holiday_region")
    unknown = set(details.buyer_types) - {t.value for t in OrganisationType}
    if not details.buyer_types or unknown:
        raise ValidationError("Select which types of buyer organisation may use the framework", field="buyer_types")
    if details.max_call_off_months is None or details.max_call_off_months <= 0:
        raise ValidationError("Maximum call-off term must be at least 1 month", field="max_call_off_months")
    if details.min_bid_period_days is None or details.min_bid_period_days < 0:
        raise ValidationError("Minimum bid period must be 0 days or more", field="min_bid_period_days")
    return details


def _check_term(details: FrameworkDetails) -> None:
    try:
        term.check_term(term.Regime(details.regime), details.start_on, details.initial_end_on, details.extension_months)
    except term.TermError as error:
        raise ValidationError(error.message, field=TERM_PART_FIELDS.get(error.part, "initial_end_on")) from error


def _check_reference_free(reference: str, framework_id: int | None = None) -> None:
    # Case-insensitive: "PDS-2021" and "pds-2021" would be the same framework to any reader.
    query = select(Framework.id).where(func.lower(Framework.reference) == reference.lower())
    if framework_id is not None:
        query = query.where(Framework.id != framework_id)
    if db.session.scalar(query.limit(1)) is not None:
        raise ConflictError(f"A framework with reference {reference} already exists", field="reference")


def _apply(framework: Framework, details: FrameworkDetails) -> None:
    for name in FRAMEWORK_FIELDS:
        setattr(framework, name, getattr(details, name))
    _apply_buyer_types(framework, details.buyer_types)
    _apply_options(framework, details.extension_months)


def _apply_buyer_types(framework: Framework, wanted: list[str]) -> None:
    current = {t.organisation_type: t for t in framework.eligible_buyer_types}
    for kind, row in current.items():
        if kind not in wanted:
            framework.eligible_buyer_types.remove(row)
    for kind in wanted:
        if kind not in current:
            framework.eligible_buyer_types.append(FrameworkBuyerType(organisation_type=kind))


def _apply_options(framework: Framework, months_list: list[int]) -> None:
    """Change lengths in place, add new options at the end and drop unexercised ones beyond the list."""
    options = list(framework.extension_options)
    for index, months in enumerate(months_list):
        if index < len(options):
            options[index].months = months
        else:
            framework.extension_options.append(ExtensionOption(sequence=index + 1, months=months))
    for option in options[len(months_list) :]:
        framework.extension_options.remove(option)


def _flush_or_conflict(reference: str) -> None:
    """The unique index is the last word if two people save the same reference at once."""
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise ConflictError(f"A framework with reference {reference} already exists", field="reference") from error


def create_framework(actor: User, details: FrameworkDetails) -> Framework:
    require_staff(actor, "change frameworks")
    details = _clean(details)
    _check_term(details)
    _check_reference_free(details.reference)
    framework = Framework()
    db.session.add(framework)
    _apply(framework, details)
    _flush_or_conflict(details.reference)
    audit.record(
        actor,
        "framework.created",
        "framework",
        framework.id,
        summary=f"Framework {framework.reference} created",
        after=framework_snapshot(framework),
    )
    db.session.commit()
    return framework


def update_framework(actor: User, framework: Framework, details: FrameworkDetails) -> Framework:
    require_staff(actor, "change frameworks")
    details = _clean(details)
    _check_term(details)
    exercised = [o.months for o in framework.extension_options if o.exercised_at is not None]
    try:
        term.check_options_editable(exercised, details.extension_months)
    except term.TermError as error:
        raise ValidationError(error.message, field="extension_months") from error
    _check_reference_free(details.reference, framework.id)
    before = framework_snapshot(framework)
    _apply(framework, details)
    _flush_or_conflict(details.reference)
    old, new = audit.changed(before, framework_snapshot(framework))
    if new:
        audit.record(
            actor,
            "framework.updated",
            "framework",
            framework.id,
            summary=f"Framework {framework.reference} changed: {', '.join(new)}",
            before=old,
            after=new,
        )
    db.session.commit()
    return framework


def term_options(framework: Framework) -> list[term.ExtensionOption]:
    return [term.ExtensionOption(o.sequence, o.months, o.exercised_at is not None) for o in framework.extension_options]


def end_if_exercised(framework: Framework, option: ExtensionOption) -> date:
    """The framework's end date once this option (and any before it) is exercised."""
    months = sum(o.months for o in framework.extension_options if o.sequence <= option.sequence)
    return term.add_months(framework.initial_end_on, months)


def exercise_problem(framework: Framework, option: ExtensionOption, today: date | None = None) -> str | None:
    """Why this option cannot be exercised today, or None if it can."""
    try:
        term.check_can_exercise(
            today or today_london(), framework.initial_end_on, term_options(framework), option.sequence
        )
    except term.TermError as error:
        return error.message
    return None


def exercise_extension(actor: User, framework: Framework, option_id: int, today: date | None = None) -> ExtensionOption:
    require_staff(actor, "change frameworks")
    # Lock the framework row so two people exercising at once cannot both pass the in-order check.
    db.session.execute(select(Framework.id).where(Framework.id == framework.id).with_for_update())
    db.session.refresh(framework)
    option = next((o for o in framework.extension_options if o.id == option_id), None)
    if option is None:
        raise NotFoundError("There is no such extension option on this framework.")
    problem = exercise_problem(framework, option, today)
    if problem:
        raise ConflictError(problem)
    before = {"current_end_on": framework.current_end_on.isoformat(), "exercised_at": None}
    option.exercised_at = utcnow()
    option.exercised_by_id = actor.id
    db.session.flush()
    audit.record(
        actor,
        "framework.extension_exercised",
        "framework",
        framework.id,
        summary=f"Option {option.sequence} ({option.months} months) exercised on {framework.reference}",
        before=before,
        after={
            "current_end_on": framework.current_end_on.isoformat(),
            "exercised_at": option.exercised_at,
            "option": option.sequence,
        },
    )
    db.session.commit()
    return option
