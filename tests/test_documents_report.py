"""The evaluation report PDF: what it shows, its archival form, who may have it and when (the seal)."""

from __future__ import annotations

import json
import os
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal import jobs
from portal.domain.canonical import canonical_json
from portal.extensions import db
from portal.models import ConflictDeclaration, DeadlineExtension, Document, Invitation
from portal.models.base import utcnow
from portal.services.documents import register, report
from portal.services.errors import ConflictError, NotFoundError, PermissionDeniedError
from portal.services.evaluation import award
from tests.documents_support import assert_archival, embedded_data, pdf_text
from tests.factories import make_organisation, make_supplier, make_user
from tests.factories_competition import assign_evaluator
from tests.test_award_services import approved_world, moderated_world
from tests.test_evaluation_services import evaluation_world, score_all


def _keep(pdf: bytes, name: str) -> None:
    """Write the PDF where a person can look at it (set KEEP_PDFS=/tmp/dir)."""
    folder = os.environ.get("KEEP_PDFS")
    if folder:
        with open(os.path.join(folder, name), "wb") as out:
            out.write(pdf)


def _report(world, user=None) -> tuple[Document, bytes]:
    document = report.issue_report(user or world.buyer, world.competition.id)
    return document, register.pdf_bytes(document)


def test_report_shows_suppliers_scores_justifications_ranks_and_dates():
    world = approved_world()
    extension = DeadlineExtension(
        competition_id=world.competition.id,
        previous_deadline_at=world.competition.submission_deadline_at - timedelta(days=2),
        new_deadline_at=world.competition.submission_deadline_at,
        reason="A supplier asked for more time over a bank holiday",
        extended_by_id=world.buyer.id,
        extended_at=world.competition.submission_deadline_at - timedelta(days=5),
    )
    db.session.add(extension)
    db.session.commit()
    document, pdf = _report(world)
    _keep(pdf, "evaluation_report.pdf")
    text = pdf_text(pdf)
    for name in ("Alpha", "Bravo", "Charlie"):
        assert world.suppliers[name].legal_name in text
    assert "Agreed 5 for Bravo." in text  # a moderated rationale
    assert "Because." in text and "Eve 3" in text  # individual justifications, by evaluator
    assert "Disagreement flagged: 1 to" in text  # Eve 3 on Alpha's Channel management
    assert "87.69" in text and "82.00" in text  # totals as on the results page
    assert "below the minimum acceptable score of 2" in text  # Charlie's disqualification
    assert "30.76 % below the mean of the other compliant bids" in text
    assert "A supplier asked for more time over a bank holiday" in text
    assert "Confirmed by Cole Colleague" in text and "Witness" not in text  # opened by two officers
    assert "Award approved" in text and "Ada Approver" in text
    assert "unless the Quality weight moves" in text
    assert "£3,900.00" in text  # a total price
    assert f"Page 1 of {document.page_count}" in text
    bid = world.bids["Bravo"]
    assert bid.submissions[-1].content_sha256 in text.replace(" ", "")


def conflicted_declarations(world, person):
    return db.session.scalars(select(ConflictDeclaration).where(ConflictDeclaration.user_id == person.id)).all()


def test_report_records_declines_conflicts_and_a_rejected_low_price():
    world = moderated_world()
    declining = make_supplier(legal_name="Delta Declines Ltd")
    db.session.add(
        Invitation(
            competition_id=world.competition.id,
            supplier_id=declining.id,
            response="declined",
            decline_reason="No capacity this quarter",
        )
    )
    conflicted = make_user("evaluator", organisation=world.competition.buyer_organisation, name="Cora Conflicted")
    assign_evaluator(world.competition, conflicted, declared=True)
    # The buyer mitigated Cora's conflict with Bravo before moderation (set directly: moderation is now complete).
    mitigated = next(d for d in conflicted_declarations(world, conflicted) if d.supplier.trading_name == "Bravo")
    mitigated.mitigation, mitigated.mitigated_by_id, mitigated.mitigated_at = "Left in 2015.", world.buyer.id, utcnow()
    alpha = world.bids["Alpha"]
    award.request_explanation(world.buyer, world.competition.id, alpha.id)
    award.record_explanation(world.buyer, world.competition, alpha, "We own the platform outright.")
    award.decide_explanation(world.buyer, world.competition.id, alpha.id, "rejected", "Staffing costs not covered")
    text = pdf_text(_report(world)[1])
    assert "Delta Declines Ltd" in text and "Declined to bid: No capacity this quarter" in text
    assert "Cora Conflicted" in text and "Former employee of a bidder" in text
    assert "Conflict declared: kept from this bid and from scoring it" in text
    assert "Evaluators and the criteria they scored" in text
    assert f"Mitigation recorded by {world.buyer.name}" in text and "Left in 2015." in text
    assert "Conflict mitigated: scored this bid" in text
    assert "We own the platform outright." in text and "Rejected" in text and "Staffing costs not covered" in text


def test_report_is_archival_and_embeds_exactly_the_data_used():
    world = moderated_world()
    document, pdf = _report(world)
    assert_archival(pdf, f"Evaluation report: {world.competition.reference}")
    expected = report.report_data(world.buyer, world.competition)
    assert embedded_data(pdf) == json.loads(canonical_json(expected))
    assert document.kind == "evaluation_report"
    assert document.series_key == f"evaluation_report:competition:{world.competition.id}"


