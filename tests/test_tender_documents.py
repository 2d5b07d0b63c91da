"""Tender documents: the buyer adds them (checked like bid attachments, stored plain), replaces them with new versions
(old ones kept and downloadable), removes them only before publication; a change after publication needs a note, is
audited, tells exactly the invited suppliers' users and asks the buyer whether to extend the deadline; downloads are
for the buying organisation and, once published, the invited suppliers only."""

from __future__ import annotations

import os
import time

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, BuyerOrganisation, Notification, TenderDocument, TenderDocumentVersion
from portal.services import files
from portal.services.competitions import tender_documents as documents
from portal.services.errors import ConflictError, NotFoundError, ValidationError
from portal.services.files import gc as file_gc
from tests.factories import make_supplier, make_user
from tests.factories_bidding import EXE, PDF, make_world

PDF_2 = PDF.replace(b"1.7", b"1.6")


@pytest.fixture(autouse=True)
def file_store(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "FILE_STORE_PATH", str(tmp_path / "files"))
    return tmp_path / "files"


def _buyer(world):
    organisation = db.session.get(BuyerOrganisation, world.competition.buyer_organisation_id)
    return make_user("buyer", organisation=organisation)


def _add(world, buyer, name="spec.pdf", data=PDF, note="", title="Specification"):
    return documents.add_document(
        buyer,
        world.competition.id,
        title=title,
        document_type="specification",
        upload=documents.Upload(name, data),
        change_note=note,
    )


def _events(kind: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event_type == kind)))


# --- Services ---------------------------------------------------------------------------------------------------


def test_a_draft_document_is_stored_plain_versioned_and_removable_without_telling_anyone(file_store):
    world = make_world(published=False)
    buyer = _buyer(world)
    added = _add(world, buyer)
    path = files.path_for(added.version.file_sha256)
    assert path.is_file() and path.read_bytes() == PDF  # the buyer's document: the plain store, not sealed
    assert (added.version.version, added.version.media_type, added.notified) == (1, "application/pdf", 0)
    replaced = documents.replace_document(buyer, added.document.id, upload=documents.Upload("spec-v2.pdf", PDF_2))
    assert [v.version for v in documents.documents_of(world.competition.id)[0].versions] == [1, 2]
    assert replaced.notified == 0 and db.session.scalar(select(func.count()).select_from(Notification)) == 0
    documents.remove_document(buyer, added.document.id)
    assert db.session.scalar(select(func.count()).select_from(TenderDocument)) == 0
    assert db.session.scalar(select(func.count()).select_from(TenderDocumentVersion)) == 0
    for change in ("added", "replaced", "removed"):
        assert len(_events(f"competition.tender_document_{change}")) == 1
    assert _events("competition.tender_document_removed")[0].before_json is not None


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("tool.pdf", EXE, "The selected file must be a PDF, DOCX, XLSX, PNG or JPEG"),
        ("", PDF, "Select a file"),
        ("spec.pdf", b"", "The selected file is empty"),
        ("spec.docx", PDF, "The selected file is a PDF but its name does not end in .pdf"),
    ],
)
def test_refused_files_get_the_same_messages_as_bid_attachments(name, data, message):
    world = make_world(published=False)
    with pytest.raises(ValidationError) as refused:
        _add(world, _buyer(world), name=name, data=data)
    assert refused.value.field == "file" and refused.value.message.startswith(message)
    assert db.session.scalar(select(func.count()).select_from(TenderDocument)) == 0


def test_title_and_type_are_required():
    world = make_world(published=False)
    buyer = _buyer(world)
    with pytest.raises(ValidationError) as untitled:
        _add(world, buyer, title="  ")
    assert untitled.value.field == "title"
    with pytest.raises(ValidationError) as untyped:
        documents.add_document(
            buyer, world.competition.id, title="X", document_type="memo", upload=documents.Upload("a.pdf", PDF)
        )
    assert untyped.value.field == "document_type"


