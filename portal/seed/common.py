"""Shared pieces of the demo seed: what was created, and fixed demo timestamps.

The seed writes models directly (it is not a user's action through a service), so it keeps its
own count of what it created and records the audit events itself, attributed to the system.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time

from portal.services import audit

# Labels for the per-kind summary events and the command's report, in the order they are created.
KIND_LABELS = {
    "buyer_organisation": ("buyer organisation", "buyer organisations"),
    "framework": ("framework", "frameworks"),
    "extension_option": ("extension option", "extension options"),
    "lot": ("lot", "lots"),
    "capability": ("capability", "capabilities"),
    "price_item": ("price item", "price items"),
    "supplier": ("supplier", "suppliers"),
    "accreditation": ("accreditation", "accreditations"),
    "exclusion": ("exclusion", "exclusions"),
    "lot_membership": ("lot membership", "lot memberships"),
    "capability_claim": ("capability claim", "capability claims"),
    "supplier_price": ("supplier price", "supplier prices"),
    "award_criterion": ("award criteria group or criterion", "award criteria groups and criteria"),
    "user": ("demo account", "demo accounts"),
}

SEED_EVENT = "demo.seeded"


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A UTC timestamp on a demo date, so seeded history reads as if it happened then."""
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


class Tally:
    """Counts the objects the seed created, by kind, so a second run can report 'nothing new'."""

    def __init__(self) -> None:
        self.created: Counter[str] = Counter()

    def add(self, kind: str, n: int = 1) -> None:
        self.created[kind] += n

    @property
    def total(self) -> int:
        return sum(self.created.values())

    def record_summaries(self) -> None:
        """One audit event per kind created, with its count (individual objects may have their own too)."""
        for kind, (singular, plural) in KIND_LABELS.items():
            n = self.created[kind]
            if n:
                audit.record(
                    None,
                    SEED_EVENT,
                    kind,
                    "demo",
                    summary=f"Demo data: {n} {singular if n == 1 else plural} created",
                    after={"created": n},
                )

    def report(self) -> str:
        if not self.total:
            return "Demo data already loaded: nothing new created."
        parts = []
        for kind, (singular, plural) in KIND_LABELS.items():
            n = self.created[kind]
            if n:
                parts.append(f"{n} {singular if n == 1 else plural}")
        return "Demo data loaded: " + ", ".join(parts) + "."