def test_a_new_version_follows_the_decision_and_unchanged_data_is_the_same_version():
    world = moderated_world()
    first, _ = _report(world)
    assert _report(world)[0].id == first.id
    award.recommend(world.buyer, world.competition.id, world.bids["Bravo"].id, "Best value")
    second, pdf = _report(world)
    assert second.version == 2 and "Best value" in pdf_text(pdf)


def test_refused_before_moderation_is_complete():
    world = evaluation_world()
    score_all(world)
    with pytest.raises(ConflictError, match="once moderation is complete"):
        report.issue_report(world.buyer, world.competition.id)
    assert db.session.query(Document).count() == 0


def test_the_seal_no_report_before_the_bids_are_opened():
    world = evaluation_world(opened=False)
    with pytest.raises(ConflictError):
        report.issue_report(world.buyer, world.competition.id)
    # Even with the milestones forged, nothing is read through the seal before opening.
    world.competition.moderated_at = utcnow()
    world.competition.evaluation_started_at = utcnow()
    db.session.commit()
    data = report.report_data(world.buyer, world.competition)
    assert data["scoring"] == [] and all(b["status"] != "Submitted" for b in data["bids"])
    assert all("content_sha256" not in b for b in data["bids"])


def test_other_organisations_and_evaluators_cannot_have_it_issued():
    world = moderated_world()
    with pytest.raises(NotFoundError):
        report.issue_report(make_user("buyer", organisation=make_organisation()), world.competition.id)
    # Staff may download an issued report but never read bids, so they cannot have one issued.
    for person in (world.evaluators[0], make_user("staff")):
        with pytest.raises(PermissionDeniedError):
            report.issue_report(person, world.competition.id)


# --- The download route, for every persona ---------------------------------------------------------------------------


PERSONAS = [
    ("buyer", 200),
    ("approver", 200),
    ("staff", 200),
    ("evaluator", 404),
    ("other_buyer", 404),
    ("bidding_supplier", 404),
    ("other_supplier", 404),
]


def _persona(world, persona):
    return {
        "buyer": lambda: world.buyer,
        "approver": lambda: world.approver,
        "staff": lambda: make_user("staff"),
        "evaluator": lambda: world.evaluators[0],
        "other_buyer": lambda: make_user("buyer", organisation=make_organisation()),
        "bidding_supplier": lambda: make_user("supplier", supplier=world.suppliers["Bravo"]),
        "other_supplier": lambda: make_user("supplier", supplier=make_supplier()),
    }[persona]()


@pytest.mark.parametrize(("persona", "status"), PERSONAS)
def test_download_route_per_persona(client, auth, persona, status):
    world = moderated_world()
    document, pdf = _report(world)
    user = _persona(world, persona)
    db.session.commit()
    auth.login(user.email)
    response = client.get(f"/documents/{document.id}/download")
    assert response.status_code == status
    if status == 200:
        assert response.data == pdf and response.mimetype == "application/pdf"


def test_anonymous_download_is_sent_to_sign_in(client):
    world = moderated_world()
    document, _ = _report(world)
    response = client.get(f"/documents/{document.id}/download")
    assert response.status_code == 302 and "sign-in" in response.headers["Location"]


def test_buyer_downloads_from_the_evaluation_page(client, auth):
    """The page starts the background job (nothing renders in the request), shows progress, then links the PDF."""
    world = moderated_world()
    auth.login(world.buyer.email)
    page = client.get(f"/evaluation/{world.competition.id}").get_data(as_text=True)
    assert "Evaluation report (PDF)" in page
    report_page = client.get(f"/evaluation/{world.competition.id}/report").get_data(as_text=True)
    assert "Generate the report" in report_page and "Download evaluation report" not in report_page
    response = client.post(f"/evaluation/{world.competition.id}/report")
    assert response.status_code == 302 and response.headers["Location"].endswith("/report")
    job = jobs.latest_job(world.competition.id, jobs.REPORT_KIND)
    assert job is not None and jobs.wait_for_local_job(job.id, timeout=120) == "done"
    db.session.expire_all()
    progress = client.get(f"/evaluation/{world.competition.id}/report/progress").get_json()
    assert progress == {"status": "done", "done": 1, "total": 1}
    report_page = client.get(f"/evaluation/{world.competition.id}/report").get_data(as_text=True)
    document = report.latest_report(world.competition)
    assert document is not None and f"/documents/{document.id}/download" in report_page
    download = client.get(f"/documents/{document.id}/download")
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")


def test_the_report_action_refuses_before_moderation_and_for_evaluators(client, auth):
    world = evaluation_world()
    auth.login(world.buyer.email)
    page = client.get(f"/evaluation/{world.competition.id}").get_data(as_text=True)
    assert "Evaluation report (PDF)" not in page
    response = client.get(f"/evaluation/{world.competition.id}/report")
    assert response.status_code == 409 and "once moderation is complete" in response.get_data(as_text=True)
    client.post(f"/evaluation/{world.competition.id}/report")
    assert jobs.latest_job(world.competition.id, jobs.REPORT_KIND) is None  # no job before moderation
    with pytest.raises(ConflictError):
        jobs.enqueue_evaluation_report(world.buyer, world.competition.id)
    auth.logout()
    auth.login(world.evaluators[0].email)
    assert client.get(f"/evaluation/{world.competition.id}/report").status_code == 403
    assert client.post(f"/evaluation/{world.competition.id}/report").status_code == 403
    assert client.get(f"/evaluation/{world.competition.id}/report/progress").status_code == 403