def test_a_change_after_publication_needs_a_note_and_tells_exactly_the_invited_suppliers_users():
    world = make_world(published=False)
    buyer = _buyer(world)
    added = _add(world, buyer)
    colleague = make_user("supplier", supplier=world.supplier)
    make_user("supplier", supplier=make_supplier())  # not invited: never told
    world.competition.published_at = world.competition.created_at
    world.competition.published_by_id = buyer.id
    db.session.commit()
    with pytest.raises(ValidationError) as no_note:
        documents.replace_document(buyer, added.document.id, upload=documents.Upload("spec-v2.pdf", PDF_2))
    assert no_note.value.field == "change_note"
    change = documents.replace_document(
        buyer, added.document.id, upload=documents.Upload("spec-v2.pdf", PDF_2), change_note="Section 4 rewritten"
    )
    told = db.session.scalars(select(Notification).order_by(Notification.user_id)).all()
    assert sorted(n.user_id for n in told) == sorted([world.user.id, world.rival_user.id, colleague.id])
    assert change.notified == 3
    assert {n.kind for n in told} == {"tender_documents_changed"}
    assert {n.link for n in told} == {f"/bids/competitions/{world.competition.id}#tender-documents"}
    assert all("Section 4 rewritten" in n.body and "version 2" in n.body for n in told)
    event = _events("competition.tender_document_replaced")[-1]
    assert event.after_json and "Section 4 rewritten" in str(event.after_json)
    # The old version is kept, and still downloadable.
    versions = documents.documents_of(world.competition.id)[0].versions
    assert [v.version for v in versions] == [1, 2]
    data, name, _ = documents.version_for_download(world.user, world.competition.id, versions[0].id)
    assert (data, name) == (PDF, "spec.pdf")


def test_after_publication_documents_are_never_removed_and_after_the_deadline_never_changed():
    world = make_world()
    buyer = _buyer(world)
    added = _add(world, buyer, note="Added the pricing notes")
    with pytest.raises(ConflictError) as refused:
        documents.remove_document(buyer, added.document.id)
    assert "only replaced with a new version" in refused.value.message
    closed = make_world(opened=True)
    with pytest.raises(ConflictError) as late:
        _add(closed, _buyer(closed), note="Too late")
    assert "deadline has passed" in late.value.message


def test_only_the_buying_organisations_officers_may_change_documents():
    world = make_world(published=False)
    added = _add(world, _buyer(world))
    outsider = make_user("buyer")
    with pytest.raises(NotFoundError):
        documents.replace_document(outsider, added.document.id, upload=documents.Upload("x.pdf", PDF_2))
    with pytest.raises(NotFoundError):
        _add(world, outsider)


def test_gc_never_collects_a_tender_documents_file_current_or_superseded(file_store):
    world = make_world(published=False)
    buyer = _buyer(world)
    added = _add(world, buyer)
    documents.replace_document(buyer, added.document.id, upload=documents.Upload("spec-v2.pdf", PDF_2))
    paths = [files.path_for(v.file_sha256) for v in documents.documents_of(world.competition.id)[0].versions]
    then = time.time() - 3 * 3600
    for path in paths:
        os.utime(path, (then, then))
    result = file_gc.collect()
    assert result.removed == [] and all(path.is_file() for path in paths)


# --- Downloads --------------------------------------------------------------------------------------------------


def test_download_access_invited_suppliers_once_published_and_the_buyer_always(client, auth):
    world = make_world(published=False)
    buyer = _buyer(world)
    added = _add(world, buyer, name='../../evil"na\tme.pdf')
    url = f"/competitions/{world.competition.id}/tender-documents/versions/{added.version.id}"
    outsider_supplier = make_user("supplier", supplier=make_supplier())
    other_buyer = make_user("buyer")
    db.session.commit()

    auth.login(world.user.email)
    assert client.get(url).status_code == 404  # before publication: not even the invited supplier
    auth.logout()
    auth.login(buyer.email)
    response = client.get(url)
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "evilname.pdf" in disposition and "/" not in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    auth.logout()

    world.competition.published_at = world.competition.created_at
    db.session.commit()
    auth.login(world.user.email)
    assert client.get(url).status_code == 200
    auth.logout()
    for outsider in (outsider_supplier, other_buyer):
        auth.login(outsider.email)
        assert client.get(url).status_code == 404
        auth.logout()


def test_a_version_is_never_served_under_another_competition():
    world, other = make_world(), make_world()
    added = _add(world, _buyer(world), note="Added")
    with pytest.raises(NotFoundError):
        documents.version_for_download(other.user, other.competition.id, added.version.id)
    with pytest.raises(NotFoundError):
        documents.version_for_download(world.rival_user, world.competition.id, 999_999)


def test_a_file_over_the_attachment_limit_is_refused_with_the_attachment_message(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_ATTACHMENT_BYTES", 50)
    world = make_world(published=False)
    with pytest.raises(ValidationError) as refused:
        _add(world, _buyer(world))
    assert refused.value.message == "The selected file must be smaller than 1 KB"


def test_the_type_labels_name_exactly_the_types_the_database_allows():
    from portal.models.tender_document import DOCUMENT_TYPES

    assert tuple(documents.TYPE_LABELS) == DOCUMENT_TYPES
