"""Common Procurement Vocabulary (CPV) codes: what a lot buys, in the classification notices carry.

A CPV code is eight digits, a hyphen and a check digit (for example 72000000-5, IT services: consulting, software
development, Internet and support; 48000000-8, software package and information systems). Find a Tender's notices
classify each item by one (`items[].classification` with scheme "CPV"). The portal checks the shape; whether the
code exists in the vocabulary is for the framework team, who copy it from their framework's own notice.
"""

from __future__ import annotations

import re

CPV_PATTERN = re.compile(r"^[0-9]{8}-[0-9]$")


def normalise_cpv(value: str | None) -> str:
    """Spaces dropped (codes are often pasted as "72000000 - 5"); an empty answer stays empty."""
    return re.sub(r"\s+", "", value or "")


def cpv_problem(value: str) -> str | None:
    """Why `value` (already normalised) is not a CPV code, or None; an empty value is allowed (no code yet)."""
    if not value or CPV_PATTERN.fullmatch(value):
        return None
    return "Enter a CPV code in the form 8 digits, a hyphen and a check digit, like 72000000-5"
