"""The people screens: organisations, users, invitations, deactivation, the outbox, and who may see them."""

from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, BuyerOrganisation, OutboxMessage, User
from portal.services import mail
from tests.factories import make_organisation, make_supplier, make_user


@pytest.fixture
def staff(auth):
    user = make_user("staff", email="staff@pds.example", name="Priya Staff")
    db.session.commit()
    auth.login("staff@pds.example")
    return user


def _body(response) -> str:
    return response.get_data(as_text=True)


def _forget_cached_user() -> None:
    """Requests share the test's app context, and Flask-Login caches the signed-in user on `g`;
    forget it so the next request loads its user from its own session cookie, as in production."""
    g.pop("_login_user", None)


# --- access ------------------------------------------------------------------------------------

STAFF_PAGES = [
    "/admin/users",
    "/admin/users/invite",
    "/admin/organisations",
    "/admin/organisations/new",
    "/admin/audit",
    "/admin/audit/verify",
    "/admin/supplier-changes",
    "/admin/supplier-changes/acknowledged",
    "/admin/outbox",
]


@pytest.mark.parametrize("role", ["buyer", "approver", "evaluator", "supplier"])
def test_other_roles_are_refused(client, auth, role):
    make_user(role, email=f"{role}@example.test")
    target = make_user("buyer")
    db.session.commit()
    auth.login(f"{role}@example.test")
    for path in [*STAFF_PAGES, f"/admin/users/{target.id}", f"/admin/organisations/{target.buyer_organisation_id}"]:
        assert client.get(path).status_code == 403, path
    assert client.post(f"/admin/users/{target.id}/deactivate").status_code == 403
    assert db.session.get(User, target.id).active


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for path in STAFF_PAGES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/sign-in?next=" in response.headers["Location"]


def test_every_staff_page_renders(client, staff):
    for path in STAFF_PAGES:
        assert client.get(path).status_code == 200, path


# --- organisations -----------------------------------------------------------------------------


def test_create_organisation_redirects_to_its_page_with_flash(client, staff):
    response = client.post(
        "/admin/organisations/new",
        data={"name": "Kent Police", "organisation_type": "police", "region": "South East"},
    )
    org = db.session.scalar(select(BuyerOrganisation).where(BuyerOrganisation.name == "Kent Police"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/organisations/{org.id}")
    page = _body(client.get(response.headers["Location"]))
    assert "Kent Police added" in page
    assert "Invite a user" in page


def test_duplicate_organisation_name_shows_error_on_the_field_and_keeps_input(client, staff):
    make_organisation("Kent Police")
    db.session.commit()
    response = client.post(
        "/admin/organisations/new", data={"name": "kent police", "organisation_type": "fire", "region": "Kent"}
    )
    body = _body(response)
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "An organisation with this name already exists" in body
    assert 'value="kent police"' in body and 'value="Kent"' in body
    assert "<title>Error: " in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter the organisation&#39;s name"),
        ({"name": "X"}, "Select the type of organisation"),
        ({"name": "X", "organisation_type": "navy"}, "Select the type of organisation"),
        ({"name": "X" * 201, "organisation_type": "police"}, "Name must be 200 characters or fewer"),
        ({"name": "X", "organisation_type": "police", "address": "A" * 501}, "Address must be 500 characters or fewer"),
        (
            {"name": "X", "organisation_type": "police", "identifier": "9" * 41},
            "Identifier must be 40 characters or fewer",
        ),
    ],
)
def test_bad_organisation_form_input_is_an_error_summary(client, staff, data, message):
    response = client.post("/admin/organisations/new", data=data)
    assert response.status_code == 200
    assert message in _body(response)
    assert db.session.scalar(select(db.func.count(BuyerOrganisation.id))) == 0


def test_edit_organisation_records_change(client, staff):
    org = make_organisation("Kent Police")
    db.session.commit()
    response = client.post(
        f"/admin/organisations/{org.id}/edit",
        data={"name": "Kent Police", "organisation_type": "police", "region": "South East"},
    )
    assert response.status_code == 302
    assert db.session.get(BuyerOrganisation, org.id).region == "South East"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "organisation.updated"))


def test_organisation_address_and_identifier_are_kept_line_by_line_and_audited(client, staff):
    org = make_organisation("Kent Police")
    db.session.commit()
    response = client.post(
        f"/admin/organisations/{org.id}/edit",
        data={
            "name": "Kent Police",
            "organisation_type": "police",
            "address": "  Kent Police Headquarters \r\n\r\nSutton Road\r\nMaidstone ME15 9BZ ",
            "identifier": " QKP ",
        },
    )
    assert response.status_code == 302
    saved = db.session.get(BuyerOrganisation, org.id)
    assert saved.address == "Kent Police Headquarters\nSutton Road\nMaidstone ME15 9BZ"
    assert saved.identifier == "QKP"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "organisation.updated"))
    assert "Sutton Road" in event.after_json and "QKP" in event.after_json
    page = _body(client.get(f"/admin/organisations/{org.id}"))
    assert "Kent Police Headquarters<br>Sutton Road<br>Maidstone ME15 9BZ" in page


