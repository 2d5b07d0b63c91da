"""Contracts and letters name the legal bodies that contract, with their identifiers: a police force is not a legal
person."""

from __future__ import annotations

from portal.extensions import db
from portal.services.documents import contract, register
from portal.services.documents import letters as document_letters
from tests.contract_support import awarded_competition
from tests.documents_support import embedded_data, pdf_text
from tests.test_award_services import approved_world

LEGAL_NAME = "Police and Crime Commissioner for Testshire"


def test_the_contract_is_between_the_legal_bodies_with_their_identifiers():
    world = awarded_competition()
    buyer = world.call_off.buyer_organisation
    buyer.legal_name, buyer.ppon, buyer.itl_region = LEGAL_NAME, "PTST-1234-ABCD", "TLJ"
    world.winner.ppon = "PWIN-5678-EFGH"
    db.session.commit()
    document = contract.generate(world.buyer, "competition", world.id)
    text = pdf_text(register.pdf_bytes(document))
    assert f"a call-off contract between {LEGAL_NAME} (for {buyer.name}) and {world.winner.legal_name}" in text
    assert f'made between {LEGAL_NAME} (the "Buyer")' in text  # the terms' {buyer_name}
    assert "Legal name " + LEGAL_NAME in text and f"Contracting for {buyer.name}" in text
    assert "Public Procurement Organisation Number (PPON) PTST-1234-ABCD (GB-PPON)" in text
    assert "Region (ITL) South East (TLJ)" in text
    assert "PWIN-5678-EFGH (GB-PPON)" in text
    assert f"Companies House number {world.winner.companies_house_number} (GB-COH)" in text
    data = embedded_data(register.pdf_bytes(document))
    assert data["buyer"]["legal_name"] == LEGAL_NAME
    assert data["buyer"]["identifiers"] == [
        {"scheme": "GB-PPON", "id": "PTST-1234-ABCD", "label": "Public Procurement Organisation Number (PPON)"}
    ]
    assert [i["scheme"] for i in data["supplier"]["identifiers"]] == ["GB-PPON", "GB-COH"]


def test_a_letter_comes_from_the_legal_body_and_is_addressed_to_the_supplier_with_its_identifiers():
    world = approved_world()
    organisation = world.competition.buyer_organisation
    organisation.legal_name, organisation.ppon = LEGAL_NAME, "PTST-1234-ABCD"
    bravo = world.suppliers["Bravo"]
    bravo.ppon = "PBRV-1234-ABCD"
    db.session.commit()
    summary = next(s for s in document_letters.competition_summaries(world.competition) if s.is_winner)
    document = document_letters.issue_letter(world.buyer, summary)
    text = pdf_text(register.pdf_bytes(document))
    assert LEGAL_NAME in text and "GB-PPON PTST-1234-ABCD" in text
    assert "Public Procurement Organisation Number (PPON) PBRV-1234-ABCD" in text
    assert f"Companies House number {bravo.companies_house_number}" in text
    assert f"for and on behalf of {LEGAL_NAME}" in text
    data = embedded_data(register.pdf_bytes(document))
    assert data["buyer"]["legal_name"] == LEGAL_NAME
    assert data["supplier"]["identifiers"][0] == {
        "scheme": "GB-PPON",
        "id": "PBRV-1234-ABCD",
        "label": "Public Procurement Organisation Number (PPON)",
    }
