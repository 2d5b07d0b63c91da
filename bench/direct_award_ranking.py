"""Benchmark: direct-award matching and ranking across 5,000 suppliers with 10-item price cards (domain level).

Run: .venv/bin/python bench/direct_award_ranking.py [--suppliers 5000] [--runs 20]
Target (issue 4): well under 100 ms per match-and-rank. This times the pure domain function only; the service
layer adds loading the candidates from the database.

Two figures are printed: with the garbage collector running as in a web worker, and with it paused as Python's
`timeit` does. The difference is collection work over every live object in the process (the 5,000 candidates alone
are ~260,000 objects), which a full collection walks whenever one falls inside a run.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

# Run from anywhere: the project root on the path before importing the portal.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal.domain.direct_award import (
    Candidate,
    HeldAccreditation,
    PriceBasis,
    PriceItemQuantity,
    Requirement,
    shortlist,
)
from portal.domain.suppliers import FrameworkTerm, Membership, MembershipStatus, Period, PriceVersion, eligibility_on

ITEMS = 10
CAPABILITIES = range(1, 11)
SCHEMES = ("Cyber Essentials Plus", "ISO 27001", "ISO 9001")
START = date(2026, 4, 1)
TODAY = date(2026, 1, 15)
TERM = FrameworkTerm(date(2024, 1, 1), date(2028, 1, 1))
EXCLUSION = (Period(date(2025, 6, 1), date(2027, 6, 1)),)


def make_candidates(count: int, rng: random.Random) -> list[Candidate]:
    statuses = [MembershipStatus.ACTIVE] * 18 + [MembershipStatus.SUSPENDED, MembershipStatus.REMOVED]
    return [
        Candidate(
            supplier_id=n,
            name=f"Supplier {n:05d}",
            eligibility=eligibility_on(
                TODAY,
                Membership(rng.choice(statuses), TERM.start_on),
                EXCLUSION if rng.random() < 0.02 else (),
                TERM,
            ),
            capability_ids=frozenset(c for c in CAPABILITIES if rng.random() < 0.85),
            accreditations=tuple(
                HeldAccreditation(s, rng.choice([None, date(2026, 1, 1), date(2028, 1, 1)]))
                for s in SCHEMES
                if rng.random() < 0.9
            ),
            framework_ranking=rng.choice([None, *range(1, 50)]),
            # Three price versions per item: one superseded, one current on the start date, one future.
            prices={
                item: (
                    PriceVersion(date(2024, 1, 1), rng.randint(100, 90_000)),
                    PriceVersion(date(2025, 6, 1), rng.randint(100, 90_000)),
                    PriceVersion(date(2026, 9, 1), rng.randint(100, 90_000)),
                )
                for item in range(ITEMS)
                if rng.random() < 0.995
            },
        )
        for n in range(1, count + 1)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suppliers", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(2026)
    candidates = make_candidates(args.suppliers, rng)
    requirement = Requirement(frozenset({1, 2, 3}), frozenset({"Cyber Essentials Plus"}), 24, START)
    quantities = [
        PriceItemQuantity(item, f"Item {item}", PriceBasis.PER_MONTH if item % 2 else PriceBasis.ONE_OFF, 1 + item * 7)
        for item in range(ITEMS)
    ]
    result = shortlist(requirement, quantities, candidates, "lowest_cost", ["framework_ranking"])
    print(
        f"direct award match+rank, {args.suppliers:,} suppliers x {ITEMS} price items, {args.runs} runs "
        f"({len(result.capable):,} capable, {len(result.not_capable):,} not capable; "
        f"selected {result.selected.name if result.selected else 'none'})"
    )
    for gc_label, paused in (("gc running", False), ("gc paused", True)):
        wall_ms, cpu_ms = [], []
        if paused:
            gc.disable()
        for _ in range(args.runs):
            wall, cpu = time.perf_counter(), time.process_time()
            shortlist(requirement, quantities, candidates, "lowest_cost", ["framework_ranking"])
            wall_ms.append((time.perf_counter() - wall) * 1000)
            cpu_ms.append((time.process_time() - cpu) * 1000)
        gc.enable()
        print(f"  {gc_label:10}  wall: {_summary(wall_ms)}")
        print(f"  {gc_label:10}  cpu:  {_summary(cpu_ms)}")


def _summary(timings_ms: list[float]) -> str:
    ordered = sorted(timings_ms)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return (
        f"p50 {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms, min {ordered[0]:.1f} ms, max {ordered[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