def test_organisation_list_filters_and_shows_user_counts(client, staff):
    surrey = make_organisation("Surrey Police", "police")
    make_organisation("Kent Fire", "fire")
    make_user("buyer", organisation=surrey)
    db.session.commit()
    body = _body(client.get("/admin/organisations?organisation_type=fire"))
    assert "Kent Fire" in body and "Surrey Police" not in body
    body = _body(client.get("/admin/organisations?q=surrey"))
    assert "Surrey Police" in body and "Kent Fire" not in body
    bad = client.get("/admin/organisations?organisation_type=navy")
    assert bad.status_code == 200 and "Select a type from the list" in _body(bad)


def test_organisation_page_lists_its_users(client, staff):
    org = make_organisation("Surrey Police")
    make_user("buyer", organisation=org, name="Sam Buyer")
    make_user("buyer", name="Someone Elsewhere")
    db.session.commit()
    body = _body(client.get(f"/admin/organisations/{org.id}"))
    assert "Sam Buyer" in body and "Someone Elsewhere" not in body
    assert f"/admin/users/invite?organisation_id={org.id}" in body


def test_unknown_organisation_is_404(client, staff):
    assert client.get("/admin/organisations/9999").status_code == 404


# --- users -------------------------------------------------------------------------------------


def test_user_list_filters_search_and_paginates(client, staff):
    org = make_organisation("Surrey Police")
    for n in range(30):
        make_user("buyer", organisation=org, name=f"Buyer {n:02d}", email=f"b{n:02d}@surrey.example")
    make_user("supplier", name="Alex Supplier", email="alex@orlo.example", active=False)
    db.session.commit()
    first = _body(client.get("/admin/users?role=buyer"))
    assert "Showing 1 to 25 of 30 users" in first and "Buyer 00" in first and "Buyer 29" not in first
    second = _body(client.get("/admin/users?role=buyer&page=2"))
    assert "Buyer 29" in second and "Buyer 00" not in second
    assert "Alex Supplier" in _body(client.get("/admin/users?active=no"))
    assert "Alex Supplier" not in _body(client.get("/admin/users?active=yes"))
    assert "Buyer 07" in _body(client.get("/admin/users?q=b07%40"))
    assert "Buyer 07" in _body(client.get(f"/admin/users?organisation_id={org.id}"))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("role=king", "Select a role from the list"),
        ("organisation_id=abc", "Select an organisation from the list"),
        ("supplier_id=99999", "Select a supplier from the list"),
        ("active=maybe", "Select a status from the list"),
        ("page=-3&role=buyer", None),
    ],
)
def test_bad_user_filters_are_errors_not_crashes(client, staff, query, message):
    response = client.get(f"/admin/users?{query}")
    assert response.status_code == 200
    if message:
        assert "There is a problem" in _body(response) and message in _body(response)


def test_invite_user_sends_invitation_and_shows_pending_user(client, staff):
    org = make_organisation("Surrey Police")
    db.session.commit()
    response = client.post(
        "/admin/users/invite",
        data={"name": "Sam Buyer", "email": "Sam@Surrey.example", "role": "buyer", "organisation_id": str(org.id)},
    )
    user = db.session.scalar(select(User).where(User.email == "sam@surrey.example"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/users/{user.id}")
    page = _body(client.get(response.headers["Location"]))
    assert "Invitation sent to sam@surrey.example" in page
    assert "Invitation pending" in page
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "sam@surrey.example"))
    assert "/invitation/" in message.body


def test_invite_form_is_prefilled_from_organisation_page(client, staff):
    org = make_organisation("Surrey Police")
    db.session.commit()
    body = _body(client.get(f"/admin/users/invite?organisation_id={org.id}&role=buyer"))
    assert f'value="{org.id}" selected' in body
    assert 'value="buyer" checked' in body


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({}, "Enter the user&#39;s full name"),
        ({"name": "A", "email": "not-an-email", "role": "staff"}, "Enter an email address in the correct format"),
        ({"name": "A", "email": "a@example.test"}, "Select the user&#39;s role"),
        ({"name": "A", "email": "a@example.test", "role": "buyer"}, "Select the user&#39;s buyer organisation"),
        ({"name": "A", "email": "a@example.test", "role": "supplier"}, "Select the user&#39;s supplier"),
        (
            {"name": "A", "email": "a@example.test", "role": "buyer", "organisation_id": "99999"},
            "Select an organisation from the list",
        ),
        ({"name": "A", "email": "a@example.test", "role": "wizard"}, "Select the user&#39;s role"),
    ],
)
def test_bad_invitation_input_is_an_error_summary_keeping_input(client, staff, data, field_message):
    response = client.post("/admin/users/invite", data=data)
    body = _body(response)
    assert response.status_code == 200
    assert "There is a problem" in body
    assert field_message in body
    if data.get("email"):
        assert f'value="{data["email"]}"' in body
    assert db.session.scalar(select(db.func.count(User.id))) == 1


