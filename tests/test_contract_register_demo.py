"""The demo's register: every call-off the seed signs by both parties is in it, and each demo role sees the right
contracts (the buying organisation's officers and the winning supplier's users theirs, staff all, others none)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from sqlalchemy import select

from portal.extensions import db
from portal.models import CallOffContract, Document, User
from portal.seed import demo
from portal.services.contracts import register
from portal.services.contracts.register import Filters

DEMO_TODAY = date(2026, 11, 22)


@pytest.fixture
def seeded():
    with time_machine.travel(DEMO_TODAY, tick=False):
        demo.seed()


def test_every_demo_contract_signed_by_both_parties_is_registered(seeded):
    signed = db.session.scalars(
        select(Document).where(Document.kind == "call_off_contract", Document.signed_at.is_not(None))
    ).all()
    contracts = db.session.scalars(select(CallOffContract)).all()
    assert signed and sorted(c.signed_document_id for c in contracts) == sorted(d.id for d in signed)
    assert all(c.value_pence and c.start_on and c.end_on for c in contracts)


def test_each_demo_role_sees_the_right_contracts(seeded):
    contracts = db.session.scalars(select(CallOffContract)).all()
    users = db.session.scalars(select(User).where(User.active.is_(True))).all()
    checked = set()
    for user in users:
        seen = {r.contract.id for r in register.rows(user, Filters())}
        if user.is_staff:
            expected = {c.id for c in contracts}
        elif user.is_procurement_officer:
            expected = {c.id for c in contracts if c.buyer_organisation_id == user.buyer_organisation_id}
        elif user.is_supplier:
            expected = {c.id for c in contracts if c.supplier_id == user.supplier_id}
        else:  # evaluators have no register
            expected = set()
            assert not register.has_register(user)
        assert seen == expected, user.email
        checked.add((user.role, bool(expected)))
    # The demo has people on both sides of the line: some see a contract, some (another force, a losing
    # supplier) see none.
    assert {("staff", True), ("buyer", True), ("approver", True), ("supplier", True), ("supplier", False)} <= checked
    assert ("buyer", False) in checked or ("approver", False) in checked
