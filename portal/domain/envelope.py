"""The envelope format of sealed bid content: AES-256-GCM under a data key, the data key wrapped by a master key.

Pure: bytes and keys in, bytes out (no Flask, no database). portal/services/bids/crypto.py owns the keys.

A sealed value is   version (1 byte) | key id (4 bytes, big-endian) | nonce (12 bytes) | ciphertext and tag.
The version and key id are authenticated with the caller's associated data (which names the row, the bid and the
field), so a ciphertext copied onto another row, another bid or another field does not decrypt, and neither does
one whose header was edited. The key id names the data key (its row), so keys can be replaced one day while old
values still say which key opens them. Text columns hold the same bytes as `s1.` + URL-safe base64.

A data key is wrapped the same way under the master key, with the competition and key id as associated data.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = 1
KEY_BYTES = 32
_NONCE_BYTES = 12
_HEADER_BYTES = 1 + 4
_TEXT_PREFIX = "s1."


class EnvelopeError(ValueError):
    """A sealed value that cannot be opened: another key, other associated data, altered, or not sealed at all."""


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def associated_data(*parts: object) -> bytes:
    """The associated data naming where a value belongs, e.g. ('bid_answer', bid_id, criterion_id, 'text')."""
    return "|".join(str(part) for part in parts).encode("utf-8")


def _header(key_id: int) -> bytes:
    if not 0 < key_id < 2**32:
        raise EnvelopeError(f"key id {key_id} out of range")
    return bytes([VERSION]) + key_id.to_bytes(4, "big")


def seal(key: bytes, key_id: int, plaintext: bytes, aad: bytes) -> bytes:
    header = _header(key_id)
    nonce = secrets.token_bytes(_NONCE_BYTES)
    return header + nonce + AESGCM(key).encrypt(nonce, plaintext, header + aad)


def key_id_of(sealed: bytes) -> int:
    if len(sealed) < _HEADER_BYTES + _NONCE_BYTES + 16 or sealed[0] != VERSION:
        raise EnvelopeError("not a sealed value of a known version")
    return int.from_bytes(sealed[1:_HEADER_BYTES], "big")


def open_sealed(key: bytes, sealed: bytes, aad: bytes) -> bytes:
    key_id_of(sealed)  # checks version and length
    header, nonce = sealed[:_HEADER_BYTES], sealed[_HEADER_BYTES : _HEADER_BYTES + _NONCE_BYTES]
    try:
        return AESGCM(key).decrypt(nonce, sealed[_HEADER_BYTES + _NONCE_BYTES :], header + aad)
    except InvalidTag as error:
        raise EnvelopeError("the sealed value does not open with this key and associated data") from error


def to_text(sealed: bytes) -> str:
    return _TEXT_PREFIX + base64.urlsafe_b64encode(sealed).decode("ascii")


def from_text(text: str) -> bytes:
    if not text.startswith(_TEXT_PREFIX):
        raise EnvelopeError("not a sealed text value")
    try:
        return base64.urlsafe_b64decode(text[len(_TEXT_PREFIX) :].encode("ascii"))
    except (binascii.Error, ValueError) as error:
        raise EnvelopeError("a sealed text value that is not base64") from error


def wrap_aad(competition_id: int, key_id: int) -> bytes:
    return associated_data("competition_data_key", competition_id, key_id)


def wrap(master: bytes, data_key: bytes, competition_id: int, key_id: int) -> bytes:
    return seal(master, key_id, data_key, wrap_aad(competition_id, key_id))


def unwrap(master: bytes, wrapped: bytes, competition_id: int, key_id: int) -> bytes:
    if key_id_of(wrapped) != key_id:
        raise EnvelopeError("the wrapped key names another key id")
    return open_sealed(master, wrapped, wrap_aad(competition_id, key_id))


def parse_master_key(text: str) -> bytes:
    """SEAL_MASTER_KEY: 32 random bytes written as 64 hex digits or as (URL-safe) base64."""
    text = text.strip()
    raw: bytes | None = None
    if len(text) == 2 * KEY_BYTES:
        try:
            raw = bytes.fromhex(text)
        except ValueError:
            raw = None
    if raw is None:
        try:
            raw = base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
        except (binascii.Error, ValueError):
            raw = None
    if raw is None or len(raw) != KEY_BYTES:
        raise EnvelopeError("SEAL_MASTER_KEY must be 32 random bytes as 64 hex digits or base64")
    return raw


def master_key_id(master: bytes) -> str:
    """A short public name for a master key (which one wrapped a data key), revealing nothing usable about it."""
    return hashlib.sha256(b"portal seal master key id\x00" + master).hexdigest()[:16]
