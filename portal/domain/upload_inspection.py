"""Uploads that cost more than they are worth: ZIP containers (DOCX, XLSX and the other office formats) with too
many entries, too much to unpack or a compression ratio no document has; and names too long to keep whole.

A ZIP says at its end (the end-of-central-directory record) how many entries it has and how large its directory
is. That record is read first, by hand, so a file claiming 100,000 entries is refused in microseconds, before
zipfile parses a single entry (parsing 100,000 took a worker 20-28 s on the upload path). Only then is the
directory listed (zipfile.ZipFile.infolist, bounded by the entry limit) for the declared sizes; nothing is ever
decompressed. Declared sizes are what a reader (Word, Excel, an evaluator's machine) will try to unpack, so they
are what is judged.
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass

ZIP_SIGNATURE = b"PK\x03\x04"
_END_SIGNATURE = b"PK\x05\x06"
_END = struct.Struct("<4s4H2LH")  # signature, disk numbers, entries here, entries in all, directory size/offset
_END_SEARCH = _END.size + 0xFFFF  # the record, then a comment of at most 65,535 bytes
_DIRECTORY_ENTRY_BYTES = 46  # the fixed part of each central directory entry, before its name
_ZIP64_MARK = 0xFFFF

MAX_NAME_LENGTH = 255
_MAX_EXTENSION_LENGTH = 16


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int = 2_000  # a long Word document has about 30 parts, a large workbook a few hundred
    max_unpacked_bytes: int = 250 * 1024 * 1024
    max_ratio: int = 100  # unpacked / packed, judged for the whole file and for each entry over a megabyte
    ratio_floor_bytes: int = 1024 * 1024  # below this a part may compress as well as it likes (repetitive XML)


LIMITS = ZipLimits()
_RESAVE = "save it again from the program that made it and upload that"


def declared_entries(data: bytes) -> tuple[int, int] | None:
    """(entries, central directory size) from a ZIP's end record, or None when there is no readable record."""
    at = data.rfind(_END_SIGNATURE, max(0, len(data) - _END_SEARCH))
    if at < 0 or len(data) - at < _END.size:
        return None
    _, _, _, _, entries, directory_size, _, _ = _END.unpack_from(data, at)
    return entries, directory_size


def too_many_entries(data: bytes, limits: ZipLimits = LIMITS) -> bool:
    """True when the ZIP's own end record already rules it out (cheap: no entry is parsed)."""
    declared = declared_entries(data)
    if declared is None:
        return False  # not a readable ZIP: zipfile will say so, at no cost
    entries, directory_size = declared
    if entries >= _ZIP64_MARK:
        return True  # ZIP64 counts: 65,535 entries or more, far beyond any document
    return entries > limits.max_entries or directory_size > limits.max_entries * (_DIRECTORY_ENTRY_BYTES + 1024)


def container_error(data: bytes, limits: ZipLimits = LIMITS) -> str | None:
    """A GOV.UK error message when `data` is a ZIP container that is too costly to accept, else None."""
    if not data.startswith(ZIP_SIGNATURE):
        return None
    if too_many_entries(data, limits):
        return f"The selected file has more than {limits.max_entries:,} parts, which no document has: {_RESAVE}"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, struct.error):
        return None  # not a readable ZIP: file_types.upload_error refuses it as not a document we accept
    if len(entries) > limits.max_entries:  # the end record understated the count
        return f"The selected file has more than {limits.max_entries:,} parts, which no document has: {_RESAVE}"
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries)
    if unpacked > limits.max_unpacked_bytes:
        megabytes = limits.max_unpacked_bytes // (1024 * 1024)
        return f"The selected file would unpack to more than {megabytes} MB: {_RESAVE}"
    squeezed = any(
        entry.file_size > limits.ratio_floor_bytes and entry.file_size > limits.max_ratio * max(entry.compress_size, 1)
        for entry in entries
    )
    if squeezed or (unpacked > limits.ratio_floor_bytes and unpacked > limits.max_ratio * max(packed, 1)):
        return f"The selected file is compressed far more than a document can be: {_RESAVE}"
    return None


def shorten_name(name: str, limit: int = MAX_NAME_LENGTH) -> str:
    """`name` cut to `limit` characters, keeping its extension ("report....docx" stays a .docx)."""
    if len(name) <= limit:
        return name
    stem, dot, extension = name.rpartition(".")
    if dot and stem and 0 < len(extension) <= _MAX_EXTENSION_LENGTH and not any(c.isspace() for c in extension):
        return stem[: limit - len(extension) - 1].rstrip() + "." + extension
    return name[:limit]
