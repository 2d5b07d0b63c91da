"""Tender documents' pages: the buyer's task list section, the add and replace forms (GOV.UK errors, nothing typed
lost), removal only before publication, the prompt to extend the deadline after a change, and the supplier's page."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Notification, TenderDocument
from portal.services.competitions import tasks
from portal.services.competitions import tender_documents as documents
from tests.factories_bidding import EXE, PDF, XLSX, make_world
from tests.test_tender_documents import PDF_2, _add, _buyer


@pytest.fixture(autouse=True)
def file_store(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "FILE_STORE_PATH", str(tmp_path / "files"))
    return tmp_path / "files"


def _signed_in(auth, world):
    buyer = _buyer(world)
    db.session.commit()
    auth.login(buyer.email)
    return buyer


def _post_add(client, world, name, data, **fields):
    form = {"title": "Pricing workbook", "document_type": "pricing_workbook", "file": (io.BytesIO(data), name)}
    form.update(fields)
    return client.post(
        f"/competitions/{world.competition.id}/tender-documents/add", data=form, content_type="multipart/form-data"
    )


def test_the_task_list_shows_tender_documents_as_optional_and_counts_them_truthfully(client, auth):
    world = make_world(published=False)
    buyer = _signed_in(auth, world)
    listed = {t.key: t for t in tasks.tasks(world.competition)}
    assert listed["tender_documents"].status == "Optional" and listed["tender_documents"].optional
    before = tasks.progress(tasks.tasks(world.competition))
    page = client.get(f"/competitions/{world.competition.id}").get_data(as_text=True)
    assert "Tender documents" in page and f"/competitions/{world.competition.id}/tender-documents" in page
    _add(world, buyer)
    assert {t.key: t.status for t in tasks.tasks(world.competition)}["tender_documents"] == "1 document"
    assert tasks.progress(tasks.tasks(world.competition)) == before  # optional: never counted, never blocking
    assert "Tender documents" not in tasks.incomplete_sections(world.competition)


def test_a_refused_file_shows_the_error_summary_and_keeps_what_was_typed(client, auth):
    world = make_world(published=False)
    _signed_in(auth, world)
    response = _post_add(client, world, "tool.pdf", EXE, title="Our pricing model")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "The selected file must be a PDF, DOCX, XLSX, PNG or JPEG" in page
    assert 'value="Our pricing model"' in page and 'value="pricing_workbook" checked' in page
    assert db.session.scalar(select(func.count()).select_from(TenderDocument)) == 0
    missing = _post_add(client, world, "book.xlsx", XLSX, title="", document_type="")
    text = missing.get_data(as_text=True)
    assert "Enter a title" in text and "Select the type of document" in text


def test_adding_before_publication_returns_to_the_list_without_telling_anyone(client, auth):
    world = make_world(published=False)
    _signed_in(auth, world)
    response = _post_add(client, world, "book.xlsx", XLSX)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/competitions/{world.competition.id}/tender-documents")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Pricing workbook" in page and "book.xlsx" in page and "Remove" in page
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0
    review = client.get(f"/competitions/{world.competition.id}/review").get_data(as_text=True)
    assert "Tender documents" in review and "Pricing workbook: book.xlsx (version 1)" in review


def test_a_replacement_after_publication_needs_a_note_then_asks_whether_to_extend(client, auth):
    world = make_world()
    buyer = _signed_in(auth, world)
    added = _add(world, buyer, note="First issue")
    url = f"/competitions/{world.competition.id}/tender-documents/{added.document.id}/replace"
    refused = client.post(url, data={"file": (io.BytesIO(PDF_2), "spec-v2.pdf")}, content_type="multipart/form-data")
    assert "Enter what has changed, for the invited suppliers" in refused.get_data(as_text=True)
    response = client.post(
        url,
        data={"file": (io.BytesIO(PDF_2), "spec-v2.pdf"), "change_note": "Section 4 rewritten"},
        content_type="multipart/form-data",
    )
    prompt_url = f"/competitions/{world.competition.id}/tender-documents/extend-deadline"
    assert response.status_code == 302 and response.headers["Location"].endswith(prompt_url)
    prompt = client.get(prompt_url).get_data(as_text=True)
    assert "Do you want to extend the submission deadline?" in prompt
    unanswered = client.post(prompt_url, data={}).get_data(as_text=True)
    assert "Select yes if you want to extend the submission deadline" in unanswered
    yes = client.post(prompt_url, data={"extend": "yes"})
    assert yes.headers["Location"].endswith(f"/competitions/{world.competition.id}/extend")
    no = client.post(prompt_url, data={"extend": "no"})
    assert no.headers["Location"].endswith(f"/competitions/{world.competition.id}/tender-documents")
    page = client.get(no.headers["Location"]).get_data(as_text=True)
    assert "Earlier versions of Specification" in page and "only replaced with a new version" in page


def test_removal_is_offered_only_before_publication(client, auth):
    world = make_world()
    buyer = _signed_in(auth, world)
    added = _add(world, buyer, note="First issue")
    url = f"/competitions/{world.competition.id}/tender-documents/{added.document.id}/remove"
    page = client.get(url).get_data(as_text=True)
    assert "never deleted, only replaced" in page and "Remove document" not in page
    client.post(url, data={})
    assert db.session.scalar(select(func.count()).select_from(TenderDocument)) == 1

    draft = make_world(published=False)
    draft_buyer = _buyer(draft)
    draft_added = _add(draft, draft_buyer)
    db.session.commit()
    auth.logout()
    auth.login(draft_buyer.email)
    remove = f"/competitions/{draft.competition.id}/tender-documents/{draft_added.document.id}/remove"
    assert "Remove document" in client.get(remove).get_data(as_text=True)
    assert client.post(remove, data={}).status_code == 302
    assert db.session.get(TenderDocument, draft_added.document.id) is None


def test_a_document_is_not_reachable_under_another_competition(client, auth):
    world = make_world(published=False)
    buyer = _signed_in(auth, world)
    other = make_world(published=False, organisation=world.competition.buyer_organisation)
    added = _add(world, buyer)
    db.session.commit()
    url = f"/competitions/{other.competition.id}/tender-documents/{added.document.id}/replace"
    assert client.get(url).status_code == 404


def test_the_supplier_page_lists_the_current_version_and_earlier_ones(client, auth):
    world = make_world()
    buyer = _buyer(world)
    added = _add(world, buyer, note="First issue")
    documents.replace_document(
        buyer, added.document.id, upload=documents.Upload("spec-v2.pdf", PDF_2), change_note="Section 4 rewritten"
    )
    db.session.commit()
    auth.login(world.user.email)
    page = client.get(f"/bids/competitions/{world.competition.id}").get_data(as_text=True)
    assert 'id="tender-documents"' in page and "spec-v2.pdf" in page and "version 2" in page
    assert "Earlier versions of Specification" in page and "spec.pdf" in page and "Version 1" in page
    versions = documents.documents_of(world.competition.id)[0].versions
    for version in versions:
        assert f"/tender-documents/versions/{version.id}" in page
    download = client.get(f"/competitions/{world.competition.id}/tender-documents/versions/{versions[0].id}")
    assert download.status_code == 200 and download.data == PDF
