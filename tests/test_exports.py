"""The generic table exports: streamed CSV and typed XLSX, with formula injection neutralised."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from portal.services import exports
from portal.services.exports import DATE, MONEY, NUMBER, Column

COLUMNS = [
    Column("Name", lambda r: r["name"]),
    Column("Start", lambda r: r["start"], DATE),
    Column("Signed", lambda r: r["signed"], DATE),
    Column("Value", lambda r: r["value"], MONEY),
    Column("Count", lambda r: r["count"], NUMBER),
]
ROWS = [
    {"name": "=HYPERLINK(\"http://evil\")", "start": date(2027, 4, 1), "value": 123_456, "count": 3,
     "signed": datetime(2026, 6, 30, 23, 30, tzinfo=UTC)},
    {"name": "Plain, with comma", "start": None, "value": None, "count": 0, "signed": None},
]  # fmt: skip


def test_neutralise_prefixes_every_formula_trigger():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert exports.neutralise(text) == "'" + text
    assert exports.neutralise("Safe = text") == "Safe = text"


def test_csv_streams_labels_dates_and_pounds():
    lines = list(exports.csv_lines(COLUMNS, ROWS))
    assert len(lines) == 3 and lines[0].startswith("\ufeff")
    parsed = list(csv.reader(io.StringIO("".join(lines).lstrip("\ufeff"))))
    assert parsed[0] == ["Name", "Start", "Signed", "Value", "Count"]
    # Signed at 23:30 UTC on 30 June is 1 July in London.
    assert parsed[1] == ['\'=HYPERLINK("http://evil")', "2027-04-01", "2026-07-01", "1234.56", "3"]
    assert parsed[2] == ["Plain, with comma", "", "", "", "0"]


def test_xlsx_has_typed_cells_formats_bold_header_and_frozen_panes():
    data = exports.xlsx_bytes(COLUMNS, ROWS, "Register")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Register" and sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == ["Name", "Start", "Signed", "Value", "Count"]
    assert all(c.font.bold for c in sheet[1])
    name, start, signed, value, count = sheet[2]
    assert name.value == '\'=HYPERLINK("http://evil")' and name.data_type == "s"
    assert start.value == datetime(2027, 4, 1) and start.number_format == exports.DATE_FORMAT
    assert signed.value == datetime(2026, 7, 1)
    assert value.value == Decimal("1234.56") or value.value == 1234.56
    assert value.number_format == exports.MONEY_FORMAT and value.data_type == "n"
    assert count.value == 3
    assert [c.value for c in sheet[3]] == ["Plain, with comma", None, None, None, 0]


def test_filename_is_safe_and_dated():
    assert exports.filename("Contract register", "csv", date(2026, 12, 8)) == "Contract-register-2026-12-08.csv"


def test_xlsx_bytes_depend_on_the_table_only():
    first = exports.xlsx_bytes(COLUMNS, ROWS, "Register")
    assert exports.xlsx_bytes(COLUMNS, ROWS, "Register") == first
    assert exports.xlsx_bytes(COLUMNS, ROWS[:1], "Register") != first
