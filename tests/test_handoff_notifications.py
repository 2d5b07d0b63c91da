"""Each hand-off before the bids are opened reaches exactly the people who act on it, in their notifications list and
by e-mail, with the portal path where they act: questions asked and answered, invitations, deadline extensions,
cancellations, bid receipts (the bidding supplier's users only, withheld from everyone else until opening) and a
supplier's suspension, removal or exclusion. The evaluation and contract hand-offs are in
test_handoff_notifications_evaluation.py."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.domain.timefmt import format_datetime
from portal.extensions import db
from portal.models import BidSubmission, OutboxMessage
from portal.services.bids import sealed_records, submission
from portal.services.competitions import clarifications, publication
from portal.services.suppliers import exclusions, lot_membership
from tests.factories import make_user
from tests.factories_bidding import complete_draft, make_world
from tests.handoff_support import assert_delivered, entries, mail_to
from tests.test_competition_builder_support import complete, start, world


def _published():
    w = world()
    competition = complete(start(w), w.buyer)
    publication.publish(w.buyer, competition.id)
    return w, competition


def _invited_users(w):
    return [w.supplier_users[0], w.supplier_users[1]]  # Alpha and Bravo; Charlie is suspended, Delta excluded


# --- Competitions -------------------------------------------------------------------------------------------------


def test_publishing_invites_every_user_of_every_invited_supplier_and_nobody_else():
    w, competition = _published()
    [entry, _] = assert_delivered("invitation", _invited_users(w), f"/bids/competitions/{competition.id}")
    assert entry.subject == f"Invitation to bid: {competition.title} ({competition.reference})"
    assert format_datetime(competition.submission_deadline_at) + " (UK time)" in entry.body
    # The supplier's contact address (not a user, so no list) still gets the e-mail, with the portal address.
    [contact] = mail_to(w.suppliers[0].contact_email)
    assert contact.subject == entry.subject and f"/bids/competitions/{competition.id}" in contact.body
    assert not mail_to(w.supplier_users[2].email) and not mail_to(w.supplier_users[3].email)


def test_a_question_goes_to_the_buyers_procurement_officers_only():
    w, competition = _published()
    question = clarifications.ask(w.supplier_users[0], competition.id, "Is SSO required?")
    [entry, _] = assert_delivered("question_asked", [w.buyer, w.approver], f"/clarifications/{question.id}/answer")
    assert competition.reference in entry.subject and "Is SSO required?" in entry.body
    assert format_datetime(competition.clarification_deadline_at) in entry.body
    # Not the evaluator (not an officer), not another organisation, not the suppliers.
    assert not mail_to(w.evaluator.email) and not mail_to(w.other_buyer.email)
    assert "Clarification question" not in " ".join(m.subject for m in mail_to(w.supplier_users[1].email))


def test_a_published_answer_reaches_every_invited_supplier_without_naming_the_asker():
    w, competition = _published()
    question = clarifications.ask(w.supplier_users[0], competition.id, "Is SSO required?")
    clarifications.answer(w.buyer, question.id, answer="Yes, SAML 2.0.", audience="all")
    link = f"/clarifications/competitions/{competition.id}"
    rows = assert_delivered("question_answered", _invited_users(w), link)
    assert all("Yes, SAML 2.0." in r.body and "Alpha" not in r.body for r in rows)


def test_a_private_answer_reaches_only_the_supplier_who_asked():
    w, competition = _published()
    colleague = make_user("supplier", supplier=w.suppliers[0])
    db.session.commit()
    question = clarifications.ask(w.supplier_users[0], competition.id, "Our price is confidential?")
    clarifications.answer(w.buyer, question.id, answer="Yes.", audience="private", private_reason="Pricing")
    link = f"/clarifications/competitions/{competition.id}"
    [entry, _] = assert_delivered("question_answered", [w.supplier_users[0], colleague], link)
    assert "given to you privately" in entry.body
    answered = [m for m in mail_to(w.supplier_users[1].email) if m.subject.startswith("Clarification answered")]
    assert answered == [] and not any(
        m.subject.startswith("Clarification answered") for m in mail_to(w.suppliers[1].contact_email)
    )


def test_an_extended_deadline_reaches_the_invited_suppliers():
    w, competition = _published()
    new = competition.submission_deadline_at + timedelta(days=7)
    publication.extend_deadline(w.buyer, competition.id, new, "Suppliers asked for more time")
    [entry, _] = assert_delivered("deadline_extended", _invited_users(w), f"/bids/competitions/{competition.id}")
    assert f"New deadline: {format_datetime(new)} (UK time)" in entry.body and "more time" in entry.body
    assert not entries("question_asked")  # nothing else was sent to the buyer


def test_a_cancellation_reaches_the_invited_suppliers():
    w, competition = _published()
    publication.cancel(w.buyer, competition.id, "Requirement withdrawn")
    [entry, _] = assert_delivered("competition_cancelled", _invited_users(w), f"/bids/competitions/{competition.id}")
    assert "Requirement withdrawn" in entry.body


# --- Bids: receipts under the seal --------------------------------------------------------------------------------


def _staff_visible_subjects(reader) -> list[str]:
    query = select(OutboxMessage.subject).where(sealed_records.visible_message(reader))
    return list(db.session.scalars(query))


def test_submitting_amending_and_withdrawing_send_receipts_to_the_bidding_supplier_only():
    bw = make_world()
    colleague = make_user("supplier", supplier=bw.supplier)
    buyer = make_user("buyer", organisation=bw.competition.buyer_organisation)
    staff = make_user("staff")
    db.session.commit()
    complete_draft(bw)
    first = submission.submit(bw.user, bw.competition.id)
    reference = bw.competition.reference
    [entry, _] = assert_delivered("bid_submitted", [bw.user, colleague], f"/bids/submissions/{first.id}/receipt")
    assert entry.subject == f"Bid received: {reference} version 1" and first.content_sha256 in entry.body
    second = submission.submit(colleague, bw.competition.id)
    rows = assert_delivered("bid_amended", [bw.user, colleague], f"/bids/submissions/{second.id}/receipt")
    assert rows[0].subject == f"Bid received: {reference} version 2"
    submission.withdraw(bw.user, bw.competition.id)
    [withdrawn, _] = assert_delivered("bid_withdrawn", [bw.user, colleague], f"/bids/competitions/{bw.competition.id}")
    assert withdrawn.subject == f"Bid withdrawn: {reference} version 2"
    # Nobody else learns of the bid: no rival, no buyer, no staff member got anything, and the outbox view of
    # staff, the buyer and the rival withholds every receipt until opening; the bidder still sees its own.
    assert db.session.scalar(select(db.func.count(BidSubmission.id))) == 2
    for outsider in (bw.rival_user, buyer, staff):
        assert not mail_to(outsider.email)
        assert not [s for s in _staff_visible_subjects(outsider) if s.startswith(("Bid received", "Bid withdrawn"))]
    assert len([s for s in _staff_visible_subjects(bw.user) if reference in s]) == 3


def test_receipts_are_shown_to_staff_once_the_bids_are_opened():
    bw = make_world()
    staff = make_user("staff")
    db.session.commit()
    complete_draft(bw)
    submission.submit(bw.user, bw.competition.id)
    submission.withdraw(bw.user, bw.competition.id)
    bw.competition.opened_at = bw.competition.submission_deadline_at
    db.session.commit()
    visible = _staff_visible_subjects(staff)
    assert any(s.startswith("Bid received") for s in visible) and any(s.startswith("Bid withdrawn") for s in visible)


# --- Suppliers: suspension, removal, exclusion --------------------------------------------------------------------


def _alpha(w):
    colleague = make_user("supplier", supplier=w.suppliers[0])
    db.session.commit()
    return [w.supplier_users[0], colleague]


def test_a_suspension_reaches_that_suppliers_users_only():
    w = world()
    people = _alpha(w)
    membership = w.suppliers[0].memberships[0]
    lot_membership.suspend(w.staff, membership, "Failed security audit")
    [entry, _] = assert_delivered("supplier_suspended", people, "/supplier/profile")
    assert entry.subject.startswith("Suspended from") and "Failed security audit" in entry.body
    lot_membership.reinstate(w.staff, membership)
    assert len(entries("supplier_suspended")) == 2  # a reinstatement is no hand-off
    lot_membership.remove(w.staff, membership, "Contract ended", date.today())
    removed = [r for r in entries("supplier_suspended") if r.subject.startswith("Removed from")]
    assert sorted(r.user_id for r in removed) == sorted(p.id for p in people)
    assert not mail_to(w.supplier_users[1].email) and not mail_to(w.buyer.email)


def test_an_exclusion_reaches_that_suppliers_users_only():
    w = world()
    people = _alpha(w)
    exclusions.add_exclusion(
        w.staff, w.suppliers[0], ground="Fraud conviction", kind="mandatory", starts_on=date.today(), ends_on=None
    )
    [entry, _] = assert_delivered("supplier_suspended", people, "/supplier/profile")
    assert entry.subject.startswith("Excluded from procurement") and "Fraud conviction" in entry.body
    assert not mail_to(w.supplier_users[1].email) and not mail_to(w.staff.email)
