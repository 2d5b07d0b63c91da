"""Catalogue pages: who may see them, what they show, and bad input that must never be a 500."""

from __future__ import annotations

import re

import pytest

from portal.extensions import db
from portal.services.catalogue.search_index import reindex_supplier
from tests.catalogue_data import build_catalogue
from tests.factories import make_membership, make_supplier, make_user


@pytest.fixture
def cat():
    return build_catalogue()


@pytest.fixture
def buyer(cat, auth):
    user = make_user("buyer")
    db.session.commit()
    auth.login(user.email)
    return user


def page(client, url: str) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, response.get_data(as_text=True)


@pytest.mark.parametrize(
    "url", ["/catalogue/", "/catalogue/search", "/catalogue/compare", "/catalogue/frameworks/1", "/catalogue/lots/1"]
)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_anonymous_supplier_profile_is_sent_to_sign_in(client, cat):
    response = client.get(f"/catalogue/suppliers/{cat.orlo.id}")
    assert response.status_code == 302


@pytest.mark.parametrize("role", ["staff", "buyer", "approver", "evaluator", "supplier"])
def test_every_signed_in_role_may_browse_and_search(client, auth, cat, role):
    user = make_user(role)
    db.session.commit()
    auth.login(user.email)
    assert client.get("/catalogue/").status_code == 200
    assert client.get("/catalogue/search?q=orlo").status_code == 200
    assert client.get(f"/catalogue/suppliers/{cat.orlo.id}").status_code == 200


def test_index_lists_frameworks_with_status_regime_term_and_lots(client, buyer, cat):
    status, body = page(client, "/catalogue/")
    assert status == 200
    assert "Social Media Management" in body
    assert "Live" in body
    assert "Public Contracts Regulations 2015" in body
    assert "Lot 1: Social media management platform" in body
    assert "Lot 2: 24/7 digital contact service" in body
    assert "<title>Catalogue" in body


def test_framework_page_shows_terms_and_active_supplier_counts(client, buyer, cat):
    status, body = page(client, f"/catalogue/frameworks/{cat.lot1.framework_id}")
    assert status == 200
    assert "Maximum call-off term" in body and "36 months" in body
    assert "Police force" in body and "Local authority" in body
    # Lot 1 has five members, one suspended: four active.
    row = re.search(r"Lot 1: Social media management platform</a></th>\s*<td[^>]*>(\d+)</td>", body)
    assert row and row.group(1) == "4"


def test_framework_page_shows_extension_options(client, buyer, cat):
    from tests.factories import make_extension

    make_extension(cat.lot1.framework, 1, 12, exercised_by=buyer)
    make_extension(cat.lot1.framework, 2, 12)
    db.session.commit()
    _, body = page(client, f"/catalogue/frameworks/{cat.lot1.framework_id}")
    assert "Option 1: 12 months" in body and "exercised on" in body
    assert "Option 2: 12 months" in body and "not exercised" in body


def test_lot_page_shows_capabilities_members_and_matrix(client, buyer, cat):
    status, body = page(client, f"/catalogue/lots/{cat.lot1.id}")
    assert status == 200
    assert cat.incident.name in body
    assert "5 suppliers, 4 active" in body
    assert "Suspended" in body and "Excluded" in body
    assert "3 of 3" in body  # Orlo claims all three capabilities


def test_supplier_profile_shows_evidence_accreditations_prices_and_exclusions(client, buyer, cat):
    status, body = page(client, f"/catalogue/suppliers/{cat.orlo.id}")
    assert status == 200
    assert "Pause all scheduled posts force-wide" in body
    assert "£19.50" in body  # the price in force today, not the older or the future one
    assert "£25.00" not in body and "£18.00" not in body
    assert "ISO 27001" in body and "Valid" in body
    _, body = page(client, f"/catalogue/suppliers/{cat.bluelamp.id}")
    assert "Expired" in body
    _, body = page(client, f"/catalogue/suppliers/{cat.hoot.id}")
    assert "This supplier is excluded" in body and "In force" in body
    _, body = page(client, f"/catalogue/suppliers/{cat.civic.id}")
    assert "suspended from this lot" in body


@pytest.mark.parametrize("kind", ["frameworks", "lots", "suppliers"])
def test_unknown_ids_are_404(client, buyer, kind):
    assert client.get(f"/catalogue/{kind}/99999").status_code == 404


def test_search_page_finds_and_offers_only_selectable_suppliers_for_compare(client, buyer, cat):
    status, body = page(client, f"/catalogue/search?lot_id={cat.lot1.id}&framework_id={cat.lot1.framework_id}")
    assert status == 200
    assert "5 suppliers found" in body
    assert f'id="compare-{cat.orlo.id}"' in body
    assert f'id="compare-{cat.civic.id}"' not in body  # suspended
    assert f'id="compare-{cat.hoot.id}"' not in body  # excluded
    assert "Cannot be selected: excluded" in body


def test_search_keyword_shows_snippet_and_keeps_filters_in_form(client, buyer, cat):
    _, body = page(client, "/catalogue/search?q=sentiment&sme=y")
    assert "1 supplier found" in body
    assert "<strong>sentiment</strong>" in body
    assert 'value="sentiment"' in body
    assert re.search(r'name="sme"[^>]*checked|checked[^>]*name="sme"', body)


