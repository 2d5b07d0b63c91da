"""Canonical JSON: the exact bytes the audit chain, the bid seal, frozen shortlists and documents hash."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction

import pytest

from portal.domain.audit_chain import GENESIS_HASH, event_hash
from portal.domain.canonical import canonical_json


@pytest.fixture(autouse=True)
def db():
    """Pure domain rules: no app and no database (overrides the suite's autouse database fixture)."""
    return None


def test_keys_are_sorted_with_no_insignificant_space():
    assert canonical_json({"b": [1, 2], "a": {"d": None, "c": True}}) == '{"a":{"c":true,"d":null},"b":[1,2]}'


def test_unicode_is_written_as_itself():
    assert canonical_json({"name": "Café £5 – “quoted”"}) == '{"name":"Café £5 – “quoted”"}'  # noqa: RUF001


def test_decimals_keep_their_exact_digits_as_strings():
    assert canonical_json([Decimal("12.50"), Decimal("0.1")]) == '["12.50","0.1"]'


def test_times_are_written_in_utc_and_dates_in_iso_8601():
    london_summer = timezone(timedelta(hours=1))
    at = datetime(2026, 6, 1, 13, 30, tzinfo=london_summer)
    assert canonical_json({"at": at, "on": date(2026, 6, 1)}) == '{"at":"2026-06-01T12:30:00+00:00","on":"2026-06-01"}'
    assert canonical_json(at) == canonical_json(at.astimezone(UTC))


@pytest.mark.parametrize("value", [Fraction(1, 3), object(), {1, 2}])
def test_anything_else_is_refused_rather_than_written_some_way(value):
    with pytest.raises(TypeError, match="cannot go into canonical JSON"):
        canonical_json({"value": value})


def test_an_audit_event_hashes_to_the_same_bytes_as_ever():
    # Pinned: events already on record were hashed this way, so any change here breaks every stored chain.
    content = {
        "id": 7,
        "occurred_at": "2026-06-01T12:30:00+00:00",
        "actor_id": None,
        "actor_label": "Zoë",
        "before": "{}",
        "after": '{"total":"12.50"}',
    }
    assert event_hash(content, GENESIS_HASH) == "ad0047b121374be51451693e4a6e4b566206e7f9a8d98517eebf4e52c8c8b830"
