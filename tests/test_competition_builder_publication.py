"""Service tests: publishing (invitation list frozen, emails, audit), extending the deadline and cancelling."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, DeadlineExtension, OutboxMessage
from portal.models.base import utcnow
from portal.services.competitions import access, publication
from portal.services.competitions import invitees as suppliers
from portal.services.errors import ConflictError, NotFoundError, ValidationError
from tests.test_competition_builder_support import complete, start, world


def outbox() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage)))


def audited(kind: str) -> bool:
    return db.session.scalar(select(AuditEvent.id).where(AuditEvent.event_type == kind)) is not None


def test_publish_freezes_invitations_and_emails_each_invited_supplier():
    w = world()
    competition = complete(start(w), w.buyer)
    assert publication.publish_problems(competition) == []
    publication.publish(w.approver, competition.id)
    assert access.state(competition).value == "published"
    assert competition.published_by_id == w.approver.id
    assert sorted(i.supplier.short_name for i in competition.invitations) == ["Alpha", "Bravo"]
    recipients = {m.recipient for m in outbox()}
    assert w.supplier_users[0].email in recipients and w.suppliers[0].contact_email in recipients
    assert w.supplier_users[2].email not in recipients  # suspended supplier not invited
    assert all("Invitation to bid" in m.subject for m in outbox())
    assert audited("competition.published")
    # The list is frozen: a later suspension does not change who was invited.
    w.suppliers[1].memberships[0].status, w.suppliers[1].memberships[0].status_reason = "suspended", "x"
    db.session.commit()
    assert len(competition.invitations) == 2


def test_publish_refuses_an_incomplete_competition():
    w = world()
    competition = start(w)
    problems = publication.publish_problems(competition)
    assert "Complete the section: Details" in problems
    with pytest.raises(ConflictError, match="Complete the section"):
        publication.publish(w.buyer, competition.id)
    assert competition.published_at is None and competition.invitations == []


def test_publish_refuses_when_no_supplier_can_be_invited():
    w = world()
    competition = complete(start(w), w.buyer)
    capability = w.lot.capabilities[1]  # nobody claims it
    suppliers.set_required_capabilities(w.buyer, competition, [capability.id], "We need 24/7")
    with pytest.raises(ConflictError):
        publication.publish(w.buyer, competition.id)


def test_publish_twice_is_refused():
    w = world()
    competition = complete(start(w), w.buyer)
    publication.publish(w.buyer, competition.id)
    with pytest.raises(ConflictError, match="You cannot publish"):
        publication.publish(w.buyer, competition.id)


def test_other_organisation_cannot_publish():
    w = world()
    competition = complete(start(w), w.buyer)
    with pytest.raises(NotFoundError):
        publication.publish(w.other_buyer, competition.id)


def test_extend_deadline_records_and_notifies():
    w = world()
    competition = complete(start(w), w.buyer)
    publication.publish(w.buyer, competition.id)
    sent = len(outbox())
    old = competition.submission_deadline_at
    new = old + timedelta(days=7)
    publication.extend_deadline(w.buyer, competition.id, new, "Suppliers asked for more time")
    assert competition.submission_deadline_at == new
    extension = db.session.scalar(select(DeadlineExtension))
    assert extension.previous_deadline_at == old and extension.reason == "Suppliers asked for more time"
    messages = outbox()[sent:]
    assert len(messages) == 4 and all("Suppliers asked for more time" in m.body for m in messages)
    assert audited("competition.deadline_extended")


def test_extend_refusals():
    w = world()
    competition = complete(start(w), w.buyer)
    deadline = competition.submission_deadline_at
    with pytest.raises(ConflictError):  # still a draft
        publication.extend_deadline(w.buyer, competition.id, deadline + timedelta(days=1), "Reason")
    publication.publish(w.buyer, competition.id)
    with pytest.raises(ValidationError, match="reason") as error:
        publication.extend_deadline(w.buyer, competition.id, deadline + timedelta(days=1), " ")
    assert error.value.field == "reason"
    with pytest.raises(ValidationError, match="later than the current one"):
        publication.extend_deadline(w.buyer, competition.id, deadline - timedelta(hours=1), "Reason")
    with pytest.raises(ConflictError, match="after it has passed"):
        publication.extend_deadline(
            w.buyer, competition.id, deadline + timedelta(days=9), "Reason", now=deadline + timedelta(minutes=1)
        )


def test_cancel_needs_a_reason_and_notifies_invited_suppliers():
    w = world()
    competition = complete(start(w), w.buyer)
    publication.publish(w.buyer, competition.id)
    with pytest.raises(ValidationError, match="reason"):
        publication.cancel(w.buyer, competition.id, "")
    sent = len(outbox())
    publication.cancel(w.buyer, competition.id, "Budget withdrawn")
    assert access.state(competition).value == "cancelled"
    assert competition.cancel_reason == "Budget withdrawn"
    assert all("Budget withdrawn" in m.body for m in outbox()[sent:]) and len(outbox()) > sent
    assert audited("competition.cancelled")
    with pytest.raises(ConflictError, match="already been cancelled"):
        publication.cancel(w.buyer, competition.id, "Again")


def test_cancel_a_draft_and_then_nothing_can_be_edited():
    from portal.services.competitions import builder

    w = world()
    competition = start(w)
    publication.cancel(w.buyer, competition.id, "Not needed")
    with pytest.raises(ConflictError, match="cancelled"):
        builder.require_draft(competition)


def test_cancel_refused_once_awarded():
    w = world()
    competition = complete(start(w), w.buyer)
    publication.publish(w.buyer, competition.id)
    competition.awarded_at = utcnow()
    db.session.commit()
    with pytest.raises(ConflictError, match="awarded competition cannot be cancelled"):
        publication.cancel(w.buyer, competition.id, "Too late")


def test_a_group_weighted_zero_is_left_out_on_publication():
    w = world()
    competition = complete(start(w), w.buyer)
    social = [n for n in competition.criteria if n.title == "Social value"]
    assert social and social[0].weight == 0
    publication.publish(w.buyer, competition.id)
    db.session.expire_all()
    titles = {n.title for n in competition.criteria}
    assert "Social value" not in titles
    assert all(n.parent is None or n.parent.title != "Social value" for n in competition.criteria)
    assert {"Quality", "Price"} <= titles
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "competition.published"))
    assert "Social value" in event.after_json
    from portal.services.bids import drafting

    asked = {c.title for c in drafting.leaf_criteria(competition)}
    assert asked and not any("communit" in t.lower() for t in asked)
