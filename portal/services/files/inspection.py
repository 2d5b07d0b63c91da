"""Judging an upload before it is stored: what it is (portal/domain/file_types.py) and, for a ZIP container (DOCX,
XLSX), whether it is worth opening at all (portal/domain/upload_inspection.py): too many entries, too much to
unpack, a ratio no document has. The container is judged first, in bounded time, so nothing else lists the
entries of a file that claims 100,000 of them."""

from __future__ import annotations

from portal.domain import file_types, upload_inspection


def upload_error(filename: str, data: bytes, max_bytes: int) -> str | None:
    """A GOV.UK error message for an unacceptable upload, or None when it may be stored."""
    if filename.strip() and data and len(data) <= max_bytes:
        error = upload_inspection.container_error(data)
        if error:
            return error
    return file_types.upload_error(filename, data, max_bytes)


def safe_filename(name: str) -> str:
    """The name to keep for an upload: its last path part, nothing that could break a header, at most 255
    characters with the extension kept."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '"\r\n').strip()
    return upload_inspection.shorten_name(cleaned) or "attachment"
