"""The call-off contract PDF: what it shows, that it is archival and carries its data, versions, and when it exists."""

from __future__ import annotations

import json

import pytest

from portal.domain.canonical import canonical_json
from portal.extensions import db
from portal.services.contracts import call_offs, kpis
from portal.services.contracts.kpis import KpiInput
from portal.services.documents import contract, contract_data, register
from portal.services.errors import ConflictError, NotFoundError
from tests.contract_support import approved_direct_award, awarded_competition
from tests.documents_support import assert_archival, embedded_data, pdf_text
from tests.test_award_services import recommended_world

AVAILABILITY = KpiInput("Platform availability", "Minutes available as a share of minutes in the month", "99.9 %")


def test_competition_contract_shows_parties_figures_dates_terms_and_the_winning_response():
    world = awarded_competition()
    world.call_off.buyer_organisation.address = "Force Headquarters\n1 Station Road\nAnytown AN1 1AA"
    world.call_off.buyer_organisation.identifier = "QXX"
    db.session.commit()
    kpis.add(world.buyer, "competition", world.id, AVAILABILITY)
    document = contract.generate(world.buyer, "competition", world.id)
    text = pdf_text(register.pdf_bytes(document))
    buyer = world.call_off.buyer_organisation.name
    assert "Force Headquarters 1 Station Road Anytown AN1 1AA" in text and "Other identifier QXX" in text
    assert f"a call-off contract between {buyer} and {world.winner.legal_name}" in text
    assert "12 Quay Street" in text and world.winner.companies_house_number in text
    # 10 licences x £20.00 x 12 months + 3 onboarding days x £500.00
    assert "£20.00 £2,400.00" in text and "£500.00 £1,500.00" in text and "£3,900.00" in text
    assert "Start date 1 April 2027" in text and "End date 31 March 2028" in text
    assert "starts on 1 April 2027 and, unless terminated earlier under clause 8, ends on 31 March 2028" in text
    assert f'made between {buyer} (the "Buyer") and {world.winner.legal_name} (the "Supplier")' in text
    assert "shall not exceed £3,900.00 (excluding VAT)" in text and "Procurement Act 2023" in text
    assert "{" not in text  # every placeholder filled
    # The winning response is a schedule; its evaluation is not part of the contract.
    assert "87.69" not in text and "27.69" not in text and "weighted score" not in text.lower()
    assert "Our answer on Channel management." in text and "answer: Yes, it meets this requirement" in text
    assert "Platform availability" in text and "99.9 %" in text
    assert "£200.00 a month for 12 months" in text
    assert f"Page 1 of {document.page_count}" in text and document.page_count >= 6


def test_contract_is_archival_and_embeds_exactly_the_data_it_shows():
    world = awarded_competition()
    document = contract.generate(world.buyer, "competition", world.id)
    pdf = register.pdf_bytes(document)
    assert_archival(pdf, f"Call-off contract: {world.call_off.reference}")
    call_off = call_offs.for_user(world.buyer, "competition", world.id)
    expected = contract_data.build(world.buyer, call_off)
    assert embedded_data(pdf) == json.loads(canonical_json(expected))
    assert document.buyer_organisation_id == world.call_off.buyer_organisation_id
    assert document.supplier_id == world.winner.id


def test_the_winning_supplier_generates_the_same_version_and_nobody_else_can():
    world = awarded_competition()
    first = contract.generate(world.buyer, "competition", world.id)
    assert contract.generate(world.supplier_user, "competition", world.id).id == first.id
    for outsider in (world.losing_supplier_user, world.other_buyer, world.staff):
        with pytest.raises(NotFoundError):
            contract.generate(outsider, "competition", world.id)


def test_a_changed_kpi_makes_a_new_version_and_the_old_one_stays():
    world = awarded_competition()
    first = contract.generate(world.buyer, "competition", world.id)
    kpis.add(world.buyer, "competition", world.id, AVAILABILITY)
    second = contract.generate(world.buyer, "competition", world.id)
    assert (first.version, second.version) == (1, 2)
    assert "Platform availability" in pdf_text(register.pdf_bytes(second))
    assert [d.version for d in register.versions(second)] == [2, 1]


def test_no_contract_before_approval():
    world = recommended_world()
    with pytest.raises(ConflictError, match="once the award has been approved"):
        contract.generate(world.buyer, "competition", world.competition.id)


def test_during_standstill_the_contract_is_a_draft_to_read_and_award_makes_a_new_version():
    world = awarded_competition(confirm=False)
    draft = contract.generate(world.buyer, "competition", world.id)
    text = pdf_text(register.pdf_bytes(draft))
    assert "Issued for the parties to read before the contract may be entered into" in text
    # Under the Act the standstill waits for the contract award notice, and the draft says so.
    assert "begins with the day the contract award notice (UK6) is published" in text
    status = contract.status(world.approver, "competition", world.id)
    assert not status.can_sign and "contract award notice (UK6)" in status.signing_refusal


def test_cancelled_call_off_has_no_contract():
    world = approved_direct_award()
    world.call_off.cancelled_at, world.call_off.cancel_reason = world.call_off.approved_at, "Budget withdrawn"
    db.session.commit()
    with pytest.raises(ConflictError, match="cancelled"):
        contract.generate(world.buyer, "direct_award", world.id)


def test_direct_award_contract_carries_the_winner_and_the_shortlist_hash_never_a_rivals_data():
    world = approved_direct_award(three_capable=True)
    document = contract.generate(world.supplier_user, "direct_award", world.id)
    pdf = register.pdf_bytes(document)
    assert_archival(pdf, f"Call-off contract: {world.call_off.reference}")
    text = pdf_text(pdf)
    # 20 licences x £10.00 x 12 months + 2 onboarding days x £500.00
    assert "£10.00 £2,400.00" in text and "£500.00 £1,000.00" in text and "£3,400.00" in text
    assert "Alpha Ltd" in text and "Alpha evidence for Capability 1" in text
    assert "Schedule 6: Direct award" in text and "Lowest whole-life cost among capable suppliers" in text
    frozen = world.call_off.shortlists[-1]
    assert frozen.content_sha256 in text.replace(" ", "") and world.call_off.reference in text
    content = json.loads(frozen.content_json)
    assert len(content["capable"]) == 3  # Alpha, Beta and Zeta were capable
    # No rival's name, price, status or accreditation: those stay in the buyer's direct award record.
    for rival in ("Beta", "Gamma", "Delta", "Epsilon", "Zeta"):
        assert rival not in text, rival
    for rival_price in ("£12.00", "£3,680.00", "£15.00", "£650.00", "£5,100.00"):
        assert rival_price not in text, rival_price
    assert "suspended" not in text.lower() and "Late management information" not in text
    assert "Lowest whole-life cost; terms complete." not in text  # the justification is the buyer's record
    data = embedded_data(pdf)
    assert data["shortlist"]["sha256"] == frozen.content_sha256 and data["value_pence"] == 340_000
    assert "Beta" not in json.dumps(data) and "Zeta" not in json.dumps(data)
    assert contract.generate(world.buyer, "direct_award", world.id).id == document.id
