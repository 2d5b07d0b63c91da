"""Benchmark catalogue search at G-Cloud scale, in the service layer and through the web page.

Builds a fresh database, fills it with bench/generate_catalogue.py (5,000 suppliers, 40,000
capability claims by default), then times searches that combine a keyword with two filters (a lot
and an accreditation held), varying both over the runs:
- the service: `portal.services.catalogue.search` (target p95 <= 30 ms);
- the page: GET /catalogue/search through Flask's test client, signed in (target p95 <= 100 ms).
It prints a table and exits with status 1 if a target is missed.

Usage (from the repository root):

    .venv/bin/python bench/catalogue_search.py
        SQLite, in a new file in a temporary directory (deleted afterwards).
    .venv/bin/python bench/catalogue_search.py --database-url postgresql://postgres@127.0.0.1:5432/portal_bench_catalogue
        PostgreSQL; the database is created if missing and its public schema is DROPPED and rebuilt
        with the migrations, so the name must contain "bench" (or pass --force).

Options: --runs N (default 200), --suppliers N, --claims N, --seed N.
`make bench` runs the SQLite variant.
"""

from __future__ import annotations

import argparse
import atexit
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate_catalogue import generate
from portal import create_app
from portal.config import _database_url
from portal.extensions import db
from portal.services.catalogue import search

SERVICE_TARGET_MS = 30.0
PAGE_TARGET_MS = 100.0
WARM_UP_RUNS = 10
BENCH_PASSWORD = "bench-password-not-secret"

KEYWORDS = [
    "social listening",
    "critical incident",
    "instagram",
    "safeguarding",
    "24/7 contact",
    "neighbourhood policing",
    "sentiment analysis",
    "audit trail",
    "tiktok scheduling",
    "missing persons",
    "crime reporting",
    "welsh",
    "moderation",
    "chatbot triage",
    "single sign-on",
    "county lines",
    "misinformation",
    "control rooms",
    "Salesforce",
    "geofenc",
    "public confidence",
    "engagement",
    "knife crime",
    "live chat",
    "drones",
    "ambulance trusts",
    "dashboards",
    "retention policies",
    "Blue Lamp",
    "Kestrel Digital",
    "fraud prevention",
    "hate crime reporting",
    "data export",
    "bodycam evidential capture",
    "99.95% availability",
    "coronation",
]


def _prepare_database(url: str, force: bool) -> str:
    """Return the SQLAlchemy URL of an empty database for this run."""
    if not url:
        folder = tempfile.mkdtemp(prefix="portal-bench-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)  # the file is only for this run
        path = Path(folder) / "bench.sqlite3"
        return f"sqlite:///{path}"
    url = _database_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        sys.exit("Only SQLite (default) and PostgreSQL URLs are supported.")
    if "bench" not in (parsed.database or "") and not force:
        sys.exit(f"Refusing to wipe database {parsed.database!r}: its name does not contain 'bench' (use --force).")
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}):
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def _percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def _queries(generated, runs: int, seed: int) -> list[dict]:
    """Keyword + lot + accreditation, varied per run (same sequence for service and page)."""
    rng = random.Random(seed)
    return [
        {
            "q": rng.choice(KEYWORDS),
            "lot_id": rng.choice(generated.lot_ids),
            "accreditation": rng.choice(generated.schemes),
        }
        for _ in range(runs)
    ]


def _time_service(queries: list[dict], today: date) -> tuple[list[float], list[float], list[int]]:
    timings, cpu, totals = [], [], []
    for i, q in enumerate([*queries[:WARM_UP_RUNS], *queries]):
        db.session.remove()  # each request starts with a fresh session; not part of the timing
        params = search.SearchParams(keywords=q["q"], lot_id=q["lot_id"], accreditation=q["accreditation"])
        start, start_cpu = time.perf_counter(), time.process_time()
        result = search.search(params, today)
        elapsed, elapsed_cpu = (time.perf_counter() - start) * 1000, (time.process_time() - start_cpu) * 1000
        if i >= WARM_UP_RUNS:
            timings.append(elapsed)
            cpu.append(elapsed_cpu)
            totals.append(result.total)
    return timings, cpu, totals


