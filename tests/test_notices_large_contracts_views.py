"""The large-contract duties on the pages: the UK7 page's redaction step (GOV.UK errors, nothing typed lost), the
refusal to record its publication until the duties are met, and the duties on the contract page (buyer's officers of
a PA 2023 call-off over the threshold only)."""

from __future__ import annotations

import io

import pytest

from portal.domain import notices as build
from portal.extensions import db
from portal.models.base import utcnow
from portal.services.notices import lifecycle
from tests.contract_support import awarded_competition
from tests.factories_bidding import PNG
from tests.test_notices_large_contracts import REDACTED, signed_large_competition

RECORD = {"platform_notice_id": "2027/S 000-012345", "published_on": ["1", "3", "2027"], "published_time": "09:30"}


@pytest.fixture(autouse=True)
def file_store(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "FILE_STORE_PATH", str(tmp_path / "files"))


def _uk7(world) -> str:
    return f"/competitions/{world.id}/notices/UK7"


def test_the_uk7_page_lists_the_duties_and_refuses_to_record_publication_until_they_are_met(client, auth):
    world, _signed = signed_large_competition()
    lifecycle.prepare(world.buyer, world.kind, world.id, build.UK7)
    auth.login(world.buyer.email)
    page = client.get(_uk7(world)).get_data(as_text=True)
    assert "A contract worth more than £5,000,000.00 including VAT" in page
    assert "Not met" in page and "the contract has 3" in page and "Publish the contract" in page
    assert "cannot be recorded until the duties" in page
    refused = client.post(_uk7(world), data=RECORD).get_data(as_text=True)
    assert "govuk-error-summary" in refused and "cannot be recorded as published until its duties are met" in refused
    assert "2027/S 000-012345" in refused  # what was typed is kept


def test_the_buyer_uploads_a_redacted_copy_on_the_page_with_errors_in_the_govuk_pattern(client, auth):
    world, _signed = signed_large_competition()
    lifecycle.prepare(world.buyer, world.kind, world.id, build.UK7)
    auth.login(world.buyer.email)
    upload = f"{_uk7(world)}/published-contract"
    bad = client.post(
        upload, data={"redacted_file": (io.BytesIO(PNG), "contract.pdf"), "redaction_note": "Day rates in Schedule 2"},
        content_type="multipart/form-data",
    )  # fmt: skip
    text = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "govuk-error-summary" in text and "The selected file must be a PDF" in text
    assert 'href="#redacted_file"' in text and "Day rates in Schedule 2" in text
    good = client.post(
        upload, data={"redacted_file": (io.BytesIO(REDACTED), "contract.pdf"), "redaction_note": "Day rates"},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert good.status_code == 302 and good.headers["Location"].endswith("/notices/UK7")
    page = client.get(_uk7(world)).get_data(as_text=True)
    assert "The redacted copy will be published with the notice" in page
    assert "Not met" not in page and "a redacted copy of the signed contract" in page
    assert "Download the copy to be published" in page
    copy = client.get(f"{upload}.pdf")
    assert copy.status_code == 200 and copy.data == REDACTED
    notice = lifecycle.record_publication(world.buyer, world.kind, world.id, "UK7", "2027/S 000-012345", utcnow())
    assert notice.published and "Publish the contract" not in client.get(_uk7(world)).get_data(as_text=True)


def test_publishing_in_full_without_the_confirmation_shows_the_error_and_keeps_the_reason(client, auth):
    world, _signed = signed_large_competition()
    lifecycle.prepare(world.buyer, world.kind, world.id, build.UK7)
    auth.login(world.approver.email)
    in_full = f"{_uk7(world)}/published-contract/in-full"
    bad = client.post(in_full, data={"unredacted_reason": "Legal reviewed it"}).get_data(as_text=True)
    assert "govuk-error-summary" in bad and "Confirm that nothing in the signed contract is exempt" in bad
    assert "Legal reviewed it" in bad
    good = client.post(in_full, data={"confirm_unredacted": "y", "unredacted_reason": "Legal reviewed it"})
    assert good.status_code == 302
    assert "the signed contract in full" in client.get(_uk7(world)).get_data(as_text=True)


def test_other_organisations_and_suppliers_cannot_take_the_step_or_download_the_copy(client, auth):
    world, _signed = signed_large_competition()
    lifecycle.prepare(world.buyer, world.kind, world.id, build.UK7)
    auth.login(world.other_buyer.email)
    assert client.post(f"{_uk7(world)}/published-contract/in-full", data={"confirm_unredacted": "y"}).status_code == 404
    assert client.get(f"{_uk7(world)}/published-contract.pdf").status_code == 404
    auth.logout()
    auth.login(world.supplier_user.email)
    assert client.post(f"{_uk7(world)}/published-contract/in-full", data={}).status_code == 403


def test_the_contract_page_shows_the_duties_to_the_buyers_officers_of_a_large_pa_2023_call_off_only(client, auth):
    world, _signed = signed_large_competition()
    page = f"/contracts/competitions/{world.id}"
    auth.login(world.buyer.email)
    shown = client.get(page).get_data(as_text=True)
    assert "A contract worth more than £5,000,000.00 including VAT" in shown and "the contract has 3" in shown
    assert "Not met" in shown  # the copy is published on the UK7 page
    auth.logout()
    auth.login(world.supplier_user.email)
    assert "A contract worth more than" not in client.get(page).get_data(as_text=True)
    auth.logout()
    world.call_off.lot.framework.regime = "pcr2015"
    db.session.commit()
    auth.login(world.buyer.email)
    assert "A contract worth more than" not in client.get(page).get_data(as_text=True)


def test_a_small_call_off_shows_no_duties(client, auth):
    world = awarded_competition(ready_to_sign=True)
    auth.login(world.buyer.email)
    assert "A contract worth more than" not in client.get(f"/contracts/competitions/{world.id}").get_data(as_text=True)
