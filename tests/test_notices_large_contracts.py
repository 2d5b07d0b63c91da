"""Contracts over the Act's large-contract threshold (PA 2023 s.52, £5 million including VAT): the duties, the UK7's
published contract and KPIs (valid against the carried schema, for a large and a small contract), the buyer's
redaction step (PDF only, audited, the buying organisation's officers only) and the public download of the copy."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.domain import notices as build
from portal.domain.framework_term import Regime
from portal.domain.law import law_for
from portal.extensions import db
from portal.models import AuditEvent, CallOffKpi
from portal.models.base import utcnow
from portal.services.bids import crypto
from portal.services.bids.content import serialise
from portal.services.bids.seal import latest_submission
from portal.services.contracts import signing
from portal.services.documents import contract
from portal.services.errors import ConflictError, NotFoundError, ValidationError
from portal.services.notices import large_contract, lifecycle, redaction, validation
from tests.contract_support import awarded_competition, make_ready_to_sign
from tests.factories_bidding import PDF, PNG

LARGE_PENCE = 4_200_000_00  # £4.2m excluding VAT: £5.04m including VAT, over the threshold
THRESHOLD = law_for(Regime.PA_2023).large_contract
PLATFORM_ID = "2027/S 000-012345"
REDACTED = PDF.replace(b"/Catalog", b"/Catalog /Redacted true")


@pytest.fixture(autouse=True)
def file_store(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "FILE_STORE_PATH", str(tmp_path / "files"))


# --- The rule (pure) -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value_pence", "kpis", "published", "expected"),
    [
        (4_166_666_67, 0, False, []),  # £5,000,000.00 including VAT (rounded): not over it
        (4_166_666_68, 0, False, [("kpis", False), ("contract_published", False)]),  # £5,000,000.02
        (LARGE_PENCE, 2, True, [("kpis", False), ("contract_published", True)]),
        (LARGE_PENCE, 3, False, [("kpis", True), ("contract_published", False)]),
        (LARGE_PENCE, 3, True, [("kpis", True), ("contract_published", True)]),
    ],
)
def test_a_contract_over_5_million_including_vat_has_two_duties_each_met_or_not(value_pence, kpis, published, expected):
    duties = build.large_contract_duties(Regime.PA_2023, value_pence, kpis, published)
    assert [(d.key, d.met) for d in duties] == expected
    if duties:
        assert THRESHOLD.provision.citation in duties[0].text  # KPIs: s.52
        assert THRESHOLD.contract_publication.citation in duties[1].text  # the contract: s.53(3)


def test_pcr_2015_call_offs_have_no_large_contract_duties():
    assert build.large_contract_duties(Regime.PCR_2015, LARGE_PENCE * 10, 0) == []


def _facts(value_pence: int) -> build.CallOffFacts:
    from datetime import UTC, date, datetime

    party = build.Party("Chief Constable of Surrey Police", (), "portal-buyer-1", "UKJ")
    return build.CallOffFacts(
        regime=Regime.PA_2023, ocid_prefix="ocds-h6vhtk", reference="MC-0001", title="Social media platform",
        description="", framework_reference="PDS-DPCE-2025", framework_name="Digital", lot_number=1,
        lot_title="Platforms", cpv_code="72000000-5", competitive=True, buyer=party,
        supplier=build.Party("Bravo Ltd", (), "portal-supplier-2"), value_pence=value_pence,
        awarded_at=datetime(2027, 3, 1, 10, tzinfo=UTC), award_criteria="ratedCriteria",
        start_on=date(2027, 4, 1), end_on=date(2028, 4, 1),
    )  # fmt: skip


def _contract(value_pence: int, kpis=(), copy=None) -> build.ContractFacts:
    from datetime import UTC, date, datetime

    signed = datetime(2027, 3, 20, 15, tzinfo=UTC)
    return build.ContractFacts(signed, date(2027, 4, 1), date(2028, 4, 1), value_pence, kpis, copy)


def _assert_agreed_metrics_shape(metrics: list) -> None:
    """The OCDS metrics extension's Metric and Observation (the carried schema does not merge that extension)."""
    assert metrics and len({m["id"] for m in metrics}) == len(metrics)
    for metric in metrics:
        assert set(metric) <= {"id", "title", "description", "observations"}
        assert all(isinstance(metric[k], str) and metric[k] for k in ("id", "title"))
        for observation in metric.get("observations", []):
            assert set(observation) <= {"id", "measure", "notes"} and observation["id"] and observation["measure"]


