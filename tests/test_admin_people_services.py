"""Services behind the people screens: buyer organisations and user accounts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, BuyerOrganisation, OutboxMessage, User
from portal.services.errors import ConflictError, PermissionDeniedError, ValidationError
from portal.services.people import organisations, users
from tests.factories import make_organisation, make_supplier, make_user


def _events(event_type: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event_type == event_type)))


# --- organisations ----------------------------------------------------------------------------


def test_create_organisation_is_audited_with_after_values():
    staff = make_user("staff")
    db.session.commit()
    org = organisations.create_organisation(
        staff, name="  Kent   Police ", organisation_type="police", region="South East"
    )
    assert org.name == "Kent Police"
    (event,) = _events("organisation.created")
    assert event.object_id == str(org.id)
    assert '"name":"Kent Police"' in event.after_json
    assert event.actor_id == staff.id


def test_duplicate_organisation_name_is_a_conflict_on_the_name_field_whatever_the_case():
    staff = make_user("staff")
    make_organisation("Kent Police")
    db.session.commit()
    with pytest.raises(ConflictError) as caught:
        organisations.create_organisation(staff, name="kent police", organisation_type="police")
    assert caught.value.field == "name"
    assert db.session.scalar(select(db.func.count(BuyerOrganisation.id))) == 1


def test_unknown_organisation_type_is_refused():
    staff = make_user("staff")
    db.session.commit()
    with pytest.raises(ValidationError) as caught:
        organisations.create_organisation(staff, name="Somewhere", organisation_type="navy")
    assert caught.value.field == "organisation_type"


def test_update_records_only_changed_fields_and_nothing_when_unchanged():
    staff = make_user("staff")
    org = make_organisation("Kent Police")
    db.session.commit()
    assert organisations.update_organisation(
        staff, org, name="Kent Police", organisation_type="police", region="South East"
    )
    assert not organisations.update_organisation(
        staff, org, name="Kent Police", organisation_type="police", region="South East"
    )
    (event,) = _events("organisation.updated")
    assert event.before_json == '{"region":""}'
    assert event.after_json == '{"region":"South East"}'


def test_renaming_to_another_organisations_name_is_a_conflict_but_keeping_own_name_is_not():
    staff = make_user("staff")
    make_organisation("Kent Police")
    org = make_organisation("Essex Police")
    db.session.commit()
    with pytest.raises(ConflictError):
        organisations.update_organisation(staff, org, name="KENT POLICE", organisation_type="police")
    assert organisations.update_organisation(staff, org, name="Essex Police", organisation_type="fire")
    (event,) = _events("organisation.updated")
    assert event.before_json == '{"organisation_type":"police"}'
    assert event.after_json == '{"organisation_type":"fire"}'


def test_only_staff_manage_organisations():
    buyer = make_user("buyer")
    db.session.commit()
    with pytest.raises(PermissionDeniedError):
        organisations.create_organisation(buyer, name="Mine", organisation_type="police")


def test_list_organisations_filters_by_type_and_name_and_counts_users():
    surrey = make_organisation("Surrey Police", "police")
    make_organisation("Kent Fire and Rescue", "fire")
    make_user("buyer", organisation=surrey)
    make_user("evaluator", organisation=surrey)
    db.session.commit()
    rows = organisations.list_organisations()
    assert [(r.organisation.name, r.user_count) for r in rows] == [("Kent Fire and Rescue", 0), ("Surrey Police", 2)]
    assert [r.organisation.name for r in organisations.list_organisations(organisation_type="fire")] == [
        "Kent Fire and Rescue"
    ]
    assert [r.organisation.name for r in organisations.list_organisations(search="surrey")] == ["Surrey Police"]
    # Wildcards typed by a user are literal characters, not patterns.
    assert organisations.list_organisations(search="%") == []


# --- users -------------------------------------------------------------------------------------


def test_invite_buyer_sends_email_and_audits():
    staff = make_user("staff")
    org = make_organisation("Surrey Police")
    db.session.commit()
    user = users.invite_user(staff, email="New@Surrey.example", name="New Buyer", role="buyer", organisation_id=org.id)
    assert user.email == "new@surrey.example"
    assert not user.has_password
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "new@surrey.example"))
    assert _events("user.invited")


def test_duplicate_email_is_a_conflict_on_the_email_field():
    staff = make_user("staff")
    make_user("staff", email="taken@example.test")
    db.session.commit()
    with pytest.raises(ConflictError) as caught:
        users.invite_user(staff, email="TAKEN@example.test", name="Someone", role="staff")
    assert caught.value.field == "email"


@pytest.mark.parametrize("role", ["buyer", "approver", "evaluator"])
def test_buyer_side_role_without_organisation_is_refused(role):
    staff = make_user("staff")
    db.session.commit()
    with pytest.raises(ValidationError) as caught:
        users.invite_user(staff, email="x@example.test", name="X", role=role)
    assert caught.value.field == "organisation_id"
    assert db.session.scalar(select(User).where(User.email == "x@example.test")) is None


def test_supplier_role_without_supplier_is_refused():
    staff = make_user("staff")
    db.session.commit()
    with pytest.raises(ValidationError) as caught:
        users.invite_user(staff, email="x@example.test", name="X", role="supplier", supplier_id=999)
    assert caught.value.field == "supplier_id"


def test_staff_invitation_ignores_a_given_organisation():
    staff = make_user("staff")
    org = make_organisation()
    db.session.commit()
    user = users.invite_user(staff, email="s2@example.test", name="S", role="staff", organisation_id=org.id)
    assert user.buyer_organisation_id is None and user.supplier_id is None


def test_deactivation_is_audited_and_cannot_be_done_to_self():
    staff = make_user("staff")
    other = make_user("buyer")
    db.session.commit()
    users.set_active(staff, other, False)
    assert not db.session.get(User, other.id).active
    (event,) = _events("user.deactivated")
    assert event.before_json == '{"active":true}' and event.after_json == '{"active":false}'
    with pytest.raises(ConflictError):
        users.set_active(staff, staff, False)


def test_change_role_moves_user_to_a_supplier_and_ends_sessions():
    staff = make_user("staff")
    buyer = make_user("buyer")
    supplier = make_supplier()
    db.session.commit()
    version = buyer.session_version
    assert users.change_role(staff, buyer, role="supplier", supplier_id=supplier.id)
    assert buyer.role == "supplier" and buyer.buyer_organisation_id is None and buyer.supplier_id == supplier.id
    assert buyer.session_version == version + 1
    (event,) = _events("user.role_changed")
    assert '"role":"buyer"' in event.before_json and '"role":"supplier"' in event.after_json


def test_change_role_refuses_self_and_missing_party():
    staff = make_user("staff")
    buyer = make_user("buyer")
    db.session.commit()
    with pytest.raises(ConflictError):
        users.change_role(staff, staff, role="buyer", organisation_id=buyer.buyer_organisation_id)
    with pytest.raises(ValidationError) as caught:
        users.change_role(staff, buyer, role="evaluator")
    assert caught.value.field == "organisation_id"


def test_search_users_by_each_filter():
    org = make_organisation("Surrey Police")
    supplier = make_supplier()
    make_user("staff", name="Priya Staff", email="priya@pds.example")
    make_user("buyer", organisation=org, name="Sam Buyer", email="sam@surrey.example")
    make_user("supplier", supplier=supplier, name="Alex Supplier", email="alex@orlo.example", active=False)
    db.session.commit()

    def names(**kw) -> list[str]:
        return [u.name for u in users.search_users(users.UserQuery(**kw)).items]

    assert names(role="buyer") == ["Sam Buyer"]
    assert names(organisation_id=org.id) == ["Sam Buyer"]
    assert names(supplier_id=supplier.id) == ["Alex Supplier"]
    assert names(active=False) == ["Alex Supplier"]
    assert names(search="ORLO") == ["Alex Supplier"]
    assert names(search="priya") == ["Priya Staff"]
    assert names() == ["Alex Supplier", "Priya Staff", "Sam Buyer"]
