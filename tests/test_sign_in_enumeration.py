"""No account enumeration: sign-in answers an unknown address, a wrong password, a locked and a deactivated account
alike, taking one password-hash verification each; forgot-password is throttled per account and per address and
always says the same; inviting a colleague answers an address used by another organisation like a new one."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, OutboxMessage, User
from portal.services.people import accounts, throttle
from tests.conftest import TEST_PASSWORD
from tests.factories import make_supplier, make_user


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch):
    monkeypatch.setattr(throttle, "pause", lambda seconds: None)


@pytest.fixture
def verifications(monkeypatch) -> list[str]:
    """Each Argon2 verification sign-in performs (the costly step whose timing could tell accounts apart)."""
    seen: list[str] = []
    real = accounts.verify_hash

    def counting(stored_hash: str, password: str) -> bool:
        seen.append(stored_hash)
        return real(stored_hash, password)

    monkeypatch.setattr(accounts, "verify_hash", counting)
    return seen


def _error_text(response) -> str:
    page = response.get_data(as_text=True)
    summary = re.search(r'<div class="govuk-error-summary".*?</div>\s*</div>', page, re.S)
    return re.sub(r"\s+", " ", summary.group(0)) if summary else ""


def _accounts(app):
    make_user("buyer", email="wrong@example.test")
    make_user("buyer", email="locked@example.test")
    make_user("buyer", email="gone@example.test", active=False)
    db.session.commit()
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        app.test_client().post("/sign-in", data={"email": "locked@example.test", "password": "not the password"})


CASES = {
    "unknown": ("nobody@example.test", TEST_PASSWORD),
    "wrong password": ("wrong@example.test", "not the password"),
    "locked, right password": ("locked@example.test", TEST_PASSWORD),
    "deactivated, right password": ("gone@example.test", TEST_PASSWORD),
}


def test_unknown_locked_deactivated_and_wrong_password_read_the_same(app, verifications):
    _accounts(app)
    answers = {}
    for case, (email, password) in CASES.items():
        verifications.clear()
        response = app.test_client().post("/sign-in", data={"email": email, "password": password})
        assert response.status_code == 200, case
        answers[case] = (_error_text(response).replace(email, "EMAIL"), len(verifications))
    assert len(set(answers.values())) == 1, answers
    message, hashes = next(iter(answers.values()))
    assert "Enter a correct email address and password" in message
    assert hashes == 1  # every refusal costs one Argon2 verification: no shortcut for a locked or unknown account


def test_an_unknown_account_is_checked_against_a_hash_made_like_real_ones(app, verifications):
    user = make_user("buyer", email="real@example.test")
    db.session.commit()
    app.test_client().post("/sign-in", data={"email": "nobody@example.test", "password": "x" * 12})
    dummy = verifications[-1]
    # The same Argon2 variant and cost parameters as a stored password: verifying takes as long.
    assert dummy.rsplit("$", 2)[0] == user.password_hash.rsplit("$", 2)[0]


def _reset_emails() -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id)))


def test_forgot_password_is_throttled_per_account(app, client):
    make_user("buyer", email="b@example.test")
    db.session.commit()
    pages = {
        client.post(
            "/forgot-password", data={"email": "b@example.test"}, environ_base={"REMOTE_ADDR": f"192.0.2.{n}"}
        ).get_data(as_text=True)
        for n in range(24)
    }
    assert _reset_emails() == app.config["PASSWORD_RESET_MAX_PER_ACCOUNT"]
    assert all("Check your email" in page for page in pages)


def test_forgot_password_is_throttled_per_address(app, client):
    for n in range(24):
        make_user("buyer", email=f"b{n}@example.test")
    db.session.commit()
    for n in range(24):
        response = client.post("/forgot-password", data={"email": f"b{n}@example.test"})
        assert "Check your email" in response.get_data(as_text=True)
    assert _reset_emails() == app.config["PASSWORD_RESET_MAX_PER_ADDRESS"]


@pytest.fixture
def orlo_user(auth):
    user = make_user("supplier", email="olive@orlo.example", supplier=make_supplier(legal_name="Orlo Ltd"))
    db.session.commit()
    auth.login("olive@orlo.example")
    return user


def _invite(client, email: str, name: str = "Pat Person"):
    response = client.post("/supplier/colleagues/invite", data={"name": name, "email": email})
    return response.status_code, client.get(response.headers.get("Location", "/")).get_data(as_text=True)


@pytest.mark.parametrize("role", ["supplier", "buyer", "staff"])
def test_inviting_an_address_another_organisation_uses_reads_like_a_new_invitation(client, orlo_user, role):
    make_user(role, email="taken@elsewhere.example", name="Tam Taken")
    db.session.commit()
    status, page = _invite(client, "taken@elsewhere.example")
    new_status, new_page = _invite(client, "fresh@elsewhere.example")
    assert status == new_status == 302
    assert "Invitation sent to taken@elsewhere.example" in page
    assert "Invitation sent to fresh@elsewhere.example" in new_page
    taken = db.session.scalar(select(User).where(User.email == "taken@elsewhere.example"))
    assert taken.role == role and taken.supplier_id != orlo_user.supplier_id  # nothing about the account changed
    notice = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "taken@elsewhere.example"))
    assert "already have an account" in notice.body
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "user.invitation_not_sent"))


def test_an_address_already_at_the_inviters_own_supplier_is_explained(client, orlo_user):
    status, _ = _invite(client, "olive@orlo.example")
    assert status == 200