def test_a_large_uk7_lists_the_published_contract_and_its_kpis_and_validates():
    kpis = [build.Kpi(f"KPI {n}", "Measured monthly", "99 %") for n in (1, 2, 3)]
    copy = build.PublishedContract("https://portal.example/frameworks/1/ocds/contracts/ab.pdf", redacted=True)
    now = _contract(0).signed_at + timedelta(days=2)
    release = build.contract_release(_facts(LARGE_PENCE), _contract(LARGE_PENCE, kpis, copy), now)
    assert validation.release_errors(release) == []
    package = build.release_package([release], "https://portal.example/ocds/1.json", now, "Framework Portal")
    assert validation.package_errors(package) == []
    [entry] = release["contracts"]
    [document] = entry["documents"]
    assert document["documentType"] == "contractSigned" and document["url"] == copy.url
    assert "redacted" in document["title"] and document["format"] == "application/pdf"
    _assert_agreed_metrics_shape(entry["agreedMetrics"])
    assert [m["title"] for m in entry["agreedMetrics"]] == ["KPI 1", "KPI 2", "KPI 3"]
    assert "noAgreedMetricsRationale" not in entry


def test_a_small_uk7_without_kpis_says_why_and_validates():
    release = build.contract_release(_facts(3_900_00), _contract(3_900_00), _contract(0).signed_at)
    assert validation.release_errors(release) == []
    [entry] = release["contracts"]
    assert "documents" not in entry and "agreedMetrics" not in entry
    assert THRESHOLD.provision.citation in entry["noAgreedMetricsRationale"]
    assert "£5,000,000.00 including VAT" in entry["noAgreedMetricsRationale"]


def test_a_large_uk7_without_kpis_has_no_rationale_it_has_an_outstanding_duty():
    entry = build.contract_release(_facts(LARGE_PENCE), _contract(LARGE_PENCE), _contract(0).signed_at)["contracts"][0]
    assert "noAgreedMetricsRationale" not in entry and "agreedMetrics" not in entry


# --- The service -----------------------------------------------------------------------------------------------------


def make_large(world, total_pence: int = LARGE_PENCE) -> None:
    """Raise the winning bid's submitted total (content and column), as if Bravo had bid that much."""
    bid = _winning_bid(world)
    submission = latest_submission(bid)
    content = crypto.submission_content(bid, submission)
    content["total_price_pence"] = total_pence
    text, submission.content_sha256 = serialise(content)
    crypto.seal_submission(bid, submission, text, total_pence)
    db.session.commit()


def _winning_bid(world):
    from portal.models import Bid

    return db.session.get(Bid, world.call_off.recommended_bid_id)


def signed_large_competition(kpis: int = 3):
    world = awarded_competition()
    make_large(world)
    make_ready_to_sign(world, kpis_count=kpis)
    unsigned = contract.generate(world.buyer, world.kind, world.id)
    signing.sign(world.supplier_user, unsigned.id, "Sam Supplier", "Director", True)
    signed = signing.sign(world.approver, unsigned.id, "Ada Approver", "Head of Procurement", True).signed
    assert signed is not None
    return world, signed


def _record(world):
    return lifecycle.record_publication(world.buyer, world.kind, world.id, build.UK7, PLATFORM_ID, utcnow())


def test_a_large_uk7_cannot_be_recorded_as_published_until_the_contract_copy_is_chosen(app):
    world, _signed = signed_large_competition()
    notice = lifecycle.prepare(world.buyer, world.kind, world.id, build.UK7)
    assert lifecycle.errors(notice) == []  # valid OCDS, but the Act's duty is outstanding
    with pytest.raises(ConflictError, match=r"more than £5,000,000.00 including VAT.*contract itself is published"):
        _record(world)
    assert not notice.published
    call_off = lifecycle.call_off_for(world.buyer, world.kind, world.id)
    assert [(d.key, d.met) for d in large_contract.status(call_off).duties] == [
        ("kpis", True), ("contract_published", False)
    ]  # fmt: skip


def test_the_buyer_uploads_a_redacted_pdf_which_the_uk7_lists_and_the_public_downloads_once_published(app, client):
    world, signed = signed_large_competition()
    lifecycle.prepare(world.buyer, world.kind, world.id, build.UK7)
    notice = redaction.publish_redacted(world.buyer, world.kind, world.id, "contract-redacted.pdf", REDACTED, "Rates")
    release = lifecycle.release_of(notice)
    assert validation.release_errors(release) == []
    [document] = release["contracts"][0]["documents"]
    assert document["documentType"] == "contractSigned"
    framework_id = world.call_off.lot.framework.id
    path = f"/frameworks/{framework_id}/ocds/contracts/{notice.contract_copy_sha256}.pdf"
    assert document["url"].endswith(path)
    assert len(release["contracts"][0]["agreedMetrics"]) == 3
    assert notice.contract_copy == "redacted" and notice.contract_copy_of_id == signed.id
    [event] = db.session.query(AuditEvent).filter_by(event_type="notice.contract_copy_chosen").all()
    assert event.actor_id == world.buyer.id and notice.contract_copy_sha256 in event.after_json
    # Not public before the notice's publication is recorded, nor under another framework, nor the signed original.
    assert client.get(path).status_code == 404
    _record(world)
    response = client.get(path)
    assert response.status_code == 200 and response.data == REDACTED and response.mimetype == "application/pdf"
    assert client.get(path.replace(f"/{framework_id}/", "/999999/")).status_code == 404
    assert client.get(path.replace(notice.contract_copy_sha256, signed.file_sha256)).status_code == 404
    with pytest.raises(ConflictError, match="has been published"):
        redaction.publish_unredacted(world.buyer, world.kind, world.id, True, "Nothing exempt")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("", PDF, "Select a file"),
        ("contract.pdf", b"", "The selected file is empty"),
        ("contract.pdf", PNG, "must be a PDF"),
        ("contract.pdf", b"%PDF-1.7\n1 0 obj << >>", "not a complete PDF"),
        ("contract.png", PDF, "does not end in .pdf"),
        ("contract.pdf", PDF + b" " * 200, "smaller than"),
    ],
)
def test_a_redacted_copy_must_be_a_complete_pdf_within_the_size_limit(app, monkeypatch, name, data, message):
    world, _signed = signed_large_competition()
    lifecycle.prepare(world.buyer, world.kind, world.id, build.UK7)
    monkeypatch.setitem(app.config, "MAX_ATTACHMENT_BYTES", len(PDF) + 100)
    with pytest.raises(ValidationError, match=message) as refused:
        redaction.publish_redacted(world.buyer, world.kind, world.id, name, data)
    assert refused.value.field == "redacted_file"


