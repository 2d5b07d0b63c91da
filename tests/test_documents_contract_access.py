"""Who reaches the call-off contract, for every persona: the PDF, the contract page, generating, and the links to it."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.services.documents import contract
from tests.contract_support import approved_direct_award, awarded_competition
from tests.factories import make_user

# persona -> (download the PDF, contract page, generate)
EXPECTED = {
    "winning_supplier": (200, 200, 302),
    "losing_supplier": (404, 404, 404),
    "other_organisation_buyer": (404, 404, 404),
    "own_buyer": (200, 200, 302),
    "own_approver": (200, 200, 302),
    "own_evaluator": (404, 403, 403),
    "staff": (200, 403, 403),
}


def _persona(world, persona: str):
    people = {
        "winning_supplier": world.supplier_user,
        "losing_supplier": world.losing_supplier_user,
        "other_organisation_buyer": world.other_buyer,
        "own_buyer": world.buyer,
        "own_approver": world.approver,
        "staff": world.staff,
    }
    if persona == "own_evaluator":
        user = make_user("evaluator", organisation=world.buyer.buyer_organisation)
        db.session.commit()
        return user
    return people[persona]


@pytest.mark.parametrize("kind", ["competition", "direct_award"])
@pytest.mark.parametrize("persona", list(EXPECTED))
def test_contract_access_by_persona(client, auth, kind, persona):
    world = awarded_competition() if kind == "competition" else approved_direct_award()
    document = contract.generate(world.buyer, kind, world.id)
    auth.login(_persona(world, persona).email)
    page = f"/contracts/{'competitions' if kind == 'competition' else 'direct-awards'}/{world.id}"
    download = client.get(f"/documents/{document.id}/download")
    statuses = (download.status_code, client.get(page).status_code, client.post(f"{page}/generate").status_code)
    assert statuses == EXPECTED[persona]
    if download.status_code == 200:
        assert download.mimetype == "application/pdf" and download.data.startswith(b"%PDF")


def test_links_to_the_contract_on_the_buyer_and_winning_supplier_pages(client, auth):
    world = awarded_competition()  # its summaries sent, so suppliers see their outcome
    auth.login(world.buyer.email)
    page = client.get(f"/evaluation/{world.id}").get_data(as_text=True)
    assert "Generate the contract" in page and f"/contracts/competitions/{world.id}" in page
    client.post(f"/contracts/competitions/{world.id}/generate")
    page = client.get(f"/evaluation/{world.id}").get_data(as_text=True)
    assert "Version 1, generated" in page and "Download the contract (PDF" in page
    auth.logout()
    auth.login(world.supplier_user.email)
    page = client.get(f"/evaluation/outcomes/{world.id}").get_data(as_text=True)
    assert "Download the contract (PDF" in page and "Generate the contract again" in page
    auth.logout()
    auth.login(world.losing_supplier_user.email)
    page = client.get(f"/evaluation/outcomes/{world.id}").get_data(as_text=True)
    # No link to the winner's contract (the navigation's own contract register is every supplier's).
    assert "Call-off contract" not in page and f"/contracts/competitions/{world.id}" not in page


def test_links_to_the_contract_on_the_direct_award_pages(client, auth):
    world = approved_direct_award(ready_to_sign=True)
    auth.login(world.buyer.email)
    assert "Generate the contract" in client.get(f"/direct-awards/{world.id}").get_data(as_text=True)
    auth.logout()
    auth.login(world.supplier_user.email)
    page = client.get(f"/direct-awards/supplier/{world.id}").get_data(as_text=True)
    assert "Generate the contract" in page and f"/contracts/direct-awards/{world.id}" in page
    response = client.post(f"/contracts/direct-awards/{world.id}/generate")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Version 1 of the contract is ready to download" in page and "Sign version 1 for the supplier" in page