def _time_page(app, queries: list[dict]) -> tuple[list[float], list[float]]:
    client = app.test_client()
    response = client.post("/sign-in", data={"email": "bench.buyer@bench.example", "password": BENCH_PASSWORD})
    if response.status_code != 302:
        sys.exit("Could not sign in the benchmark user.")
    timings, cpu = [], []
    for i, q in enumerate([*queries[:WARM_UP_RUNS], *queries]):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get("/catalogue/search", query_string=q)
        elapsed, elapsed_cpu = (time.perf_counter() - start) * 1000, (time.process_time() - start_cpu) * 1000
        if response.status_code != 200:
            sys.exit(f"/catalogue/search answered {response.status_code} for {q}")
        if i >= WARM_UP_RUNS:
            timings.append(elapsed)
            cpu.append(elapsed_cpu)
    return timings, cpu


def _make_buyer() -> None:
    from portal.models import BuyerOrganisation, User
    from portal.services.people.accounts import hash_password

    org = BuyerOrganisation(name="Bench Constabulary", organisation_type="police", region="")
    db.session.add(org)
    db.session.add(
        User(
            email="bench.buyer@bench.example",
            name="Bench Buyer",
            role="buyer",
            password_hash=hash_password(BENCH_PASSWORD),
            buyer_organisation=org,
        )
    )
    db.session.commit()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="", help="postgresql://... (default: SQLite in a temp dir)")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--suppliers", type=int, default=5000)
    parser.add_argument("--claims", type=int, default=40000)
    parser.add_argument("--seed", type=int, default=20210601)
    parser.add_argument("--force", action="store_true", help="wipe a PostgreSQL database without 'bench' in its name")
    args = parser.parse_args(argv)

    url = _prepare_database(args.database_url, args.force)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-only-secret-key",
            "WTF_CSRF_ENABLED": False,
            "LOGIN_MAX_FAILURES_PER_ACCOUNT": 1000,
        }
    )
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        started = time.perf_counter()
        generated = generate(db.engine, suppliers=args.suppliers, claims=args.claims, seed=args.seed)
        generation_s = time.perf_counter() - started
        _make_buyer()
        if db.engine.dialect.name == "postgresql":
            # What autovacuum would soon do after a bulk load: statistics and the visibility map.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        queries = _queries(generated, args.runs, args.seed)
        load_before = os.getloadavg()[0]
        service, service_cpu, totals = _time_service(queries, date.today())
        dialect = db.engine.dialect.name
        db.session.remove()
    page, page_cpu = _time_page(app, queries)
    load_after = os.getloadavg()[0]

    print(
        f"\nCatalogue search benchmark on {dialect}: {generated.suppliers:,} suppliers, "
        f"{generated.claims:,} claims (generated in {generation_s:.1f} s), {args.runs} runs each"
    )
    print(
        f"Each run: a keyword + lot + accreditation; results per run: median {statistics.median(totals):.0f}, "
        f"max {max(totals)}\n"
    )
    header = (
        f"{'measure':<28}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'target p95':>12}  result{'cpu p50':>10}{'cpu p95':>9}"
    )
    print(header)
    print("-" * len(header))
    missed = False
    measures = (
        ("service: catalogue.search", service, service_cpu, SERVICE_TARGET_MS),
        ("page: GET /catalogue/search", page, page_cpu, PAGE_TARGET_MS),
    )
    for name, samples, cpu, target in measures:
        p95 = _percentile(samples, 95)
        ok = p95 <= target
        missed |= not ok
        print(
            f"{name:<28}{_percentile(samples, 50):>9.1f}{p95:>9.1f}{max(samples):>9.1f}{target:>12.0f}  "
            f"{'met   ' if ok else 'MISSED'}{_percentile(cpu, 50):>10.1f}{_percentile(cpu, 95):>9.1f}"
        )
    # The targets are wall-clock time. This process's CPU time (it excludes the PostgreSQL server's
    # work) and the load average help to read figures taken on a busy machine.
    print(f"\nLoad average (1 min): {load_before:.1f} before, {load_after:.1f} after; {os.cpu_count()} CPUs.")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
