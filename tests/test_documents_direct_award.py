"""The direct award record PDF: what it shows, its archival form, who may have it and when."""

from __future__ import annotations

import json
import os

import pytest

from portal.domain.canonical import canonical_json
from portal.extensions import db
from portal.models import Document
from portal.services.direct_awards import decisions
from portal.services.direct_awards import requirements as awards
from portal.services.direct_awards import shortlist as shortlists
from portal.services.documents import direct_award_record as document_direct_award
from portal.services.documents import register
from portal.services.errors import ConflictError, NotFoundError, PermissionDeniedError
from tests.documents_support import assert_archival, embedded_data, pdf_text
from tests.factories import make_supplier, make_user
from tests.test_direct_award_world import build_world, ready_award, requirement


@pytest.fixture
def world():
    return build_world()


def _keep(pdf: bytes, name: str) -> None:
    folder = os.environ.get("KEEP_PDFS")
    if folder:
        with open(os.path.join(folder, name), "wb") as out:
            out.write(pdf)


def _frozen(world):
    award = ready_award(world)
    return award, shortlists.freeze(world.buyer, award)


def _record(world, award, user=None) -> tuple[Document, bytes]:
    document = document_direct_award.issue_record(user or world.buyer, award.id)
    return document, register.pdf_bytes(document)


def _decided(world):
    """Requirement changed once (so a superseded shortlist), then recommended, approved and accepted."""
    award = ready_award(world, term_months=18)
    shortlists.freeze(world.buyer, award)
    awards.save_requirement(world.buyer, award, requirement(world))
    shortlists.freeze(world.buyer, award)
    decisions.recommend(world.buyer, award.id, world.suppliers["alpha"].id, "Lowest whole-life cost; terms complete.")
    decisions.approve(world.approver, award.id)
    decisions.accept(world.supplier_users["alpha"], award.id)
    return award


def test_record_shows_requirement_ranking_costs_reasons_and_decision(world):
    award = _decided(world)
    document, pdf = _record(world, award)
    _keep(pdf, "direct_award_record.pdf")
    text = pdf_text(pdf)
    assert "Social media platform" in text and "Publishing and monitoring for the press office." in text
    assert "Capability 1" in text and "Cyber Essentials Plus" in text and "12 months" in text
    assert "Lowest whole-life cost among capable suppliers" in text
    assert "1. Better framework ranking; 2. Lower whole-life cost" in text
    # Alpha: 20 licences x £10.00 x 12 months + 2 onboarding days x £500.00 = £3,400.00
    assert "Alpha Ltd (selected)" in text and "£3,400.00" in text and "£2,400.00" in text
    # Beta: 20 x £12.00 x 12 + 2 x £400.00 = £3,680.00
    assert "Beta Ltd" in text and "£3,680.00" in text
    assert "Gamma Ltd" in text and "Delta Ltd" in text and "Epsilon Ltd" in text  # not capable, with reasons
    current = shortlists.current_shortlist(award)
    assert current.version == 2 and current.content_sha256 in text.replace(" ", "")
    first = award.shortlists[0]
    assert first.content_sha256 in text.replace(" ", "")  # the superseded one is listed
    assert "Lowest whole-life cost; terms complete." in text
    assert world.approver.name in text and world.supplier_users["alpha"].name in text
    # PCR 2015: the voluntary standstill started at approval; the record says so and on what basis.
    assert "The standstill period started" in text and "regulation 87" in text
    assert f"Page 1 of {document.page_count}" in text


def test_record_is_archival_and_embeds_exactly_the_data_used(world):
    award, _ = _frozen(world)
    document, pdf = _record(world, award)
    assert_archival(pdf, f"Direct award record: {award.reference}")
    expected = document_direct_award.record_data(award)
    assert embedded_data(pdf) == json.loads(canonical_json(expected))
    assert document.series_key == f"direct_award_record:direct_award:{award.id}"
    assert _record(world, award)[0].id == document.id  # unchanged data: the same version


