"""Reading generated PDFs in tests: PDF/A identification, tags, language, embedded JSON and text."""

from __future__ import annotations

import io
import json

import pikepdf
from pypdf import PdfReader

from portal.services.documents.render import DATA_ATTACHMENT_NAME


def pdf_text(pdf: bytes) -> str:
    """All the text of the PDF, whitespace collapsed so phrases can be searched across line breaks."""
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


def embedded_data(pdf: bytes) -> dict:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return json.loads(document.attachments[DATA_ATTACHMENT_NAME].get_file().read_bytes())


def assert_archival(pdf: bytes, title: str) -> None:
    """PDF/A-3a: XMP identification part 3 conformance A, a structure tree, en-GB, title and the JSON attachment."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        meta = document.open_metadata()
        assert meta["pdfaid:part"] == "3"
        assert meta["pdfaid:conformance"] == "A"
        assert meta["dc:title"] == title
        assert "/StructTreeRoot" in document.Root
        assert document.Root.MarkInfo.Marked is True
        assert str(document.Root.Lang) == "en-GB"
        assert str(document.docinfo["/Author"]) == "Framework Portal"
        assert str(document.docinfo["/Title"]) == title
        assert "/CreationDate" in document.docinfo
        attachment = document.attachments[DATA_ATTACHMENT_NAME]
        assert attachment.get_file().mime_type == "application/json"
        assert str(attachment.obj["/AFRelationship"]) == "/Data"
