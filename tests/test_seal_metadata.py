"""The metadata seal's one rule (portal/services/bids/sealed_records.py): bid events and bid e-mails are withheld
from every reader but the bidding supplier until the competition's bids are opened, then shown in full; the audit
chain still records them as they happen."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Invitation, OutboxMessage
from portal.models.base import utcnow
from portal.services import audit, files
from portal.services.bids import drafting, submission
from portal.services.bids.sealed_records import may_see_event
from portal.services.documents import receipts
from portal.services.errors import ConflictError
from portal.services.people import audit_log
from tests.factories import make_user
from tests.factories_bidding import PDF, complete_draft, make_world


def _bid_events() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "bid")))


def _submitted_world():
    world = make_world()
    complete_draft(world)
    files.add_attachment(world.user, world.competition.id, "plan.pdf", PDF)
    sub = submission.submit(world.user, world.competition.id)
    receipts.issue_receipt(world.user, sub.id)
    staff = make_user("staff")
    db.session.commit()
    return world, staff, sub


def _open(world) -> None:
    world.competition.opened_at = utcnow()
    db.session.commit()


def test_bid_events_are_recorded_but_withheld_from_staff_until_opening(client, auth):
    world, staff, _ = _submitted_world()
    events = _bid_events()
    kinds = {e.event_type for e in events}
    assert {"bid.created", "bid.answer_saved", "bid.prices_saved", "bid.attachment_added", "bid.submitted"} <= kinds
    receipt_event = db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "document.issued"))
    assert audit.verify().intact  # the chain holds every event, sealed or not

    listed = audit_log.search_events(staff, audit_log.AuditQuery())
    assert not {e.id for e in listed.items} & {e.id for e in [*events, receipt_event]}
    assert listed.total == len(listed.items)  # the total counts only what staff may see
    assert "bid" not in audit_log.object_types(staff)
    assert not any(t.startswith("bid.") for t in audit_log.event_types(staff))
    # What the supplier told the buyer stays visible; nothing of its bid does.
    pending = [e.event_type for e in audit_log.unreviewed_supplier_changes(staff).items]
    assert pending == ["invitation.responded"] and audit_log.unreviewed_supplier_changes_count(staff) == 1
    assert not any(may_see_event(staff, e) for e in [*events, receipt_event])
    assert not any(may_see_event(world.rival_user, e) for e in events)
    assert all(may_see_event(world.user, e) for e in [*events, receipt_event])  # the bidder's own

    auth.login(make_user("staff", email="reader@pds.example").email)
    db.session.commit()
    assert client.get(f"/admin/audit/{events[0].id}").status_code == 404
    assert client.get(f"/admin/supplier-changes/{events[0].id}").status_code == 404
    assert client.get("/admin/audit?object_type=bid").status_code in (200, 400)
    assert "bid.submitted" not in client.get("/admin/audit").get_data(as_text=True)

    _open(world)
    assert all(may_see_event(staff, e) for e in [*events, receipt_event])
    page = client.get(f"/admin/audit/{events[-1].id}")
    assert page.status_code == 200 and "bid." in page.get_data(as_text=True)
    assert "bid" in audit_log.object_types(staff)
    # Then in full: the bid events, the receipt issued and the stated intention.
    assert audit_log.unreviewed_supplier_changes_count(staff) == len(events) + 2


def test_staff_cannot_acknowledge_a_withheld_change():
    world, staff, _ = _submitted_world()
    event = _bid_events()[0]
    try:
        audit_log.acknowledge(staff, [event.id])
    except ConflictError:
        pass
    else:
        raise AssertionError("a sealed bid event was acknowledged")
    _open(world)
    assert audit_log.acknowledge(staff, [event.id]) == 1


def test_bid_receipt_email_is_sent_but_withheld_from_the_outbox_until_opening(client, auth):
    world, staff, sub = _submitted_world()
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == world.user.email))
    assert message is not None and message.subject.startswith("Bid received: ")
    assert sub.content_sha256 in message.body
    assert audit_log.outbox_count(staff) == 0
    assert audit_log.outbox_messages(staff).total == 0

    auth.login(make_user("staff", email="reader@pds.example").email)
    db.session.commit()
    assert client.get(f"/admin/outbox/{message.id}").status_code == 404
    assert "Bid received" not in client.get("/admin/outbox").get_data(as_text=True)

    _open(world)
    assert audit_log.outbox_count(staff) == 1
    assert client.get(f"/admin/outbox/{message.id}").status_code == 200
    assert "Bid received" in client.get("/admin/outbox").get_data(as_text=True)


def test_submitting_leaves_what_the_supplier_told_the_buyer():
    world = make_world()
    complete_draft(world)
    drafting.respond(world.user, world.competition.id, "declined", "No capacity")
    submission.submit(world.user, world.competition.id)
    invitation = db.session.scalar(select(Invitation).where(Invitation.supplier_id == world.supplier.id))
    assert (invitation.response, invitation.decline_reason) == ("declined", "No capacity")


def test_verifying_the_chain_on_the_web_does_not_count_sealed_events(client, auth):
    world = make_world()
    auth.login(make_user("staff", email="reader@pds.example").email)
    db.session.commit()
    before = client.post("/admin/audit/verify").get_data(as_text=True)
    complete_draft(world)
    assert audit.verify().checked > 0  # the command line still walks (and counts) every event
    after = client.post("/admin/audit/verify").get_data(as_text=True)
    assert "Audit chain intact" in after
    nonce = re.compile(r'nonce="[^"]*"')
    assert nonce.sub("", before) == nonce.sub("", after)