def test_a_long_ranking_prints_the_top_breakdowns_and_embeds_them_all(world, monkeypatch):
    monkeypatch.setattr(document_direct_award, "COST_BREAKDOWNS_PRINTED", 1)
    award, frozen = _frozen(world)
    _, pdf = _record(world, award)
    text = " ".join(pdf_text(pdf).split())
    assert "1. Alpha Ltd: cost over the term" in text and "2. Beta Ltd: cost over the term" not in text
    assert "£3,680.00" in text  # Beta's total is still in the ranking table
    assert "printed below for the first 1 of the 2 capable suppliers" in text
    assert f"shortlist version {frozen.version}" in text
    beta = next(c for c in embedded_data(pdf)["capable"] if c["trading_name"] == "Beta")
    assert [line["total_pence"] for line in beta["lines"]] == [288000, 80000]  # 20 x £12 x 12; 2 x £400


def test_a_short_ranking_prints_every_breakdown_without_the_note(world):
    award, _ = _frozen(world)
    text = " ".join(pdf_text(_record(world, award)[1]).split())
    assert "1. Alpha Ltd: cost over the term" in text and "2. Beta Ltd: cost over the term" in text
    assert "printed below for the first" not in text


def test_the_record_uses_the_frozen_prices_not_todays(world):
    from tests.factories import make_price

    award, _ = _frozen(world)
    make_price(world.suppliers["alpha"], world.items[0], 9_999, world.start_on)
    db.session.commit()
    _, pdf = _record(world, award)
    assert "£99.99" not in pdf_text(pdf) and "£3,400.00" in pdf_text(pdf)


def test_refused_before_a_shortlist_is_frozen_for_the_requirement(world):
    award = ready_award(world)
    with pytest.raises(ConflictError, match="once a shortlist has been frozen"):
        document_direct_award.issue_record(world.buyer, award.id)
    shortlists.freeze(world.buyer, award)
    awards.save_requirement(world.buyer, award, requirement(world, term_months=18))
    with pytest.raises(ConflictError):  # the frozen one no longer matches the requirement
        document_direct_award.issue_record(world.buyer, award.id)


def test_others_cannot_have_it_issued(world):
    award, _ = _frozen(world)
    with pytest.raises(NotFoundError):
        document_direct_award.issue_record(world.other_buyer, award.id)
    for person in (world.evaluator, world.supplier_users["alpha"], make_user("staff")):
        with pytest.raises(PermissionDeniedError):
            document_direct_award.issue_record(person, award.id)


PERSONAS = [
    ("buyer2", 200),
    ("approver", 200),
    ("staff", 200),
    ("evaluator", 404),
    ("other_buyer", 404),
    ("selected_supplier", 404),
    ("other_supplier", 404),
]


@pytest.mark.parametrize(("persona", "status"), PERSONAS)
def test_download_route_per_persona(world, client, auth, persona, status):
    award, _ = _frozen(world)
    document, pdf = _record(world, award)
    user = {
        "buyer2": world.buyer2,
        "approver": world.approver,
        "staff": make_user("staff"),
        "evaluator": world.evaluator,
        "other_buyer": world.other_buyer,
        "selected_supplier": world.supplier_users["alpha"],
        "other_supplier": make_user("supplier", supplier=make_supplier()),
    }[persona]
    db.session.commit()
    auth.login(user.email)
    response = client.get(f"/documents/{document.id}/download")
    assert response.status_code == status
    if status == 200:
        assert response.data == pdf


def test_anonymous_download_is_sent_to_sign_in(world, client):
    award, _ = _frozen(world)
    document, _ = _record(world, award)
    response = client.get(f"/documents/{document.id}/download")
    assert response.status_code == 302 and "sign-in" in response.headers["Location"]


def test_download_action_on_the_direct_award_page(world, client, auth):
    award = ready_award(world)
    auth.login(world.buyer.email)
    page = client.get(f"/direct-awards/{award.id}").get_data(as_text=True)
    assert "Download direct award record (PDF)" not in page
    assert client.get(f"/direct-awards/{award.id}/record").status_code == 409
    shortlists.freeze(world.buyer, award)
    page = client.get(f"/direct-awards/{award.id}").get_data(as_text=True)
    assert "Download direct award record (PDF)" in page
    response = client.get(f"/direct-awards/{award.id}/record")
    assert response.status_code == 302
    download = client.get(response.headers["Location"])
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")
