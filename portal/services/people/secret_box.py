"""Encrypting the small secrets the portal must read back (authenticator secrets) so a database dump does not hold them.

AES-256-GCM under a key derived from SECRET_KEY with HKDF; the user's id is bound in as associated data, so a
secret copied onto another account's row does not decrypt. Rotating SECRET_KEY makes stored secrets unreadable:
the users concerned set up their authenticator app again (staff reset it for them).
"""

from __future__ import annotations

import base64
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

_VERSION = "v1"
_NONCE_BYTES = 12


class SecretUnreadable(Exception):
    """The stored secret was made under another key, or altered."""


def _key() -> bytes:
    material = str(current_app.config["SECRET_KEY"]).encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"portal authenticator secrets").derive(material)


def seal(plain: str, owner_id: int) -> str:
    nonce = secrets.token_bytes(_NONCE_BYTES)
    sealed = AESGCM(_key()).encrypt(nonce, plain.encode(), f"user:{owner_id}".encode())
    return f"{_VERSION}:" + base64.urlsafe_b64encode(nonce + sealed).decode()


def open_sealed(stored: str, owner_id: int) -> str:
    version, _, body = stored.partition(":")
    if version != _VERSION:
        raise SecretUnreadable(f"unknown format {version!r}")
    try:
        raw = base64.urlsafe_b64decode(body.encode())
        plain = AESGCM(_key()).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], f"user:{owner_id}".encode())
    except (InvalidTag, ValueError) as exc:
        raise SecretUnreadable("cannot be decrypted with the current SECRET_KEY") from exc
    return plain.decode()
