"""Office files (ZIP containers) are judged in bounded time before anything lists their entries; long names keep
their extension (portal/domain/upload_inspection.py, portal/services/files/inspection.py)."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import func, select

from portal.domain import file_types
from portal.domain.upload_inspection import ZipLimits, container_error, shorten_name, too_many_entries
from portal.extensions import db
from portal.models import BidAttachment
from portal.services import files
from portal.services.bids import drafting
from portal.services.errors import ValidationError
from tests.conftest import TEST_PASSWORD
from tests.factories_bidding import DOCX, XLSX, make_world


def _docx_with_entries(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        for n in range(count):
            archive.writestr(f"e{n}", "")
    return buffer.getvalue()


def _docx_with_part(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\x00" * size)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def many_entries() -> bytes:
    return _docx_with_entries(100_000)  # about 8.8 MB, like the file that held a worker 20-28 s


@pytest.fixture(autouse=True)
def file_store(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "FILE_STORE_PATH", str(tmp_path / "files"))


@pytest.fixture
def no_zip_listing(monkeypatch):
    """Fails the test if anything makes zipfile parse the container."""

    def refuse(*args, **kwargs):
        raise AssertionError("the ZIP's entries were listed")

    monkeypatch.setattr(zipfile, "ZipFile", refuse)


def test_ordinary_office_files_pass():
    assert container_error(DOCX) is None
    assert container_error(XLSX) is None
    assert container_error(_docx_with_entries(200)) is None
    assert container_error(b"%PDF-1.7 not a zip") is None


def test_a_container_with_too_many_entries_is_refused_from_its_end_record(many_entries, no_zip_listing):
    assert too_many_entries(many_entries)
    error = container_error(many_entries)
    assert error is not None and "more than 2,000 parts" in error


def test_a_lying_end_record_is_caught_by_the_directory():
    data = bytearray(_docx_with_entries(30))
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = (5).to_bytes(2, "little") * 2  # claims 5 entries; zipfile reads the directory anyway
    assert not too_many_entries(bytes(data), ZipLimits(max_entries=10))
    error = container_error(bytes(data), ZipLimits(max_entries=10))
    assert error is not None and "more than 10 parts" in error


def test_a_highly_compressed_part_is_refused():
    bomb = _docx_with_part(20 * 1024 * 1024)  # 20 MB of zeros in about 20 KB
    assert len(bomb) < 100 * 1024
    error = container_error(bomb)
    assert error is not None and "compressed far more than a document can be" in error


def test_too_much_to_unpack_is_refused():
    data = _docx_with_part(3 * 1024 * 1024)
    error = container_error(data, ZipLimits(max_unpacked_bytes=2 * 1024 * 1024, max_ratio=10**9))
    assert error is not None and "unpack to more than 2 MB" in error


def test_file_types_never_lists_a_container_with_too_many_entries(many_entries, no_zip_listing):
    assert file_types.sniff(many_entries) is None


def test_uploading_a_container_of_100000_entries_is_a_form_error(client, many_entries):
    world = make_world()
    db.session.commit()
    client.post("/sign-in", data={"email": world.user.email, "password": TEST_PASSWORD})
    drafting.respond(world.user, world.competition.id, "bidding")
    response = client.post(
        f"/bids/competitions/{world.competition.id}/attachments",
        data={"file": (io.BytesIO(many_entries), "plan.docx"), "criterion": ""},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "govuk-error-summary" in body and "more than 2,000 parts" in body
    assert db.session.scalar(select(func.count()).select_from(BidAttachment)) == 0


def test_the_service_refuses_it_too(many_entries):
    world = make_world()
    drafting.respond(world.user, world.competition.id, "bidding")
    with pytest.raises(ValidationError, match="more than 2,000 parts") as refused:
        files.add_attachment(world.user, world.competition.id, "plan.docx", many_entries)
    assert refused.value.field == "file"


# --- names ---------------------------------------------------------------------------------------


def test_a_long_name_keeps_its_extension():
    name = "a" * 300 + ".docx"
    short = shorten_name(name)
    assert len(short) == 255 and short.endswith(".docx") and short.startswith("aaa")
    assert shorten_name("b" * 300) == "b" * 255
    assert shorten_name("short.pdf") == "short.pdf"
    assert len(shorten_name("x" * 300 + "." + "y" * 40)) == 255  # not an extension: cut plainly


def test_a_stored_attachment_with_a_long_name_keeps_its_extension():
    world = make_world()
    drafting.respond(world.user, world.competition.id, "bidding")
    attachment = files.add_attachment(world.user, world.competition.id, "Our plan " * 40 + ".docx", DOCX)
    assert len(attachment.filename) <= 255 and attachment.filename.endswith(".docx")
    assert files.safe_filename("C:\\Users\\me\\" + "n" * 300 + ".xlsx").endswith(".xlsx")
