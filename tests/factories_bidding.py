"""Builders for the supplier-side bidding tests: an invited supplier with a user, sample files."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from portal.extensions import db
from portal.models import Competition, Supplier, User
from portal.services.bids import drafting
from tests.factories import make_organisation, make_supplier, make_user
from tests.factories_competition import leaf_criteria, make_competition

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 60


def office_file(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<document/>")
    return buffer.getvalue()


DOCX = office_file("word/document.xml")
XLSX = office_file("xl/workbook.xml")


@dataclass
class World:
    competition: Competition
    supplier: Supplier
    user: User
    rival: Supplier
    rival_user: User

    @property
    def quality(self):
        return leaf_criteria(self.competition, "quality")

    @property
    def pass_fail(self):
        return leaf_criteria(self.competition, "pass_fail")

    @property
    def lines(self):
        return sorted(self.competition.schedule_lines, key=lambda line: line.id)


def make_world(**competition_kw) -> World:
    """A published competition with two invited suppliers, each with a supplier user."""
    supplier, rival = make_supplier(), make_supplier()
    competition_kw.setdefault("organisation", make_organisation())
    competition = make_competition(suppliers=[supplier, rival], **competition_kw)
    world = World(
        competition,
        supplier,
        make_user("supplier", supplier=supplier),
        rival,
        make_user("supplier", supplier=rival),
    )
    db.session.commit()
    return world


def complete_draft(world: World, user: User | None = None) -> None:
    """Decide to bid and fill in every answer and price through the services."""
    user = user or world.user
    c = world.competition
    drafting.respond(user, c.id, "bidding")
    for criterion in world.quality:
        drafting.save_answer(user, c.id, criterion.id, f"We manage {criterion.title.lower()} well.")
    for criterion in world.pass_fail:
        drafting.save_answer(user, c.id, criterion.id, "Certificate CE-123, expires 2027", True)
    lines = world.lines
    drafting.save_prices(user, c.id, {lines[0].id: "10.00", lines[1].id: "500"})
