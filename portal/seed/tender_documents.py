"""Demo tender documents: a one-page specification (PDF) and a pricing workbook (XLSX), made by hand in
milliseconds (no PDF or spreadsheet library), attached through the service as the buyer would before publishing."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from portal.models import Competition, User
from portal.services.competitions import tender_documents


def _pdf(lines: list[str]) -> bytes:
    """A valid one-page PDF of plain text lines (Helvetica), with a correct cross-reference table."""

    def literal(line: str) -> str:
        return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = "BT /F1 11 Tf 56 780 Td 14 TL " + " ".join(f"({literal(line)}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        "/Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _xlsx(rows: list[list[str]]) -> bytes:
    """A minimal spreadsheet (one sheet of inline strings) that Excel and LibreOffice open."""
    ns = "http://schemas.openxmlformats.org/"
    cells = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>' for c, v in enumerate(row))
        + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{ns}package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{ns}package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{ns}spreadsheetml/2006/main" '
        f'xmlns:r="{ns}officeDocument/2006/relationships"><sheets>'
        '<sheet name="Prices" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{ns}package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{ns}spreadsheetml/2006/main"><sheetData>{cells}'
        "</sheetData></worksheet>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml)
    return buffer.getvalue()


def add_demo_tender_documents(buyer: User, competition: Competition) -> None:
    """Before publication: a specification and a pricing workbook for the competition."""
    specification = _pdf(
        [
            f"{competition.reference}: {competition.title}",
            "Specification",
            "",
            "1. The service must be available 24 hours a day, 7 days a week.",
            "2. Direct messages to force accounts must be kept for 7 years.",
            "3. Every user signs in with the force's single sign-on.",
        ]
    )
    workbook = _xlsx(
        [
            ["Item", "Unit", "Quantity", "Unit price (GBP)"],
            ["Licence", "per user per month", "10", ""],
            ["Onboarding", "per day", "3", ""],
        ]
    )
    for title, kind, name, data in (
        ("Specification", "specification", "specification.pdf", specification),
        ("Pricing workbook", "pricing_workbook", "pricing-workbook.xlsx", workbook),
    ):
        tender_documents.add_document(
            buyer,
            competition.id,
            title=title,
            document_type=kind,
            upload=tender_documents.Upload(name, data),
        )