def test_search_shows_counts_per_option(client, buyer, cat):
    _, body = page(client, f"/catalogue/search?framework_id={cat.lot1.framework_id}&lot_id={cat.lot1.id}")
    assert "ISO 27001 (2)" in body
    assert f"{cat.channels.name} (3)" in body


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("framework_id=abc", "Select a framework from the list"),
        ("framework_id=99999", "Select a framework from the list"),
        ("lot_id=99999", "Select a lot from the list"),
        ("accreditation=Made+up", "Select an accreditation from the list"),
        ("q=" + "x" * 201, "Keywords must be 200 characters or fewer"),
    ],
)
def test_bad_filters_show_an_error_summary_not_a_crash(client, buyer, cat, query, message):
    status, body = page(client, "/catalogue/search?" + query)
    assert status == 200
    assert "There is a problem" in body and message in body
    assert "<title>Error: Search suppliers" in body
    assert "5 suppliers found" in body  # the bad filter is ignored, the rest still works


def test_unknown_capability_is_an_error_but_another_lots_capability_is_quietly_dropped(client, buyer, cat):
    _, body = page(client, f"/catalogue/search?lot_id={cat.lot1.id}&capability_id=99999")
    assert "Select capabilities from the list for the chosen lot" in body
    _, body = page(client, f"/catalogue/search?lot_id={cat.lot1.id}&capability_id={cat.contact.id}")
    assert "There is a problem" not in body
    assert "5 suppliers found" in body


def test_capability_filter_from_the_form(client, buyer, cat):
    url = f"/catalogue/search?lot_id={cat.lot1.id}&capability_id={cat.channels.id}&capability_id={cat.incident.id}"
    _, body = page(client, url)
    assert "2 suppliers found" in body


@pytest.mark.parametrize("value", ["abc", "0", "-1", "99999", "1.5"])
def test_odd_page_numbers_are_handled(client, buyer, cat, value):
    status, body = page(client, f"/catalogue/search?page={value}")
    assert status == 200
    assert "5 suppliers found" in body


def test_search_pagination_links_keep_filters(client, buyer, cat, app):
    app.config["CATALOGUE_PAGE_SIZE"] = 2
    try:
        _, body = page(client, "/catalogue/search?sme=y&page=2")
    finally:
        app.config["CATALOGUE_PAGE_SIZE"] = 20
    assert "Showing 3 to 3" in body
    assert "sme=y" in body and "page=1" in body


def test_compare_two_suppliers_side_by_side(client, buyer, cat):
    status, body = page(client, f"/catalogue/compare?supplier_id={cat.orlo.id}&supplier_id={cat.softcat.id}")
    assert status == 200
    assert "Comparing 2 suppliers" in body
    assert cat.incident.name in body
    assert "£19.50" in body and "£24.00" in body
    assert "ISO 27001" in body


def test_compare_on_a_lot_shows_only_that_lot(client, buyer, cat):
    ids = f"supplier_id={cat.orlo.id}&supplier_id={cat.softcat.id}&supplier_id={cat.bluelamp.id}"
    _, body = page(client, f"/catalogue/compare?{ids}&lot_id={cat.lot1.id}")
    assert "Comparing 3 suppliers on Lot 1" in body
    assert cat.contact.name not in body


def test_compare_more_than_four_is_an_error_and_keeps_the_selection(client, buyer, cat):
    extra = []
    for i in range(2):
        s = make_supplier(legal_name=f"Extra {i} Ltd", trading_name=f"Extra {i}")
        make_membership(s, cat.lot1)
        reindex_supplier(s)
        extra.append(s)
    db.session.commit()
    ids = [cat.orlo.id, cat.softcat.id, cat.bluelamp.id, *(s.id for s in extra)]
    status, body = page(client, "/catalogue/compare?" + "&".join(f"supplier_id={i}" for i in ids))
    assert status == 200
    assert "There is a problem" in body and "Select no more than 4 suppliers to compare" in body
    assert body.count("checked") == 5  # nothing lost: untick one and compare again
    assert "Suppliers to compare" in body


def test_compare_one_supplier_explains(client, buyer, cat):
    _, body = page(client, f"/catalogue/compare?supplier_id={cat.orlo.id}")
    assert "Select at least 2 suppliers to compare" in body


def test_compare_with_nothing_chosen_explains_how(client, buyer, cat):
    status, body = page(client, "/catalogue/compare")
    assert status == 200
    assert "There is a problem" not in body
    assert "Select 2 to 4 suppliers from the search results" in body


@pytest.mark.parametrize("bad", ["abc", "99999"])
def test_compare_with_bad_ids_is_an_error(client, buyer, cat, bad):
    status, body = page(client, f"/catalogue/compare?supplier_id={cat.orlo.id}&supplier_id={bad}")
    assert status == 200
    assert "One of the chosen suppliers was not found" in body


def test_compare_refuses_suspended_and_excluded_suppliers(client, buyer, cat):
    ids = f"supplier_id={cat.orlo.id}&supplier_id={cat.civic.id}&supplier_id={cat.hoot.id}"
    _, body = page(client, f"/catalogue/compare?{ids}&lot_id={cat.lot1.id}")
    assert "Only active, non-excluded suppliers can be compared" in body
    assert "Civic Voice is suspended" in body and "Hootsuite is excluded" in body
    assert f'value="{cat.civic.id}"' not in body  # not offered as a choice either


def test_compare_ignores_an_unknown_lot(client, buyer, cat):
    status, body = page(
        client, f"/catalogue/compare?supplier_id={cat.orlo.id}&supplier_id={cat.softcat.id}&lot_id=99999"
    )
    assert status == 200 and "Comparing 2 suppliers" in body