def test_duplicate_invitation_email_is_shown_on_the_email_field(client, staff):
    make_user("staff", email="taken@example.test")
    db.session.commit()
    response = client.post("/admin/users/invite", data={"name": "A", "email": "taken@example.test", "role": "staff"})
    body = _body(response)
    assert "A user with this email address already exists" in body
    assert 'href="#email"' in body


def test_resend_invitation_and_reset_link(client, staff):
    pending = make_user("buyer", email="pending@example.test", password_hash=None)
    active = make_user("buyer", email="active@example.test")
    db.session.commit()
    response = client.post(f"/admin/users/{pending.id}/resend-invitation")
    assert response.status_code == 302
    assert "Invitation sent again to pending@example.test" in _body(client.get(f"/admin/users/{pending.id}"))
    response = client.post(f"/admin/users/{active.id}/send-reset-link")
    assert "Password reset link sent to active@example.test" in _body(client.get(response.headers["Location"]))
    recipients = list(db.session.scalars(select(OutboxMessage.recipient).order_by(OutboxMessage.id)))
    assert recipients == ["pending@example.test", "active@example.test"]
    # An invitation to someone who already has a password is refused with a message, not sent.
    client.post(f"/admin/users/{active.id}/resend-invitation")
    assert "already set a password" in _body(client.get(f"/admin/users/{active.id}"))
    assert db.session.scalar(select(db.func.count(OutboxMessage.id))) == 2


def test_user_page_shows_account_details(client, staff):
    user = make_user("buyer", name="Sam Buyer", email="sam@example.test")
    db.session.commit()
    body = _body(client.get(f"/admin/users/{user.id}"))
    assert "Sam Buyer" in body and "sam@example.test" in body
    assert "Password set" in body and "Not locked" in body and "Never" in body
    assert "Deactivate account" in body


def test_deactivation_confirms_then_signs_the_user_out(app, client, staff):
    make_user("buyer", email="victim@example.test")
    db.session.commit()
    victim = db.session.scalar(select(User).where(User.email == "victim@example.test"))
    other = app.test_client()
    _forget_cached_user()
    other.post("/sign-in", data={"email": "victim@example.test", "password": "correct-horse-battery-staple"})
    _forget_cached_user()
    assert other.get("/dashboard").status_code == 200
    _forget_cached_user()

    confirm = client.get(f"/admin/users/{victim.id}/deactivate")
    assert "Deactivate" in _body(confirm) and "account?" in _body(confirm)
    response = client.post(f"/admin/users/{victim.id}/deactivate")
    assert response.status_code == 302
    assert "victim@example.test deactivated" in _body(client.get(response.headers["Location"]))
    assert not db.session.get(User, victim.id).active
    # The deactivated user's session ends on their next request.
    _forget_cached_user()
    assert other.get("/dashboard").status_code == 302

    _forget_cached_user()
    response = client.post(f"/admin/users/{victim.id}/reactivate")
    assert response.headers["Location"].endswith(f"/admin/users/{victim.id}")
    db.session.expire_all()
    assert db.session.get(User, victim.id).active


def test_staff_cannot_deactivate_themselves(client, staff):
    response = client.post(f"/admin/users/{staff.id}/deactivate")
    assert response.status_code == 200
    assert "You cannot deactivate your own account." in _body(response)
    db.session.expire_all()
    assert db.session.get(User, staff.id).active


def test_change_role_view(client, staff):
    user = make_user("buyer", email="mover@example.test")
    supplier = make_supplier()
    db.session.commit()
    bad = client.post(f"/admin/users/{user.id}/role", data={"role": "supplier"})
    assert bad.status_code == 200 and "Select the user&#39;s supplier" in _body(bad)
    response = client.post(f"/admin/users/{user.id}/role", data={"role": "supplier", "supplier_id": str(supplier.id)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).supplier_id == supplier.id


def test_unknown_user_is_404(client, staff):
    assert client.get("/admin/users/9999").status_code == 404


# --- outbox ------------------------------------------------------------------------------------


def test_outbox_lists_filters_and_shows_a_message(client, staff):
    first = mail.send("one@example.test", "Welcome", "Set your password: http://portal.test/invitation/abc")
    mail.send("two@example.test", "Reset", "Reset body")
    db.session.commit()
    listing = _body(client.get("/admin/outbox"))
    assert "one@example.test" in listing and "two@example.test" in listing and "In outbox" in listing
    filtered = _body(client.get("/admin/outbox?recipient=ONE@"))
    assert "one@example.test" in filtered and "two@example.test" not in filtered
    page = _body(client.get(f"/admin/outbox/{first.id}"))
    assert "http://portal.test/invitation/abc" in page
    assert client.get("/admin/outbox?status=lost").status_code == 200
    assert "Select a status from the list" in _body(client.get("/admin/outbox?status=lost"))
    assert client.get("/admin/outbox/9999").status_code == 404
