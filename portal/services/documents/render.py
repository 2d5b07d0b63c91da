"""Turns a document's data into an archival PDF: HTML from templates/documents/, then WeasyPrint.

The data is the whole input: it is serialised to canonical JSON (portal/domain/canonical.py), read back, and the
template renders only what was read back, so the JSON embedded in the PDF is exactly what a person reads on its pages.
The output is PDF/A-3a (tagged, Unicode, fonts embedded), with title, author, subject, language (en-GB)
and creation date in its metadata. Given the same data and generation time it is byte-for-byte the
same file: the PDF identifier and the attachment's dates are derived from them, never from the clock.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import version

import pydyf
import weasyprint
from flask import render_template

from portal.domain.canonical import canonical_json

# WeasyPrint logs every layout step at INFO; a command that issues documents (seed-demo, a worker) should not.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

PDF_VARIANT = "pdf/a-3a"
DATA_ATTACHMENT_NAME = "data.json"
AUTHOR = "Framework Portal"


@dataclass(frozen=True)
class DocumentMeta:
    title: str
    subject: str
    reference: str
    generated_at: datetime
    author: str = AUTHOR


@dataclass(frozen=True)
class RenderedDocument:
    pdf: bytes
    data_json: str
    data_sha256: str
    page_count: int


def generator() -> str:
    portal = version("framework-portal")
    return f"Framework Portal {portal}; WeasyPrint {weasyprint.__version__}; pydyf {pydyf.__version__}"


def render_html(template: str, data: dict, meta: DocumentMeta) -> str:
    return render_template(f"documents/{template}", data=data, meta=meta)


def render(template: str, data: dict, meta: DocumentMeta) -> RenderedDocument:
    """The PDF/A-3a for `data` through templates/documents/<template>, with the data embedded as JSON."""
    text = canonical_json(data)
    digest = hashlib.sha256(text.encode()).hexdigest()
    html = render_html(template, json.loads(text), meta)
    document = weasyprint.HTML(string=html).render()
    attachment = weasyprint.Attachment(
        string=text.encode(),
        name=DATA_ATTACHMENT_NAME,
        description=f"Structured data of this document ({meta.title})",
        relationship="Data",
        created=meta.generated_at,
        modified=meta.generated_at,
    )
    # PDF/A needs a file identifier; one derived from the content keeps the output reproducible.
    identifier = hashlib.sha256(f"{digest}|{meta.generated_at.isoformat()}|{template}".encode()).hexdigest()[:32]
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT, attachments=[attachment], pdf_identifier=identifier.encode())
    return RenderedDocument(pdf=pdf, data_json=text, data_sha256=digest, page_count=len(document.pages))
