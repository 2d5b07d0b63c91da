"""Direct award pages: the journey in the browser's terms, bad input, session expiry, roles and isolation."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import DirectAward, SupplierPrice
from portal.services.direct_awards import decisions
from portal.services.direct_awards import shortlist as shortlists
from tests.conftest import TEST_PASSWORD
from tests.test_direct_award_world import build_world, ready_award


@pytest.fixture
def world():
    return build_world()


def _date_fields(day) -> dict[str, str]:
    return {"planned_start_on": [str(day.day), str(day.month), str(day.year)]}


def _requirement_form(world, **changes) -> dict:
    form = {
        "title": "Press office platform",
        "statement": "Publishing for the press office.",
        "capability_ids": [str(world.capabilities[0].id)],
        "term_months": "12",
        **_date_fields(world.start_on),
    }
    form.update(changes)
    return form


def _text(response) -> str:
    return response.get_data(as_text=True)


def _without_nonce(text: str) -> str:
    # The CSP nonce changes on every response; nothing else may.
    return re.sub(r'nonce="[^"]*"', "", text)


def test_start_then_task_list(client, auth, world):
    auth.login(world.buyer.email)
    page = client.get("/direct-awards/new")
    assert page.status_code == 200 and "Framework and lot" in _text(page)
    response = client.post("/direct-awards/new", data={"lot_id": str(world.lot.id)})
    award = db.session.scalars(select(DirectAward)).one()
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/direct-awards/{award.id}")
    page = client.get(f"/direct-awards/{award.id}")
    assert "govuk-task-list" in _text(page) and f"Direct award {award.reference} started" in _text(page)


def test_start_without_a_lot_shows_a_gov_uk_error(client, auth, world):
    auth.login(world.buyer.email)
    page = client.post("/direct-awards/new", data={})
    assert page.status_code == 200
    assert "govuk-error-summary" in _text(page) and "Select a framework and lot" in _text(page)


def test_lot_without_direct_award_is_explained(client, auth, world):
    from tests.factories import make_lot

    make_lot(world.lot.framework, title="Managed service", direct_award_allowed=False)
    db.session.commit()
    auth.login(world.buyer.email)
    text = _text(client.get("/direct-awards/new"))
    assert "Lots that do not allow direct award" in text and "Managed service" in text
    assert "mini-competition" in text


def test_requirement_saved_and_shown_again(client, auth, world):
    auth.login(world.buyer.email)
    award = ready_award(world)
    response = client.post(f"/direct-awards/{award.id}/requirement", data=_requirement_form(world))
    assert response.status_code == 302
    db.session.refresh(award)
    assert award.title == "Press office platform" and award.planned_start_on == world.start_on
    assert 'value="Press office platform"' in _text(client.get(f"/direct-awards/{award.id}/requirement"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"capability_ids": []}, "Select at least one essential capability"),
        ({"term_months": "99"}, "24 months or fewer"),
        ({"term_months": "twelve"}, "Contract term must be a whole number of months"),
        ({"planned_start_on": ["31", "2", "2030"]}, "Planned start date must be a real date"),
        ({"planned_start_on": ["", "", ""]}, "Enter the planned start date"),
        ({"planned_start_on": ["1"]}, "Planned start date must include a month"),
        ({"planned_start_on": ["1", "2", "2030", "4"]}, "Enter the planned start date"),
        ({"title": ""}, "Enter a title"),
    ],
)
def test_requirement_bad_input_keeps_what_was_entered(client, auth, world, changes, message):
    auth.login(world.buyer.email)
    award = ready_award(world)
    before = award.title
    page = client.post(f"/direct-awards/{award.id}/requirement", data=_requirement_form(world, **changes))
    text = _text(page)
    assert page.status_code == 200
    assert "govuk-error-summary" in text and message in text
    assert "<title>Error:" in text
    assert "Publishing for the press office." in text  # nothing entered is lost
    db.session.refresh(award)
    assert award.title == before


@pytest.mark.parametrize(
    ("licences", "message"),
    [
        ("1.5", "must be a whole number, 0 or more"),
        ("-3", "must be a whole number, 0 or more"),
        ("lots", "must be a whole number, 0 or more"),
        ("", "Enter a quantity for User licence"),
    ],
)
def test_quantities_bad_input(client, auth, world, licences, message):
    auth.login(world.buyer.email)
    award = ready_award(world)
    licence, onboarding = world.items
    page = client.post(
        f"/direct-awards/{award.id}/quantities",
        data={f"quantity_{licence.id}": licences, f"quantity_{onboarding.id}": "7"},
    )
    text = _text(page)
    assert page.status_code == 200 and "govuk-error-summary" in text and message in text
    assert 'value="7"' in text and (not licences or f'value="{licences}"' in text)
    db.session.refresh(award)
    assert {q.price_item_id: q.quantity for q in award.quantities}[onboarding.id] == 2


def test_all_zero_quantities_refused(client, auth, world):
    auth.login(world.buyer.email)
    award = ready_award(world)
    data = {f"quantity_{i.id}": "0" for i in world.items}
    text = _text(client.post(f"/direct-awards/{award.id}/quantities", data=data))
    assert "Enter a quantity above 0 for at least one price item" in text


def test_session_expiry_mid_journey_loses_nothing_saved(client, auth, world):
    auth.login(world.buyer.email)
    client.post("/direct-awards/new", data={"lot_id": str(world.lot.id)})
    award = db.session.scalars(select(DirectAward)).one()
    client.post(f"/direct-awards/{award.id}/requirement", data=_requirement_form(world))
    auth.logout()  # the session expires
    quantities = {f"quantity_{world.items[0].id}": "15", f"quantity_{world.items[1].id}": "1"}
    response = client.post(f"/direct-awards/{award.id}/quantities", data=quantities)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    auth.login(world.buyer.email, TEST_PASSWORD)
    page = _text(client.get(f"/direct-awards/{award.id}/requirement"))
    assert 'value="Press office platform"' in page and "Publishing for the press office." in page
    assert client.post(f"/direct-awards/{award.id}/quantities", data=quantities).status_code == 302
    assert "Completed" in _text(client.get(f"/direct-awards/{award.id}"))


def test_results_page_and_csv(client, auth, world):
    auth.login(world.buyer.email)
    award = ready_award(world)
    text = _text(client.get(f"/direct-awards/{award.id}/results"))
    assert "Alpha is selected from 2 capable suppliers" in text
    assert "£3,400.00" in text and "Does not meet: Capability 2" in text and "Suspended from this lot" in text
    response = client.get(f"/direct-awards/{award.id}/results.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{award.reference}-results.csv"'
    assert _text(response).splitlines()[1].startswith("1,Alpha,Selected,User licence,per_month,20,10.00,12")


def test_results_are_shown_a_page_at_a_time_for_each_list(client, auth, world, monkeypatch, app):
    monkeypatch.setitem(app.config, "DIRECT_AWARD_RESULTS_PAGE_SIZE", 1)  # two capable and three not, one a page
    auth.login(world.buyer.email)
    award = ready_award(world)
    url = f"/direct-awards/{award.id}/results"
    first = _text(client.get(url))
    assert "Capable suppliers (2)" in first and "Showing 1 to 1 of 2 capable suppliers" in first
    assert "Rank 1: Alpha" in first and "Rank 2: Beta" not in first
    assert f'href="{url}?capable_page=2#capable-suppliers"' in first
    assert "Showing 1 to 1 of 3 suppliers that are not capable" in first
    assert 'aria-label="Capable suppliers pages"' in first
    second = _text(client.get(f"{url}?capable_page=2&not_capable_page=3"))
    assert "Rank 2: Beta" in second and "Rank 1: Alpha" not in second
    assert "Showing 3 to 3 of 3 suppliers that are not capable" in second
    # Each list's links keep the other list's page.
    assert f'href="{url}?capable_page=1&amp;not_capable_page=3#capable-suppliers"' in second
    assert "Rank 2: Beta" in _text(client.get(f"{url}?capable_page=99"))  # past the end: the last page
    assert "Rank 1: Alpha" in _text(client.get(f"{url}?capable_page=nonsense"))


def test_frozen_shortlist_is_shown_a_page_at_a_time_too(client, auth, world, monkeypatch, app):
    monkeypatch.setitem(app.config, "DIRECT_AWARD_RESULTS_PAGE_SIZE", 1)
    auth.login(world.buyer.email)
    frozen = shortlists.freeze(world.buyer, ready_award(world))
    text = _text(client.get(f"/direct-awards/shortlists/{frozen.id}?capable_page=2"))
    assert "Showing 2 to 2 of 2 capable suppliers" in text and "Rank 2: Beta" in text and "Rank 1: Alpha" not in text


def test_short_lists_have_no_page_links(client, auth, world):
    auth.login(world.buyer.email)
    text = _text(client.get(f"/direct-awards/{ready_award(world).id}/results"))
    assert "Rank 1: Alpha" in text and "Rank 2: Beta" in text
    assert "govuk-pagination" not in text and "Showing 1 to" not in text


def test_results_before_the_requirement_redirects_to_the_task_list(client, auth, world):
    auth.login(world.buyer.email)
    client.post("/direct-awards/new", data={"lot_id": str(world.lot.id)})
    award = db.session.scalars(select(DirectAward)).one()
    response = client.get(f"/direct-awards/{award.id}/results")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/direct-awards/{award.id}")


def test_no_capable_supplier_is_said_clearly(client, auth, world):
    from tests.factories import make_capability

    nobody = make_capability(world.lot, "Nobody claims this")
    db.session.commit()
    auth.login(world.buyer.email)
    award = ready_award(world, capability_ids=[nobody.id])
    text = _text(client.get(f"/direct-awards/{award.id}/results"))
    assert "No supplier is capable of meeting this requirement" in text
    assert f'href="/direct-awards/{award.id}/requirement">change the requirement' in text
    assert "mini-competition" in text


def test_frozen_shortlist_page_is_unchanged_by_later_supplier_edits(client, auth, world):
    auth.login(world.buyer.email)
    award = ready_award(world)
    response = client.post(f"/direct-awards/{award.id}/freeze")
    frozen = award.shortlists[0]
    assert response.headers["Location"].endswith(f"/direct-awards/shortlists/{frozen.id}")
    before = _text(client.get(f"/direct-awards/shortlists/{frozen.id}"))
    assert "Shortlist version 1 frozen" in before
    before = _without_nonce(_text(client.get(f"/direct-awards/shortlists/{frozen.id}")))  # no flashed message
    alpha = world.suppliers["alpha"]
    alpha.trading_name = "Alpha Renamed"
    alpha.claims[0].evidence = "Completely different evidence"
    alpha.accreditations[0].expires_on = today_london() + timedelta(days=1)
    for price in db.session.scalars(select(SupplierPrice).where(SupplierPrice.supplier_id == alpha.id)):
        price.unit_price_pence += 12345  # even an in-place edit cannot reach the evidence
    db.session.commit()
    after = _without_nonce(_text(client.get(f"/direct-awards/shortlists/{frozen.id}")))
    assert after == before
    assert "Alpha evidence for Capability 1" in after and "Alpha Renamed" not in after
    assert "Alpha Renamed" in _text(client.get(f"/direct-awards/{award.id}/results"))


def test_requirement_change_supersedes_the_frozen_shortlist(client, auth, world):
    auth.login(world.buyer.email)
    award = ready_award(world)
    first = shortlists.freeze(world.buyer, award)
    client.post(f"/direct-awards/{award.id}/requirement", data=_requirement_form(world, term_months="18"))
    assert "Superseded" in _text(client.get(f"/direct-awards/shortlists/{first.id}"))
    client.post(f"/direct-awards/{award.id}/freeze")
    text = _text(client.get(f"/direct-awards/{award.id}"))
    assert "Completed: version 2" in text and "Shortlist version 1</a>" in text and "Superseded" in text


def test_recommend_page_shows_the_selection_as_text_not_markup(client, auth, world):
    auth.login(world.buyer.email)
    award = ready_award(world)
    frozen = shortlists.freeze(world.buyer, award)
    page = client.get(f"/direct-awards/{award.id}/award").get_data(as_text=True)
    assert "&lt;p" not in page and "&lt;a" not in page  # the inset's own tags were once escaped with the summary
    assert f'<a class="govuk-link" href="/direct-awards/shortlists/{frozen.id}">version 1</a>' in page


def test_choosing_another_supplier_is_refused_with_the_reason(client, auth, world):
    auth.login(world.buyer.email)
    award = ready_award(world)
    shortlists.freeze(world.buyer, award)
    page = client.post(
        f"/direct-awards/{award.id}/award",
        data={"supplier_id": str(world.suppliers["beta"].id), "justification": "We like Beta"},
    )
    text = _text(page)
    assert page.status_code == 200 and "govuk-error-summary" in text
    assert "it is not a direct award: run a mini-competition instead" in text
    assert "We like Beta" in text
    assert db.session.get(DirectAward, award.id).recommended_at is None


def test_full_journey_to_supplier_acceptance(client, auth, world, app):
    auth.login(world.buyer.email)
    award = ready_award(world)
    client.post(f"/direct-awards/{award.id}/freeze")
    response = client.post(
        f"/direct-awards/{award.id}/award",
        data={"supplier_id": str(world.suppliers["alpha"].id), "justification": "Lowest whole-life cost."},
    )
    assert response.status_code == 302
    auth.logout()
    auth.login(world.approver.email)
    assert "Approve the award" in _text(client.get(f"/direct-awards/{award.id}/approve"))
    response = client.post(f"/direct-awards/{award.id}/approve")
    assert response.status_code == 302
    text = _text(client.get(f"/direct-awards/{award.id}"))
    # PCR 2015: approval started the voluntary standstill (under the Act the UK6 would start it).
    assert "Direct award approved" in text and "The standstill period started" in text
    auth.logout()
    auth.login(world.supplier_users["alpha"].email)
    assert award.reference in _text(client.get("/direct-awards/supplier"))
    response = client.post(f"/direct-awards/supplier/{award.id}")
    assert response.status_code == 302
    assert "Award accepted" in _text(client.get(f"/direct-awards/supplier/{award.id}"))
    assert db.session.get(DirectAward, award.id).accepted_at is not None


def test_approver_who_recommended_sees_why_they_cannot_approve(client, auth, world):
    award = ready_award(world, user=world.approver)
    shortlists.freeze(world.approver, award)
    decisions.recommend(world.approver, award.id, world.suppliers["alpha"].id, "Lowest cost.")
    auth.login(world.approver.email)
    page = client.post(f"/direct-awards/{award.id}/approve")
    assert page.status_code == 200 and "another approver must approve it" in _text(page)


def test_approval_refused_when_supplier_suspended_since(client, auth, world):
    award = ready_award(world)
    shortlists.freeze(world.buyer, award)
    decisions.recommend(world.buyer, award.id, world.suppliers["alpha"].id, "Lowest cost.")
    membership = world.suppliers["alpha"].memberships[0]
    membership.status, membership.status_reason = "suspended", "Investigation"
    db.session.commit()
    auth.login(world.approver.email)
    page = client.post(f"/direct-awards/{award.id}/approve")
    assert page.status_code == 200 and "Alpha is suspended from this lot" in _text(page)


def test_other_organisations_award_is_not_found(client, auth, world):
    award = ready_award(world)
    frozen = shortlists.freeze(world.buyer, award)
    auth.login(world.other_buyer.email)
    assert award.reference not in _text(client.get("/direct-awards/"))
    for path in ("", "/requirement", "/quantities", "/results", "/results.csv", "/award", "/cancel"):
        assert client.get(f"/direct-awards/{award.id}{path}").status_code == 404, path
    assert client.get(f"/direct-awards/shortlists/{frozen.id}").status_code == 404
    assert client.post(f"/direct-awards/{award.id}/freeze").status_code == 404


def test_unapproved_award_is_not_found_for_the_supplier(client, auth, world):
    award = ready_award(world)
    auth.login(world.supplier_users["alpha"].email)
    assert client.get(f"/direct-awards/supplier/{award.id}").status_code == 404


@pytest.mark.parametrize(
    ("persona", "path", "method"),
    [
        ("supplier", "/direct-awards/", "GET"),
        ("supplier", "/direct-awards/new", "POST"),
        ("supplier", "/direct-awards/{id}/results", "GET"),
        ("evaluator", "/direct-awards/", "GET"),
        ("evaluator", "/direct-awards/{id}/approve", "POST"),
        ("buyer", "/direct-awards/{id}/approve", "POST"),
        ("buyer", "/direct-awards/supplier", "GET"),
        ("approver", "/direct-awards/supplier/{id}", "POST"),
        ("staff", "/direct-awards/", "GET"),
    ],
)
def test_wrong_roles_are_refused(client, auth, world, persona, path, method):
    from tests.factories import make_user

    award = ready_award(world)
    users = {
        "supplier": world.supplier_users["alpha"],
        "evaluator": world.evaluator,
        "buyer": world.buyer,
        "approver": world.approver,
        "staff": make_user("staff", email="staff@example.test"),
    }
    db.session.commit()
    auth.login(users[persona].email)
    assert client.open(path.format(id=award.id), method=method).status_code == 403


def test_cancel_with_a_reason(client, auth, world):
    auth.login(world.buyer.email)
    award = ready_award(world)
    page = client.post(f"/direct-awards/{award.id}/cancel", data={"reason": ""})
    assert page.status_code == 200 and "Enter the reason for cancelling" in _text(page)
    response = client.post(f"/direct-awards/{award.id}/cancel", data={"reason": "Budget withdrawn"})
    assert response.status_code == 302
    assert re.search(r"Cancelled", _text(client.get("/direct-awards/")))