def test_the_signed_contract_itself_is_not_a_redacted_copy(app):
    world, signed = signed_large_competition()
    lifecycle.prepare(world.buyer, world.kind, world.id, build.UK7)
    with pytest.raises(ValidationError, match="not a redacted copy"):
        redaction.publish_redacted(world.buyer, world.kind, world.id, "c.pdf", contract.register.pdf_bytes(signed))


def test_publishing_in_full_needs_the_confirmation_and_a_reason_and_is_recorded(app):
    world, signed = signed_large_competition()
    lifecycle.prepare(world.buyer, world.kind, world.id, build.UK7)
    with pytest.raises(ValidationError, match="Confirm that nothing") as unconfirmed:
        redaction.publish_unredacted(world.buyer, world.kind, world.id, False, "Reviewed")
    assert unconfirmed.value.field == "confirm_unredacted"
    with pytest.raises(ValidationError, match="Enter why nothing") as no_reason:
        redaction.publish_unredacted(world.buyer, world.kind, world.id, True, "  ")
    assert no_reason.value.field == "unredacted_reason"
    notice = redaction.publish_unredacted(world.approver, world.kind, world.id, True, "Legal reviewed: none exempt")
    assert notice.contract_copy == "unredacted" and notice.contract_copy_sha256 == signed.file_sha256
    assert (
        notice.contract_copy_reason == "Legal reviewed: none exempt" and notice.contract_copy_by_id == world.approver.id
    )
    assert "in full" in lifecycle.release_of(notice)["contracts"][0]["documents"][0]["description"]
    _record(world)
    assert notice.published


def test_only_the_buying_organisations_officers_take_the_redaction_step(app):
    world, _signed = signed_large_competition()
    lifecycle.prepare(world.buyer, world.kind, world.id, build.UK7)
    for outsider in (world.other_buyer, world.supplier_user, world.staff):
        with pytest.raises(NotFoundError):
            redaction.publish_unredacted(outsider, world.kind, world.id, True, "Nothing exempt")
        with pytest.raises(NotFoundError):
            redaction.publish_redacted(outsider, world.kind, world.id, "c.pdf", REDACTED)
        with pytest.raises(NotFoundError):
            redaction.chosen_file(outsider, world.kind, world.id)
    assert db.session.query(AuditEvent).filter_by(event_type="notice.contract_copy_chosen").count() == 0


def test_a_large_contract_with_too_few_kpis_is_refused_naming_the_kpi_duty(app):
    world, _signed = signed_large_competition()
    # Signing needs three KPIs; a record from before that rule had fewer.
    db.session.query(CallOffKpi).filter_by(competition_id=world.id, title="KPI 3").delete()
    db.session.commit()
    lifecycle.prepare(world.buyer, world.kind, world.id, build.UK7)
    redaction.publish_unredacted(world.buyer, world.kind, world.id, True, "Nothing exempt")
    with pytest.raises(ConflictError, match=r"At least 3 key performance indicators.*the contract has 2"):
        _record(world)


def test_a_small_contract_has_no_redaction_step_and_its_uk7_is_recorded_as_before(app):
    world = awarded_competition(ready_to_sign=True)
    unsigned = contract.generate(world.buyer, world.kind, world.id)
    signing.sign(world.supplier_user, unsigned.id, "Sam Supplier", "Director", True)
    signing.sign(world.approver, unsigned.id, "Ada Approver", "Head of Procurement", True)
    notice = lifecycle.prepare(world.buyer, world.kind, world.id, build.UK7)
    assert validation.release_errors(lifecycle.release_of(notice)) == []
    with pytest.raises(ConflictError, match=r"Only a contract worth more than £5,000,000\.00"):
        redaction.publish_unredacted(world.buyer, world.kind, world.id, True, "Nothing exempt")
    _record(world)
    assert notice.published
