"""Pure rules of bidding: counting words like the GOV.UK component, and judging files by their content."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from portal.domain import file_types
from portal.domain.word_count import count_words, limit_message, over_limit
from portal.services.bids.drafting import time_left
from tests.factories_bidding import DOCX, EXE, JPEG, PDF, PNG, XLSX, office_file


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 0),
        (None, 0),
        ("   ", 0),
        ("one", 1),
        ("one two  three", 3),
        ("line one\nline two\ttabbed", 5),
        ("hyphen-ated words, with punctuation!", 4),
        ("£1,000 per-user licence", 3),
    ],
)
def test_words_are_counted_like_the_govuk_component(text, words):
    assert count_words(text) == words


def test_a_limit_is_over_only_when_exceeded():
    assert not over_limit("a " * 500, 500)
    assert over_limit("a " * 501, 500)
    assert not over_limit("a " * 9999, None)
    assert limit_message("Channel management", 500) == "Answer for Channel management must be 500 words or fewer"


@pytest.mark.parametrize(
    ("data", "key"),
    [(PDF, "pdf"), (PNG, "png"), (JPEG, "jpeg"), (DOCX, "docx"), (XLSX, "xlsx")],
)
def test_accepted_types_are_recognised_by_content(data, key):
    assert file_types.sniff(data).key == key


@pytest.mark.parametrize(
    "data",
    [EXE, b"", b"hello, plain text", b"PK\x03\x04not really a zip", office_file("content.xml"), b"GIF89a...."],
)
def test_other_content_is_not_accepted(data):
    assert file_types.sniff(data) is None


LIMIT = 1024


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("plan.pdf", PDF, None),
        ("PLAN.PDF", PDF, None),
        ("photo.jpeg", JPEG, None),
        ("photo.jpg", JPEG, None),
        ("sheet.xlsx", XLSX, None),
        ("", PDF, "Select a file"),
        ("empty.pdf", b"", "The selected file is empty"),
        ("big.pdf", PDF + b"x" * LIMIT, "The selected file must be smaller than 1 KB"),
        ("setup.pdf", EXE, "The selected file must be a PDF, DOCX, XLSX, PNG or JPEG"),
        ("image.pdf", PNG, "The selected file is a PNG image but its name does not end in .png"),
        ("report.docx", XLSX, "The selected file is an Excel spreadsheet (XLSX) but its name does not end in .xlsx"),
    ],
)
def test_upload_errors(name, data, message):
    error = file_types.upload_error(name, data, LIMIT)
    if message is None:
        assert error is None
    else:
        assert error.startswith(message)


def test_megabytes_are_shown_plainly():
    assert file_types.megabytes(20 * 1024 * 1024) == "20 MB"
    assert file_types.megabytes(1536 * 1024) == "1.5 MB"
    assert file_types.megabytes(300 * 1024) == "300 KB"


def test_time_left_reads_naturally():
    now = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    assert time_left(now + timedelta(days=3, hours=4, minutes=5), now) == "3 days 4 hours left"
    assert time_left(now + timedelta(hours=1, minutes=1), now) == "1 hour 1 minute left"
    assert time_left(now + timedelta(seconds=20), now) == "1 minute left"
    assert time_left(now, now) == "Deadline passed"
    assert time_left(None, now) == ""
