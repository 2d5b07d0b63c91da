"""Framework staff pages for frameworks: list, create, edit, exercise an option; access and bad input."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import pytest
import time_machine
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, ExtensionOption, Framework
from tests.factories import make_extension, make_framework, make_lot, make_user

STAFF_EMAIL = "staff@pds.example.test"


@pytest.fixture
def staff(auth):
    user = make_user("staff", email=STAFF_EMAIL, name="Priya Shah")
    db.session.commit()
    auth.login(STAFF_EMAIL)
    return user


@contextmanager
def travel_signed_in(auth, when):
    """Travel to `when` and sign in again there: a session signed in the future is (rightly) refused."""
    with time_machine.travel(when):
        auth.login(STAFF_EMAIL)
        yield


def form_data(**changes) -> dict:
    data = {
        "reference": "PDS-SMM-2021",
        "name": "Social media management",
        "description": "For blue-light services",
        "regime": "pcr2015",
        "start_on": ["1", "4", "2021"],
        "initial_end_on": ["31", "3", "2023"],
        "extension_months": "12, 12",
        "max_call_off_months": "36",
        "min_bid_period_days": "10",
        "bank_holiday_region": "england-and-wales",
        "buyer_types": ["police", "fire"],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def the_framework() -> Framework:
    return db.session.scalar(select(Framework))


# Access


@pytest.mark.parametrize("role", ["buyer", "approver", "evaluator", "supplier"])
@pytest.mark.parametrize("path", ["/admin/frameworks/", "/admin/frameworks/new", "/admin/frameworks/{id}/edit"])
def test_other_roles_are_refused(client, auth, role, path):
    framework = make_framework()
    make_user(role, email="someone@example.test")
    db.session.commit()
    auth.login("someone@example.test")
    assert client.get(path.format(id=framework.id)).status_code == 403
    assert client.post("/admin/frameworks/new", data=form_data()).status_code == 403
    assert db.session.scalar(select(Framework).where(Framework.reference == "PDS-SMM-2021")) is None


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get("/admin/frameworks/")
    assert response.status_code == 302
    assert "/sign-in?next=/admin/frameworks/" in response.headers["Location"]


# List and page


def test_list_shows_each_framework_with_derived_status(client, auth, staff):
    make_framework(
        reference="OLD-1", name="Old framework", start_on=date(2019, 1, 1), initial_end_on=date(2020, 12, 31)
    )
    make_framework(reference="NEW-1", name="New framework", regime="pa2023")
    db.session.commit()
    with travel_signed_in(auth, date(2022, 6, 1)):
        body = client.get("/admin/frameworks/").get_data(as_text=True)
    assert "OLD-1" in body and "NEW-1" in body
    assert "Expired" in body and "Live" in body
    assert "PA 2023" in body
    assert "2 years" in body
    assert "31 March 2023" in body


def test_empty_list_says_so(client, staff):
    body = client.get("/admin/frameworks/").get_data(as_text=True)
    assert "There are no frameworks yet" in body
    assert "Create a framework" in body


def test_framework_page_shows_fields_options_and_lots(client, auth, staff):
    framework = make_framework(reference="PDS-1", name="Social media")
    make_extension(framework, 1, 12, exercised_by=staff)
    make_extension(framework, 2, 12)
    make_lot(framework, title="Platform")
    db.session.commit()
    with travel_signed_in(auth, date(2023, 6, 1)):
        body = client.get(f"/admin/frameworks/{framework.id}").get_data(as_text=True)
    assert "<title>PDS-1: Social media" in body
    assert "2 years + 1 + 1" in body
    assert "Exercised" in body and "by Priya Shah" in body
    assert "Exercise option 2" in body
    assert "Lot 1: Platform" in body
    assert f'href="/admin/frameworks/{framework.id}/edit#start_on"' in body
    assert 'Change<span class="govuk-visually-hidden"> start date</span>' in body


def test_expired_framework_offers_no_exercise(client, auth, staff):
    framework = make_framework()
    make_extension(framework, 1, 12)
    db.session.commit()
    with travel_signed_in(auth, date(2024, 1, 1)):
        body = client.get(f"/admin/frameworks/{framework.id}").get_data(as_text=True)
    assert "Expired" in body
    assert "Exercise option" not in body


def test_unknown_framework_is_404(client, staff):
    assert client.get("/admin/frameworks/999").status_code == 404


# Create


def test_create_framework_redirects_to_its_page_with_a_flash(client, staff):
    response = client.post("/admin/frameworks/new", data=form_data())
    framework = the_framework()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/frameworks/{framework.id}")
    assert framework.start_on == date(2021, 4, 1)
    assert [o.months for o in framework.extension_options] == [12, 12]
    assert sorted(framework.buyer_type_values) == ["fire", "police"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Framework PDS-SMM-2021 created" in page
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "framework.created"))


def test_create_form_shows_regime_radios_and_buyer_checkboxes(client, staff):
    body = client.get("/admin/frameworks/new").get_data(as_text=True)
    assert "Procurement Act 2023" in body and "Public Contracts Regulations 2015" in body
    assert 'type="checkbox"' in body and 'value="local_authority"' in body
    assert 'name="start_on"' in body


@pytest.mark.parametrize(
    ("changes", "message", "kept"),
    [
        ({"reference": "", "name": ""}, "Enter a reference", "For blue-light services"),
        ({"regime": None}, "Select the legal regime", "PDS-SMM-2021"),
        ({"regime": "pcr2006"}, "Select the legal regime", "PDS-SMM-2021"),
        ({"buyer_types": ["police", "pirates"]}, "Select which types of buyer organisation", "PDS-SMM-2021"),
        ({"buyer_types": None}, "Select which types of buyer organisation may use the framework", "PDS-SMM-2021"),
        ({"start_on": ["", "", ""]}, "Enter the start date", 'value="31"'),
        ({"start_on": ["31", "2", "2021"]}, "Start date must be a real date", 'value="31"'),
        ({"start_on": ["1", "", "2021"]}, "Start date must include a month", 'value="2021"'),
        ({"initial_end_on": ["aa", "bb", "cc"]}, "Initial end date must be a real date", 'value="aa"'),
        ({"initial_end_on": ["1", "1", "2021"]}, "The initial end date must be after the start date", 'value="2021"'),
        ({"extension_months": "twelve"}, "Extension options must be whole numbers of months", 'value="twelve"'),
        ({"extension_months": "12, 0"}, "Each extension option must be at least one month", 'value="12, 0"'),
        ({"max_call_off_months": "three years"}, "Maximum call-off term must be a whole number", "three years"),
        ({"max_call_off_months": "0"}, "Maximum call-off term must be at least 1 month", "PDS-SMM-2021"),
        ({"min_bid_period_days": ""}, "Enter the minimum bid period", "PDS-SMM-2021"),
        ({"min_bid_period_days": "-1"}, "Minimum bid period must be 0 days or more", "PDS-SMM-2021"),
        (
            {"regime": "pa2023", "start_on": ["1", "4", "2025"], "initial_end_on": ["31", "3", "2028"]},
            "Under the Procurement Act 2023 (s.47)",
            'value="2028"',
        ),
    ],
)
def test_bad_input_shows_an_error_summary_and_keeps_answers(client, staff, changes, message, kept):
    response = client.post("/admin/frameworks/new", data=form_data(**changes))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "<title>Error: Create a framework" in body
    assert message in body
    assert kept in body
    assert the_framework() is None


def test_duplicate_reference_is_a_clear_error(client, staff):
    make_framework(reference="PDS-SMM-2021")
    db.session.commit()
    body = client.post("/admin/frameworks/new", data=form_data(reference="pds-smm-2021")).get_data(as_text=True)
    assert "A framework with reference pds-smm-2021 already exists" in body
    assert 'href="#reference"' in body
    assert 'value="Social media management"' in body


def test_pa_2023_error_is_linked_to_the_extension_options(client, staff):
    data = form_data(regime="pa2023", start_on=["1", "4", "2025"], initial_end_on=["31", "3", "2028"])
    body = client.post("/admin/frameworks/new", data=data).get_data(as_text=True)
    assert 'href="#extension_months"' in body


# Edit


def test_edit_form_is_filled_in_from_the_framework(client, staff):
    framework = make_framework(reference="PDS-9", name="Nine")
    make_extension(framework, 1, 12)
    make_extension(framework, 2, 6)
    db.session.commit()
    body = client.get(f"/admin/frameworks/{framework.id}/edit").get_data(as_text=True)
    assert 'value="PDS-9"' in body
    assert 'value="12, 6"' in body
    assert 'value="2021"' in body
    assert 'value="police" checked' in body


def test_edit_saves_audits_and_redirects(client, staff):
    framework = make_framework(reference="PDS-9")
    db.session.commit()
    response = client.post(
        f"/admin/frameworks/{framework.id}/edit", data=form_data(reference="PDS-9", name="Renamed", extension_months="")
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/frameworks/{framework.id}")
    assert db.session.get(Framework, framework.id).name == "Renamed"
    assert "Framework PDS-9 updated" in client.get(response.headers["Location"]).get_data(as_text=True)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "framework.updated"))
    assert '"name":"Renamed"' in event.after_json.replace(" ", "")


def test_edit_cannot_change_an_exercised_option(client, staff):
    framework = make_framework(reference="PDS-9")
    make_extension(framework, 1, 12, exercised_by=staff)
    db.session.commit()
    response = client.post(
        f"/admin/frameworks/{framework.id}/edit", data=form_data(reference="PDS-9", extension_months="6")
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Option 1 has been exercised, so it must stay at 12 months" in body
    assert 'value="6"' in body


def test_edit_with_end_before_start_keeps_the_framework_unchanged(client, staff):
    framework = make_framework(reference="PDS-9")
    db.session.commit()
    response = client.post(
        f"/admin/frameworks/{framework.id}/edit",
        data=form_data(reference="PDS-9", initial_end_on=["1", "1", "2020"]),
    )
    assert response.status_code == 200
    assert "The initial end date must be after the start date" in response.get_data(as_text=True)
    assert db.session.get(Framework, framework.id).initial_end_on == date(2023, 3, 31)


# Exercise an option


def test_exercise_confirmation_then_post_extends_the_framework(client, auth, staff):
    framework = make_framework()
    option = make_extension(framework, 1, 12)
    db.session.commit()
    with travel_signed_in(auth, date(2023, 3, 1)):
        page = client.get(f"/admin/frameworks/options/{option.id}/exercise").get_data(as_text=True)
        assert "31 March 2024" in page and "It cannot be undone" in page
        response = client.post(f"/admin/frameworks/options/{option.id}/exercise")
        # Follow the redirect while still in 2023: the signed session cookie would look stale otherwise.
        page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/frameworks/{framework.id}")
    stored = db.session.get(ExtensionOption, option.id)
    assert stored.exercised_by_id == staff.id
    assert "Option 1 exercised: " in page
    assert "now ends on 31 March 2024" in page


def test_exercise_out_of_order_is_refused_on_the_page(client, auth, staff):
    framework = make_framework()
    make_extension(framework, 1, 12)
    second = make_extension(framework, 2, 12)
    db.session.commit()
    with travel_signed_in(auth, date(2023, 3, 1)):
        page = client.get(f"/admin/frameworks/options/{second.id}/exercise").get_data(as_text=True)
        assert "option 1 comes first" in page
        assert "Exercise option 2</button>" not in page
        response = client.post(f"/admin/frameworks/options/{second.id}/exercise")
    assert response.status_code == 200
    assert "There is a problem" in response.get_data(as_text=True)
    assert db.session.get(ExtensionOption, second.id).exercised_at is None


def test_exercise_after_expiry_is_refused(client, auth, staff):
    framework = make_framework()
    option = make_extension(framework, 1, 12)
    db.session.commit()
    with travel_signed_in(auth, date(2023, 4, 1)):
        response = client.post(f"/admin/frameworks/options/{option.id}/exercise")
    assert response.status_code == 200
    assert "An expired framework cannot be extended" in response.get_data(as_text=True)
    assert db.session.get(ExtensionOption, option.id).exercised_at is None


def test_exercise_is_refused_to_buyers(client, auth):
    framework = make_framework()
    option = make_extension(framework, 1, 12)
    make_user("buyer", email="buyer@example.test")
    db.session.commit()
    auth.login("buyer@example.test")
    assert client.post(f"/admin/frameworks/options/{option.id}/exercise").status_code == 403
    assert db.session.get(ExtensionOption, option.id).exercised_at is None
