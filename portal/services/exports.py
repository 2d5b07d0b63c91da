"""Exporting a table as CSV (streamed) or XLSX, for any of the portal's tables.

A table is a list of columns, each with a header (a label, never an internal code), a kind and how to read its value
from a row. Kinds: text, date (a date, shown as a date), money (integer pence, exported as pounds: a number in the
CSV, a number with a currency format in the XLSX) and number. Text that a spreadsheet would run as a formula (it
begins with = + - @, a tab or a carriage return) is neutralised by a leading apostrophe (OWASP CSV injection).
The XLSX has a bold header row and frozen panes, so the header stays in view, and a sensible width per column.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from portal.domain.timefmt import london

R = TypeVar("R")

TEXT, DATE, MONEY, NUMBER = "text", "date", "money", "number"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = '"£"#,##0.00'
DATE_FORMAT = "dd/mm/yyyy"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column(Generic[R]):
    header: str
    value: Callable[[R], Any]
    kind: str = TEXT
    width: int = 20


def neutralise(text: str) -> str:
    """Text a spreadsheet will show, never run: a leading formula character gets an apostrophe before it."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _pounds(pence: int) -> Decimal:
    return (Decimal(pence) / 100).quantize(Decimal("0.01"))


def _typed(kind: str, value: Any) -> Any:
    """The cell's value: None stays empty, a date stays a date, pence become pounds, text is neutralised."""
    if value is None:
        return None
    if kind == DATE:
        return london(value).date() if isinstance(value, datetime) else value
    if kind == MONEY:
        return _pounds(int(value))
    if kind == NUMBER:
        return value
    return neutralise(str(value))


def _csv_text(kind: str, value: Any) -> str:
    typed = _typed(kind, value)
    if typed is None:
        return ""
    if isinstance(typed, date):
        return typed.isoformat()
    return str(typed)


def csv_lines(columns: Sequence[Column[R]], rows: Iterable[R]) -> Iterator[str]:
    """The CSV, a line at a time (to stream): a byte order mark so Excel reads UTF-8, the header, then each row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values: list[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield "\ufeff" + line([neutralise(c.header) for c in columns])
    for row in rows:
        yield line([_csv_text(c.kind, c.value(row)) for c in columns])


def xlsx_bytes(columns: Sequence[Column[R]], rows: Iterable[R], sheet_title: str) -> bytes:
    """The XLSX workbook: one sheet, a bold frozen header row, typed cells with date and currency formats."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has its one sheet
    sheet.title = neutralise(sheet_title)[:31]
    sheet.append([neutralise(c.header) for c in columns])
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    for row in rows:
        sheet.append([_typed(c.kind, c.value(row)) for c in columns])
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(row=sheet.max_row, column=index)
            if column.kind == MONEY:
                cell.number_format = MONEY_FORMAT
            elif column.kind == DATE:
                cell.number_format = DATE_FORMAT
            elif column.kind == TEXT:
                cell.data_type = "s"  # never a formula, whatever openpyxl would guess
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return _deterministic(out.getvalue())


_STAMPED = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)")


def _deterministic(data: bytes) -> bytes:
    """The same table gives the same bytes: openpyxl stamps the save time into the document properties and every
    zip entry, which would make two exports of unchanged data differ (and say when a table was read)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _STAMPED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<3>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return out.getvalue()


def filename(stem: str, extension: str, today: date) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in stem)
    return f"{safe}-{today.isoformat()}.{extension}"
