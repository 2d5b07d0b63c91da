"""Publishing a competition, extending its deadline and cancelling it; notifying the invited suppliers.

Publish: only a complete, valid draft (every section complete, criteria valid, timetable valid as of now,
at least one invitable supplier) and only when the lifecycle allows (check_transition(Action.PUBLISH)).
Publication freezes the invitation list (Invitation rows), stamps published_at/by and emails every invited
supplier. From then on the builder's services refuse edits (competition_builder.require_draft).

Extend: while published and before the deadline, to a later deadline, with a reason (DeadlineExtension row).
Cancel: any state before awarded, with a reason. Both notify every invited supplier. All audited.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete

from portal.domain.competition_lifecycle import Action, TransitionError, check_transition
from portal.domain.timefmt import format_datetime
from portal.extensions import db
from portal.models import (
    Competition,
    CompetitionCriterion,
    DeadlineExtension,
    Invitation,
    Notification,
    ScoreDescriptor,
    User,
)
from portal.models.base import utcnow
from portal.services import audit, mail, notifications
from portal.services.competitions import access
from portal.services.competitions.builder import commit, group_left_out, is_draft, top_level
from portal.services.competitions.builder_criteria import criteria_problems
from portal.services.competitions.builder_terms import timetable_problems
from portal.services.competitions.invitees import invitable_suppliers
from portal.services.competitions.tasks import incomplete_sections
from portal.services.errors import ConflictError, ValidationError
from portal.services.notifications import links, recipients


def notify_suppliers(
    competition: Competition, kind: str, subject: str, body: str, *, link: str, suppliers=None
) -> list[Notification]:
    """Notify every active user of every invited supplier (or of the suppliers given), each in their own list and
    by e-mail. The contact address a supplier gave, when it is not one of its users, is e-mailed too (it has no
    list of its own). Each message names only its recipient: nobody learns which other suppliers were told."""
    targets = suppliers if suppliers is not None else [i.supplier for i in competition.invitations]
    people = recipients.supplier_users(s.id for s in targets)
    written = notifications.notify(people, kind, subject, body, link=link)
    known = {person.email.lower() for person in people}
    address = links.absolute(link)
    for supplier in targets:
        contact = (supplier.contact_email or "").strip().lower()
        if contact and contact not in known:
            known.add(contact)
            mail.send(contact, subject, f"{body.rstrip()}\n\nOpen it in the portal: {address}\n")
    return written


def _supplier_link(competition: Competition) -> str:
    return links.path_for("bids.competition", competition_id=competition.id)


def _transition(competition: Competition, action: Action, now: datetime, **inputs) -> None:
    try:
        check_transition(access.facts(competition), action, now, **inputs)
    except TransitionError as error:
        field = {"Enter a reason": "reason", "Enter a new": "new_deadline", "The new deadline": "new_deadline"}
        name = next((f for prefix, f in field.items() if error.message.startswith(prefix)), None)
        raise (ValidationError if name else ConflictError)(error.message, field=name) from error


# --- Publish ----------------------------------------------------------------------------------------------------


def publish_problems(competition: Competition, now: datetime | None = None) -> list[str]:
    """Why the competition cannot be published now; empty when it can."""
    now = now or utcnow()
    if not is_draft(competition):
        return []
    problems = [f"Complete the section: {title}" for title in incomplete_sections(competition, now)]
    problems += [p.message for p in criteria_problems(competition)]
    problems += list(timetable_problems(competition, now).values())
    if not invitable_suppliers(competition):
        problems.append("No supplier on the lot can be invited")
    return list(dict.fromkeys(problems))


def _subtree(node: CompetitionCriterion) -> list[CompetitionCriterion]:
    return [node, *(n for child in node.children for n in _subtree(child))]


def _drop_groups_left_out(competition: Competition) -> list[str]:
    """Optional groups weighted 0 % are not part of the competition: published without them, nobody is asked to
    answer or score questions that cannot count (the scoring tree already leaves them out). Returns their titles."""
    titles: list[str] = []
    ids: list[int] = []
    for group in [n for n in top_level(competition) if group_left_out(n)]:
        titles.append(group.title)
        ids.extend(node.id for node in _subtree(group))
    if ids:
        for node in [n for n in competition.criteria if n.id in ids]:
            db.session.expunge(node)
        db.session.execute(delete(ScoreDescriptor).where(ScoreDescriptor.criterion_id.in_(ids)))
        db.session.execute(delete(CompetitionCriterion).where(CompetitionCriterion.id.in_(ids)))
        db.session.expire(competition, ["criteria"])
    return titles


def publish(actor: User, competition_id: int, now: datetime | None = None) -> Competition:
    now = now or utcnow()
    competition = access.get_for_officer(actor, competition_id, for_update=True)
    problems = publish_problems(competition, now)
    if problems:
        raise ConflictError(problems[0])
    _transition(competition, Action.PUBLISH, now)
    left_out = _drop_groups_left_out(competition)
    suppliers = invitable_suppliers(competition)
    for supplier in suppliers:
        competition.invitations.append(Invitation(supplier_id=supplier.id, invited_at=now, supplier=supplier))
    competition.published_at, competition.published_by_id = now, actor.id
    audit.record(
        actor,
        "competition.published",
        "competition",
        competition.id,
        summary=f"Competition {competition.reference} published to {len(suppliers)} suppliers",
        after={
            "published_at": now,
            "submission_deadline_at": competition.submission_deadline_at,
            "invited": [s.short_name for s in suppliers],
            "groups_left_out": left_out,
        },
    )
    notify_suppliers(
        competition,
        "invitation",
        f"Invitation to bid: {competition.title} ({competition.reference})",
        f"{competition.buyer_organisation.name} invites you to bid in a mini-competition under "
        f"{competition.lot.framework.reference} {competition.lot.label}.\n\n"
        f"Competition: {competition.title} ({competition.reference})\n"
        f"Clarification questions until: {format_datetime(competition.clarification_deadline_at)} (UK time)\n"
        f"Submission deadline: {format_datetime(competition.submission_deadline_at)} (UK time)\n\n"
        "Sign in to the portal to read the requirements and tell the buyer whether you will bid.",
        link=_supplier_link(competition),
        suppliers=suppliers,
    )
    commit()
    return competition


# --- Extend and cancel ------------------------------------------------------------------------------------------


def extend_deadline(
    actor: User, competition_id: int, new_deadline_at: datetime | None, reason: str, now: datetime | None = None
) -> DeadlineExtension:
    now = now or utcnow()
    competition = access.get_for_officer(actor, competition_id, for_update=True)
    reason = (reason or "").strip()
    _transition(competition, Action.EXTEND_DEADLINE, now, new_deadline_at=new_deadline_at, reason=reason)
    previous = competition.submission_deadline_at
    extension = DeadlineExtension(
        competition_id=competition.id,
        previous_deadline_at=previous,
        new_deadline_at=new_deadline_at,
        reason=reason,
        extended_by_id=actor.id,
        extended_at=now,
    )
    db.session.add(extension)
    competition.submission_deadline_at = new_deadline_at
    audit.record(
        actor,
        "competition.deadline_extended",
        "competition",
        competition.id,
        summary=f"Deadline of {competition.reference} extended to {format_datetime(new_deadline_at)}",
        before={"submission_deadline_at": previous},
        after={"submission_deadline_at": new_deadline_at, "reason": reason},
    )
    notify_suppliers(
        competition,
        "deadline_extended",
        f"Deadline extended: {competition.title} ({competition.reference})",
        f"The submission deadline for {competition.title} ({competition.reference}) has been extended.\n\n"
        f"Previous deadline: {format_datetime(previous)} (UK time)\n"
        f"New deadline: {format_datetime(new_deadline_at)} (UK time)\n\n"
        f"Reason: {reason}\n\n"
        "A bid you have already submitted still counts; you may amend or withdraw it until the new deadline.",
        link=_supplier_link(competition),
    )
    commit()
    return extension


def cancel(actor: User, competition_id: int, reason: str, now: datetime | None = None) -> Competition:
    now = now or utcnow()
    competition = access.get_for_officer(actor, competition_id, for_update=True)
    reason = (reason or "").strip()
    _transition(competition, Action.CANCEL, now, reason=reason)
    state = access.state(competition, now)
    competition.cancelled_at, competition.cancelled_by_id, competition.cancel_reason = now, actor.id, reason
    audit.record(
        actor,
        "competition.cancelled",
        "competition",
        competition.id,
        summary=f"Competition {competition.reference} cancelled",
        before={"state": state.value},
        after={"state": "cancelled", "reason": reason},
    )
    notify_suppliers(
        competition,
        "competition_cancelled",
        f"Competition cancelled: {competition.title} ({competition.reference})",
        f"{competition.buyer_organisation.name} has cancelled the competition {competition.title} "
        f"({competition.reference}).\n\nReason: {reason}\n\nThere is nothing more to do for it.",
        link=_supplier_link(competition),
    )
    commit()
    return competition
