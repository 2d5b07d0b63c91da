"""Rules for signing in: how far an address is slowed, what a recovery code looks like, who must use two factors.

Throttling follows one principle: an attacker may slow down their own address, but can never make the portal refuse
a correct password for an account that is not itself locked. An address with many recent failures is answered more
slowly (never refused); an account is locked only by failures against that account, and a lock does not extend
itself while it lasts.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable

RECOVERY_CODE_COUNT = 10
# Lower-case letters and digits without the look-alikes (0/o, 1/l/i), so a code copied by hand is read back right.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 10  # 31^10, about 2^49: far beyond guessing under the sign-in throttle
TOTP_DIGITS = 6

_SEPARATORS = re.compile(r"[\s\-]+")


def address_delay_seconds(recent_failures: int, threshold: int, cap_seconds: float) -> float:
    """How long to hold a sign-in attempt from an address with this many recent failures.

    None up to the threshold; then one second more for each further failure, up to the cap."""
    if threshold <= 0 or recent_failures < threshold:
        return 0.0
    return float(min(cap_seconds, recent_failures - threshold + 1))


def new_recovery_code() -> str:
    """A fresh recovery code, shown as two groups of five (`k7m2p-x9q4r`)."""
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
    half = RECOVERY_CODE_LENGTH // 2
    return f"{raw[:half]}-{raw[half:]}"


def new_recovery_codes() -> list[str]:
    return [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]


def normalise_code(text: str | None) -> str:
    """What was typed, without spaces or hyphens and in lower case: codes are compared in this form."""
    return _SEPARATORS.sub("", text or "").lower()


def is_totp_shape(code: str) -> bool:
    """Six digits: a code from an authenticator app (a recovery code has letters and is longer)."""
    return len(code) == TOTP_DIGITS and code.isascii() and code.isdigit()


def is_recovery_shape(code: str) -> bool:
    return len(code) == RECOVERY_CODE_LENGTH and all(c in RECOVERY_ALPHABET for c in code)


def two_factor_required(role: str, required_roles: Iterable[str]) -> bool:
    """Whether a user of this role must use an authenticator app to sign in (MFA_REQUIRED_ROLES)."""
    return role in set(required_roles)
