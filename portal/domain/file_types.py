"""What an uploaded file really is, judged by its content (magic bytes), never by its name.

Accepted types: PDF, DOCX, XLSX, PNG and JPEG. DOCX and XLSX are ZIP packages, told apart by the
part that only each has (word/document.xml, xl/workbook.xml). Only the ZIP's central directory is
read, nothing is decompressed, so a ZIP bomb costs nothing here.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from portal.domain.upload_inspection import too_many_entries


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    media_type: str
    extensions: tuple[str, ...]
    article: str = "a"


PDF = FileType("pdf", "PDF", "application/pdf", (".pdf",))
PNG = FileType("png", "PNG image", "image/png", (".png",))
JPEG = FileType("jpeg", "JPEG image", "image/jpeg", (".jpg", ".jpeg"))
DOCX = FileType(
    "docx",
    "Word document (DOCX)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = FileType(
    "xlsx",
    "Excel spreadsheet (XLSX)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
    article="an",
)

ACCEPTED = (PDF, DOCX, XLSX, PNG, JPEG)
ACCEPTED_LIST = "PDF, DOCX, XLSX, PNG or JPEG"
ACCEPT_ATTRIBUTE = ",".join(ext for t in ACCEPTED for ext in t.extensions)

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ZIP_SIGNATURE = b"PK\x03\x04"
# Office packages mark their main part; a ZIP with neither is not a document we accept.
_OFFICE_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX))


def _office_type(data: bytes) -> FileType | None:
    if too_many_entries(data):
        return None  # no document has that many parts; refused before zipfile parses them (upload_inspection.py)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None
    for part, file_type in _OFFICE_PARTS:
        if part in names:
            return file_type
    return None


def sniff(data: bytes) -> FileType | None:
    """The accepted type the bytes are, or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(_PNG_SIGNATURE):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(_ZIP_SIGNATURE):
        return _office_type(data)
    return None


def megabytes(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(size // 1024, 1)} KB"
    value = size / (1024 * 1024)
    return f"{value:g} MB" if value == int(value) else f"{value:.1f} MB"


def upload_error(filename: str, data: bytes, max_bytes: int) -> str | None:
    """A GOV.UK error message for an unacceptable upload, or None when it is fine."""
    if not filename.strip():
        return "Select a file"
    if not data:
        return "The selected file is empty"
    if len(data) > max_bytes:
        return f"The selected file must be smaller than {megabytes(max_bytes)}"
    file_type = sniff(data)
    if file_type is None:
        return f"The selected file must be a {ACCEPTED_LIST}"
    if not filename.lower().endswith(file_type.extensions):
        return (
            f"The selected file is {file_type.article} {file_type.label} but its name does not end in "
            f"{' or '.join(file_type.extensions)}: check you chose the right file"
        )
    return None


# A complete PDF ends with an end-of-file marker within its last kilobyte (ISO 32000-1, 7.5.5, and readers' practice);
# a file cut short in transfer has none.
_PDF_EOF = b"%%EOF"
_PDF_TAIL_BYTES = 1024


def pdf_upload_error(filename: str, data: bytes, max_bytes: int) -> str | None:
    """A GOV.UK error message for an upload that must be a PDF (judged by its bytes), or None when it is one."""
    if filename.strip() and data and len(data) <= max_bytes:
        if sniff(data) is not PDF:
            return "The selected file must be a PDF"
        if _PDF_EOF not in data[-_PDF_TAIL_BYTES:]:
            return "The selected file is not a complete PDF: save it as a PDF again and upload that"
    return upload_error(filename, data, max_bytes)
