"""Benchmark: the direct award pages a buyer opens on a lot of 5,000 suppliers (10 price items).

Builds the same lot as bench/direct_award_service.py (SQLite in a temporary file by default), signs in as the
buyer through the Flask test client and times, after one warm-up each:

- GET /direct-awards/<id>/results: match and rank (from the lot's cached candidates), the evidence of every
  supplier (details, claims, accreditations, CSV rows) and the page, 50 suppliers a list;
- GET /direct-awards/<id>/results.csv: every row;
- GET /direct-awards/shortlists/<id>: a frozen shortlist of all 5,000 suppliers, read back from its JSON.

The issue sets no target for these pages (its 100 ms is for matching and ranking, bench/direct_award_service.py);
the figures are reported so a change that makes them worse shows. It exits 1 only if a page does not answer 200.
The process freezes its startup heap as wsgi.py does (gc.freeze).

Usage (from the repository root):

    .venv/bin/python bench/direct_award_pages.py [--runs 10] [--suppliers 5000]
    .venv/bin/python bench/direct_award_pages.py --database-url postgresql://postgres@127.0.0.1:5432/portal_bench_da
        PostgreSQL; its public schema is DROPPED and rebuilt, so the name must contain "bench".
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.catalogue_search import _percentile
from bench.direct_award_service import generate, make_awards, new_app, parse_arguments
from portal.extensions import db
from portal.models import User
from portal.services.people.accounts import hash_password

BENCH_PASSWORD = "bench-direct-award-password"


def _time(client, url: str, runs: int, expect: str) -> tuple[list[float], int]:
    timings, size = [], 0
    for i in range(runs + 1):
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200 or expect.encode() not in response.data:
            sys.exit(f"{url} answered {response.status_code}")
        if i:
            timings.append(elapsed)
            size = len(response.data)
    return timings, size


def _line(name: str, timings: list[float], size: int) -> str:
    return (
        f"  {name:<24} p50 {_percentile(timings, 50):7.1f} ms, p95 {_percentile(timings, 95):7.1f} ms, "
        f"max {max(timings):7.1f} ms; {size / 1024:,.0f} KiB"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(__doc__, 10, argv)
    app = new_app(args, WTF_CSRF_ENABLED=False)
    with app.app_context():
        world = generate(args.suppliers, args.seed)
        [award_id] = make_awards(world, 1, args.seed)
        buyer = db.session.get(User, world["buyer"].id)
        buyer.password_hash = hash_password(BENCH_PASSWORD)
        db.session.commit()
        db.session.remove()
    client = app.test_client()
    response = client.post("/sign-in", data={"email": "bench.buyer@bench.example", "password": BENCH_PASSWORD})
    if response.status_code != 302:
        sys.exit("Could not sign in the benchmark buyer.")
    results, results_size = _time(client, f"/direct-awards/{award_id}/results", args.runs, "Capable suppliers")
    csv, csv_size = _time(client, f"/direct-awards/{award_id}/results.csv", args.runs, "Rank,Supplier")
    started = time.perf_counter()
    response = client.post(f"/direct-awards/{award_id}/freeze")
    freeze_ms = (time.perf_counter() - started) * 1000
    if response.status_code != 302:
        sys.exit(f"Freezing answered {response.status_code}")
    shortlist_url = response.headers["Location"]
    frozen, frozen_size = _time(client, shortlist_url, args.runs, "Frozen shortlist version 1")
    with app.app_context():
        dialect = db.engine.dialect.name
    print(
        f"\nDirect award pages on {dialect}: {world['suppliers']:,} suppliers on one lot, 10 price items; "
        f"{args.runs} runs each after a warm-up"
    )
    print(_line("results page", results, results_size))
    print(_line("results CSV", csv, csv_size))
    print(_line("frozen shortlist page", frozen, frozen_size))
    print(f"  freezing the shortlist (once): {freeze_ms:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
