"""Reminders computed from state: each is sent once per person, object and window; nothing is sent about something
that moved on; a concurrent run's claim wins the race; the seal holds; `flask reminders send-due`."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.domain.working_days import london_date
from portal.extensions import db
from portal.models import BidAnswer, DirectAward, Invitation, SentReminder
from portal.models.base import utcnow
from portal.services.bids import crypto
from portal.services.notifications import reminders
from tests.factories import make_accreditation, make_lot, make_organisation, make_supplier, make_user
from tests.factories_competition import assign_evaluator, make_bid, make_competition
from tests.reminders_support import claims, emails, entries


def _deadline_world(in_days: float = 2):
    org = make_organisation()
    buyer = make_user("buyer", organisation=org)
    pending, submitted, declined, changed = (make_supplier() for _ in range(4))
    competition = make_competition(
        organisation=org,
        creator=buyer,
        suppliers=[pending, declined],
        deadline_at=utcnow() + timedelta(days=in_days),
    )
    make_bid(competition, submitted)
    changed_bid = make_bid(competition, changed)
    answer = db.session.scalars(select(BidAnswer).where(BidAnswer.bid_id == changed_bid.id)).first()
    crypto.set_answer_text(changed_bid, answer, "A better answer, not yet submitted again.")
    changed_bid.updated_at = utcnow()
    for invitation in competition.invitations:
        if invitation.supplier_id == declined.id:
            invitation.response = "declined"
    people = {
        name: make_user("supplier", supplier=supplier)
        for name, supplier in (
            ("pending", pending),
            ("submitted", submitted),
            ("declined", declined),
            ("changed", changed),
        )
    }
    db.session.commit()
    return competition, buyer, people


def test_deadline_reminders_go_to_suppliers_without_a_submitted_bid_once(app):
    competition, buyer, people = _deadline_world()
    summary = reminders.send_due()
    assert entries(people["pending"], "reminder_deadline") == 1
    assert entries(people["changed"], "reminder_deadline") == 1
    assert entries(people["submitted"], "reminder_deadline") == 0
    assert entries(people["declined"], "reminder_deadline") == 0
    assert entries(buyer, "reminder_deadline") == 0  # the seal: the buyer learns nothing of who bid
    mail = emails(people["changed"])[0]
    assert "submit it again" in mail.body and competition.reference in mail.subject
    assert mail.unsubscribe_url  # an optional reminder
    sent = summary.sent
    assert sent >= 2 and summary.line().startswith(f"Reminders: {sent} sent (reminder_deadline {sent})")
    again = reminders.send_due()
    assert again.sent == 0 and entries(people["pending"], "reminder_deadline") == 1


def test_the_one_day_window_and_an_extended_deadline_earn_fresh_reminders(app):
    competition, _, people = _deadline_world(in_days=2)
    reminders.send_due()
    reminders.send_due(utcnow() + timedelta(days=1, hours=12))  # inside the last day
    assert entries(people["pending"], "reminder_deadline") == 2
    windows = set(db.session.scalars(select(SentReminder.window).where(SentReminder.user_id == people["pending"].id)))
    assert {window.split("@")[0] for window in windows} == {"3d", "1d"}
    competition.submission_deadline_at = utcnow() + timedelta(days=2, hours=12)  # extended
    db.session.commit()
    reminders.send_due()
    assert entries(people["pending"], "reminder_deadline") == 3


def test_nothing_is_sent_about_a_competition_that_moved_on_since_it_was_found(app):
    competition, _, people = _deadline_world()
    found = reminders.find_due()
    assert found
    competition.cancelled_at = utcnow()
    competition.cancel_reason = "Requirement withdrawn"
    db.session.commit()
    summary = reminders.deliver(found, utcnow())
    assert summary.sent == 0 and summary.moved_on >= 2
    assert entries(people["pending"], "reminder_deadline") == 0
    assert claims() == 0  # the claims were released with the rollback


def test_a_supplier_that_submits_before_the_send_is_not_reminded(app):
    competition, _, people = _deadline_world()
    found = reminders.find_due()
    invitation = db.session.scalars(
        select(Invitation).where(
            Invitation.competition_id == competition.id, Invitation.supplier_id == people["pending"].supplier_id
        )
    ).one()
    make_bid(competition, invitation.supplier)
    db.session.commit()
    reminders.deliver(found, utcnow())
    assert entries(people["pending"], "reminder_deadline") == 0
    assert entries(people["changed"], "reminder_deadline") == 1


def test_a_concurrent_run_that_claimed_a_reminder_first_wins(app, monkeypatch):
    _, _, people = _deadline_world()
    found = reminders.find_due()
    due = next(due for _, due in found if people["pending"].id in due.recipients)
    # Another run claims it between our finding and our sending (its transaction commits first).
    db.session.add(
        SentReminder(kind=due.kind, object_ref=due.object_ref, user_id=people["pending"].id, window=due.window)
    )
    db.session.commit()
    # As if this run had looked before the other run committed: only the unique constraint stands between them.
    monkeypatch.setattr(reminders, "_already_sent", lambda due, user_id: False)
    summary = reminders.deliver(found, utcnow())
    assert summary.already_sent >= 1
    assert entries(people["pending"], "reminder_deadline") == 0  # the other run sends it, not this one
    assert entries(people["changed"], "reminder_deadline") == 1


def _evaluated_competition(**fields):
    org = make_organisation()
    buyer = make_user("buyer", organisation=org)
    supplier = make_supplier()
    competition = make_competition(organisation=org, creator=buyer, suppliers=[supplier], opened=True)
    make_bid(competition, supplier)
    competition.evaluation_started_at = utcnow() - timedelta(days=1)
    for name, value in fields.items():
        setattr(competition, name, value)
    return competition, org, buyer


def test_scores_due_goes_to_evaluators_with_work_outstanding(app):
    competition, org, _ = _evaluated_competition(planned_evaluation_on=london_date(utcnow()))
    busy = make_user("evaluator", organisation=org)
    idle = make_user("evaluator", organisation=org)
    assign_evaluator(competition, busy)
    assign_evaluator(competition, idle, criteria=[])  # nothing to score
    db.session.commit()
    reminders.send_due()
    assert entries(busy, "reminder_scores_due") == 1
    assert entries(idle, "reminder_scores_due") == 0
    competition.moderated_at = utcnow()  # the evaluation moved on
    competition.planned_evaluation_on = london_date(utcnow()) + timedelta(days=1)
    db.session.commit()
    assert reminders.send_due().sent == 0


def test_approvals_waiting_more_than_two_working_days_remind_other_approvers(app):
    asked = utcnow() - timedelta(days=10)
    competition, org, buyer = _evaluated_competition(moderated_at=asked, recommended_at=asked)
    recommender = make_user("approver", organisation=org)
    approver = make_user("approver", organisation=org)
    make_user("approver")  # another organisation's
    competition.recommended_by_id = recommender.id
    award = DirectAward(
        reference="DA-9001",
        buyer_organisation_id=org.id,
        lot_id=make_lot().id,
        created_by_id=buyer.id,
        title="Licences",
        recommended_at=asked,
        recommended_by_id=recommender.id,
        justification="The only supplier offering it",
    )
    fresh = DirectAward(
        reference="DA-9002",
        buyer_organisation_id=org.id,
        lot_id=make_lot().id,
        created_by_id=buyer.id,
        title="Fresh",
        recommended_at=utcnow(),
        recommended_by_id=recommender.id,
        justification="The only supplier offering it",
    )
    db.session.add_all([award, fresh])
    db.session.commit()
    reminders.send_due()
    assert entries(approver, "reminder_approval_waiting") == 2  # the competition and DA-9001, not the fresh one
    assert entries(recommender, "reminder_approval_waiting") == 0  # four eyes: not the one who recommended
    competition.approved_at, competition.approved_by_id = utcnow(), approver.id
    award.approved_at, award.approved_by_id = utcnow(), approver.id
    db.session.commit()
    assert reminders.send_due().sent == 0


def test_standstill_ending_goes_to_the_officers_and_cannot_be_turned_off(app):
    ends = utcnow() + timedelta(hours=12)
    decided = utcnow() - timedelta(days=9)
    competition, org, buyer = _evaluated_competition(
        moderated_at=decided, recommended_at=decided, approved_at=decided, standstill_started_at=decided
    )
    competition.standstill_ends_at = ends
    approver = make_user("approver", organisation=org)
    competition.approved_by_id = approver.id
    db.session.commit()
    reminders.send_due()
    assert entries(buyer, "reminder_standstill_ending") == 1
    assert entries(approver, "reminder_standstill_ending") == 1
    mail = next(m for m in emails(buyer) if "Standstill ends" in m.subject)
    assert mail.unsubscribe_url == ""  # a legal step: never optional
    reminders.send_due(ends)  # ended: nothing more
    assert entries(buyer, "reminder_standstill_ending") == 1


def test_accreditations_expiring_in_60_and_30_days(app):
    supplier = make_supplier()
    person = make_user("supplier", supplier=supplier)
    other = make_user("supplier", supplier=make_supplier())
    accreditation = make_accreditation(supplier, expires_on=london_date(utcnow()) + timedelta(days=45))
    make_accreditation(supplier, "ISO 27001", expires_on=london_date(utcnow()) + timedelta(days=200))
    db.session.commit()
    reminders.send_due()
    assert entries(person, "reminder_accreditation_expiring") == 1
    assert entries(other, "reminder_accreditation_expiring") == 0
    reminders.send_due(utcnow() + timedelta(days=16))
    assert entries(person, "reminder_accreditation_expiring") == 2
    accreditation.expires_on = london_date(utcnow()) + timedelta(days=400)  # renewed
    db.session.commit()
    assert reminders.send_due(utcnow() + timedelta(days=17)).sent == 0


def test_flask_reminders_send_due_prints_a_summary_and_is_idempotent(app, runner):
    _, _, people = _deadline_world()
    result = runner.invoke(args=["reminders", "send-due"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Reminders: ") and "reminder_deadline" in result.output
    again = runner.invoke(args=["reminders", "send-due"])
    assert again.output.startswith("Reminders: 0 sent (none)")
    assert entries(people["pending"], "reminder_deadline") == 1
