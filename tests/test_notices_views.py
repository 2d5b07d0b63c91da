"""The notice pages: prepare, read, download, record publication with GOV.UK errors; the public OCDS feed."""

from __future__ import annotations

import json

from portal.services.notices import validation
from tests.contract_support import approved_direct_award, awarded_competition


def _base(world) -> str:
    return f"/direct-awards/{world.id}/notices"


def test_buyer_prepares_reads_downloads_and_records_a_uk6(client, auth):
    world = approved_direct_award(standstill_over=False)
    auth.login(world.buyer.email)
    page = client.get(_base(world))
    assert page.status_code == 200 and "Contract award notice (UK6)" in page.text
    response = client.post(f"{_base(world)}/UK6/prepare", data={})
    assert response.status_code == 302 and response.headers["Location"].endswith("/notices/UK6")
    shown = client.get(f"{_base(world)}/UK6")
    assert shown.status_code == 200 and "Record publication" in shown.text and world.winner.legal_name in shown.text
    download = client.get(f"{_base(world)}/UK6.json")
    assert download.status_code == 200 and validation.release_errors(download.get_json()) == []
    bad = client.post(f"{_base(world)}/UK6", data={"platform_notice_id": "nonsense"})
    assert bad.status_code == 200 and "govuk-error-summary" in bad.text and "nonsense" in bad.text
    assert "Enter the date the notice was published" in bad.text
    future = client.post(
        f"{_base(world)}/UK6",
        data={"platform_notice_id": "2026/S 000-012345", "published_on": ["1", "1", "2199"], "published_time": "09:30"},
    )  # fmt: skip
    assert "cannot be in the future" in future.text
    good = client.post(
        f"{_base(world)}/UK6",
        data={"platform_notice_id": "2026/S 000-012345", "published_on": ["1", "1", "2020"], "published_time": "09:30"},
    )  # fmt: skip
    # 2020 is before the notice was prepared: refused, not recorded.
    assert good.status_code == 200 and "before it was prepared" in good.text


def test_public_feed_lists_published_releases_as_a_valid_package(client, auth, app):
    from datetime import timedelta

    from portal.models.base import utcnow
    from portal.services.notices import lifecycle

    world = approved_direct_award(standstill_over=False)
    framework_id = world.call_off.lot.framework.id
    empty = client.get(f"/frameworks/{framework_id}/ocds/releases.json")
    assert empty.status_code == 200 and empty.get_json()["releases"] == []
    notice = lifecycle.prepare(world.buyer, "direct_award", world.id, "UK6")
    assert client.get(f"/frameworks/{framework_id}/ocds/releases.json").get_json()["releases"] == []
    lifecycle.record_publication(
        world.buyer, "direct_award", world.id, "UK6", "2026/S 000-012345", utcnow() - timedelta(seconds=0)
    )
    package = client.get(f"/frameworks/{framework_id}/ocds/releases.json?page=1").get_json()
    assert validation.package_errors(package) == []
    assert [r["id"] for r in package["releases"]] == [notice.release_id] and "links" not in package
    assert client.get("/frameworks/999999/ocds/releases.json").status_code == 404
    assert json.loads(client.get(f"/frameworks/{framework_id}/ocds/releases.json?page=2").text)["releases"] == []


def test_the_award_pages_lead_the_buyers_officers_to_the_notices_and_suppliers_not(client, auth):
    competition = awarded_competition()
    direct_award = approved_direct_award()
    links = {
        "competition": (f"/evaluation/{competition.id}", f"/competitions/{competition.id}/notices"),
        "direct_award": (f"/direct-awards/{direct_award.id}", f"/direct-awards/{direct_award.id}/notices"),
    }
    for world, (page, notices) in zip((competition, direct_award), links.values(), strict=True):
        for officer in (world.buyer, world.approver):
            auth.login(officer.email)
            assert f'href="{notices}"' in client.get(page).get_data(as_text=True), (officer.email, page)
            auth.logout()
    auth.login(competition.supplier_user.email)
    outcome = client.get(f"/evaluation/outcomes/{competition.id}").get_data(as_text=True)
    assert "Call-off contract" in outcome and "/notices" not in outcome
