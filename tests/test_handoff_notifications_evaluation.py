"""The hand-offs after the deadline reach exactly the people who act: the panel when the bids are opened, an evaluator
appointed after opening that their scores are due, the other party's signatories when a contract is signed, and each
bidder's own users when the assessment summaries are sent (never another bidder's)."""

from __future__ import annotations

from datetime import timedelta

from portal.domain.timefmt import format_date, today_london
from portal.extensions import db
from portal.services.contracts import signing
from portal.services.documents import contract
from portal.services.evaluation import opening, panel, summaries
from portal.services.notifications import recipients
from tests.contract_support import approved_direct_award, awarded_competition
from tests.factories import make_user
from tests.handoff_support import assert_delivered, entries, mail_to
from tests.test_award_services import approved_world
from tests.test_evaluation_services import evaluation_world


def test_opening_the_bids_tells_the_panel_and_nobody_else_with_the_date_scores_are_due():
    world = evaluation_world(opened=False)
    due = today_london() + timedelta(days=10)
    world.competition.planned_evaluation_on = due
    db.session.commit()
    opening.start(world.buyer, world.competition.id)
    assert not entries("bids_opened")  # nothing before the opening is confirmed
    opening.confirm(world.colleague, world.competition.id)
    link = f"/evaluation/{world.competition.id}/scoring"
    rows = assert_delivered("bids_opened", world.evaluators, link)
    assert all(f"Scores are due by {format_date(due)}" in r.body and "3 bids were" in r.body for r in rows)
    assert world.competition.reference in rows[0].subject
    # Not the officers who opened, not the suppliers; and no second "scores due" for the same people.
    for person in (world.buyer, world.colleague, world.approver):
        assert not mail_to(person.email)
    assert not entries("scores_due")


def test_an_evaluator_appointed_after_opening_hears_that_scores_are_due():
    world = evaluation_world(evaluators=0)
    first = make_user("evaluator", organisation=world.buyer.buyer_organisation)
    second = make_user("evaluator", organisation=world.buyer.buyer_organisation)
    db.session.commit()
    panel.assign_evaluator(world.buyer, world.competition.id, first.id)
    link = f"/evaluation/{world.competition.id}/scoring"
    [entry] = assert_delivered("scores_due", [first], link)
    assert "declare any conflict of interest" in entry.body and world.competition.title in entry.body
    panel.assign_evaluator(world.buyer, world.competition.id, second.id)
    assert sorted(r.user_id for r in entries("scores_due")) == sorted([first.id, second.id])
    assert not entries("bids_opened")


def test_an_evaluator_appointed_before_opening_hears_nothing_until_the_bids_are_opened():
    world = evaluation_world(opened=False, evaluators=0)
    person = make_user("evaluator", organisation=world.buyer.buyer_organisation)
    db.session.commit()
    panel.assign_evaluator(world.buyer, world.competition.id, person.id)
    assert not entries("scores_due") and not mail_to(person.email)  # the seal: no word of bids before opening


def test_a_contract_version_both_may_sign_is_announced_to_both_parties_signatories():
    world = awarded_competition(ready_to_sign=True)
    unsigned = contract.generate(world.buyer, "competition", world.id)
    link = f"/contracts/competitions/{world.id}"
    signatories = [world.approver, *recipients.supplier_users([world.winner.id])]
    assert world.supplier_user in signatories
    entry = assert_delivered("contract_ready_to_sign", signatories, link)[0]
    assert f"Version {unsigned.version} " in entry.body and world.call_off.reference in entry.subject
    assert contract.generate(world.approver, "competition", world.id).id == unsigned.id
    assert len(entries("contract_ready_to_sign")) == len(signatories)  # the same version again: announced once
    # Not to a buyer who is not an approver, nor another organisation (the award's own steps e-mailed them before).
    assert not _contract_mail(world.buyer.email) and not _contract_mail(world.other_buyer.email)
    if world.losing_supplier_user is not None:
        assert not [m for m in mail_to(world.losing_supplier_user.email) if "ontract" in m.subject]


def test_a_contract_that_cannot_be_signed_yet_is_not_announced():
    world = awarded_competition(ready_to_sign=False)
    contract.generate(world.buyer, "competition", world.id)
    assert not entries("contract_ready_to_sign")


def test_a_supplier_signature_tells_the_buyers_approvers():
    world = awarded_competition(ready_to_sign=True)
    unsigned = contract.generate(world.buyer, "competition", world.id)
    signing.sign(world.supplier_user, unsigned.id, "Sam Supplier", "Director", True)
    link = f"/contracts/competitions/{world.id}"
    [entry] = assert_delivered("contract_signed", [world.approver], link)
    assert world.call_off.reference in entry.subject and "needs to be signed by an approver" in entry.body
    assert not _contract_mail(world.buyer.email)  # a buyer who is not an approver cannot sign
    if world.losing_supplier_user is not None:
        assert not [m for m in mail_to(world.losing_supplier_user.email) if "Contract" in m.subject]


def test_a_buyer_signature_tells_the_winning_suppliers_users():
    world = approved_direct_award(ready_to_sign=True)
    unsigned = contract.generate(world.buyer, "direct_award", world.id)
    before = {m.id for m in mail_to(world.supplier_user.email)}
    signing.sign(world.approver, unsigned.id, "Ada Approver", "Chief Finance Officer", True)
    [entry] = assert_delivered("contract_signed", [world.supplier_user], f"/contracts/direct-awards/{world.id}")
    assert "needs to be signed by a user of" in entry.body
    assert entry.outbox_message is not None and entry.outbox_message.id not in before


def test_assessment_summaries_reach_each_bidders_own_users_only():
    world = approved_world(send=False)
    people = {name: make_user("supplier", supplier=s) for name, s in world.suppliers.items()}
    db.session.commit()
    summaries.send_assessment_summaries(world.buyer, world.competition.id)
    link = f"/evaluation/outcomes/{world.competition.id}"
    everyone = recipients.supplier_users(s.id for s in world.suppliers.values())  # the bidders' users who bid too
    assert set(people.values()) <= set(everyone)
    rows = assert_delivered("assessment_summary", everyone, link)
    by_user = {r.user_id: r for r in rows}
    assert by_user[people["Bravo"].id].subject.startswith("Award decision")
    assert "not successful" in by_user[people["Alpha"].id].body
    # Each supplier's entry is its own: the unsuccessful ones do not name each other.
    assert "Charlie" not in by_user[people["Alpha"].id].body and "Alpha" not in by_user[people["Charlie"].id].body


def _contract_mail(address: str) -> list:
    return [m for m in mail_to(address) if "ontract" in m.subject]
