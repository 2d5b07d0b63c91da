"""Benchmark: every role's home page (its work queue) with 200 competitions in assorted states.

Run: .venv/bin/python bench/work_queues.py [--database-url postgresql://.../portal_bench] [--runs 50]
(DATABASE_URL is used when --database-url is not given.)

Builds (SQLite in a temporary file by default) one framework and lot, a buying organisation with a buyer, an
approver and an evaluator, a second organisation (noise its users must not see), 12 suppliers, and 200
competitions of the first organisation cycling through the states: draft, open for bids (half with unanswered
clarification questions), closed, closed with an opening started, in evaluation (the evaluator on the panel, three
submitted bids, declarations and some scores), moderated, award recommended, approved, standstill running. The bench
supplier is invited to every published competition: some invitations unanswered, some with a draft, a submitted bid
or one changed since submission. Staff have suspensions, exclusions and expiring accreditations to act on.

Then it signs in as each role through the Flask test client and times GET /dashboard `--runs` times after a
warm-up: wall-clock and this process's CPU time, p50 and p95. Target p95 <= 100 ms per page; exits 1 on a miss.
The process is set up as wsgi.py sets up a worker: create_app, then gc.freeze() of the startup objects.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text

from bench.catalogue_search import _percentile, _prepare_database
from portal import create_app
from portal.extensions import db
from portal.models import (
    Accreditation,
    Bid,
    BidSubmission,
    BuyerOrganisation,
    Clarification,
    Competition,
    CompetitionCriterion,
    CompetitionEvaluator,
    ConflictDeclaration,
    EvaluatorAssignment,
    Exclusion,
    Framework,
    Invitation,
    Lot,
    LotMembership,
    Score,
    Supplier,
    User,
)

PAGE_TARGET_MS = 100.0
BENCH_PASSWORD = "bench-queues-password"
COMPETITIONS, SUPPLIERS = 200, 12
STATES = (
    "draft",
    "open",
    "open_questions",
    "closed",
    "opening_started",
    "in_evaluation",
    "moderated",
    "recommended",
    "approved",
    "standstill",
)
ROLES = ("staff", "buyer", "approver", "evaluator", "supplier")


def _user(role: str, email: str, password_hash: str, **kw) -> User:
    return User(email=email, name=email.split("@")[0].title(), role=role, password_hash=password_hash, **kw)


def _competition(i: int, state: str, org: BuyerOrganisation, lot: Lot, buyer: User, approver: User, now: datetime):
    published = state != "draft"
    ahead = state in ("draft", "open", "open_questions")
    deadline = now + timedelta(days=2 + i % 20) if ahead else now - timedelta(days=5 + i % 10)
    c = Competition(
        reference=f"BENCH-MC-{i:04d}",
        buyer_organisation_id=org.id,
        lot_id=lot.id,
        created_by_id=buyer.id,
        title=f"Bench competition {i}",
        clarification_deadline_at=deadline - timedelta(days=1),
        submission_deadline_at=deadline,
        planned_evaluation_on=(now + timedelta(days=i % 15 - 5)).date(),
        planned_award_on=(now + timedelta(days=i % 15 + 5)).date(),
    )
    if published:
        c.published_at, c.published_by_id = now - timedelta(days=30), buyer.id
    if state == "opening_started":
        c.opening_started_at, c.opening_started_by_id = now - timedelta(minutes=5), approver.id
    order = ("in_evaluation", "moderated", "recommended", "approved", "standstill")
    if state in order:
        step = order.index(state)
        c.opened_at = c.opening_started_at = c.evaluation_started_at = deadline + timedelta(hours=1)
        c.opened_by_id = c.opening_started_by_id = buyer.id
        c.opening_confirmed_by_id = approver.id
        if step >= 1:
            c.moderated_at, c.moderated_by_id = now - timedelta(days=3), buyer.id
        if step >= 2:
            c.recommended_at, c.recommended_by_id = now - timedelta(days=2 + i % 5), buyer.id
        if step >= 3:
            c.approved_at, c.approved_by_id = now - timedelta(days=1), approver.id
        if step >= 4:
            c.standstill_started_at, c.standstill_ends_at = now - timedelta(days=1), now + timedelta(days=7)
    return c


def _build() -> None:
    from portal.services.people.accounts import hash_password

    now = datetime.now(UTC)
    hashed = hash_password(BENCH_PASSWORD)
    framework = Framework(
        reference="BENCH-FW",
        name="Bench framework",
        regime="pa2023",
        start_on=date(2025, 4, 1),
        initial_end_on=date(2029, 3, 31),
        max_call_off_months=36,
    )
    lot = Lot(framework=framework, number=1, title="Bench lot")
    org = BuyerOrganisation(name="Bench Constabulary", organisation_type="police", region="")
    other = BuyerOrganisation(name="Other Constabulary", organisation_type="police", region="")
    suppliers = [Supplier(legal_name=f"Bench Supplier {n} Ltd") for n in range(SUPPLIERS)]
    db.session.add_all([framework, lot, org, other, *suppliers])
    db.session.flush()
    staff = _user("staff", "bench.staff@bench.example", hashed)
    buyer = _user("buyer", "bench.buyer@bench.example", hashed, buyer_organisation=org)
    approver = _user("approver", "bench.approver@bench.example", hashed, buyer_organisation=org)
    evaluator = _user("evaluator", "bench.evaluator@bench.example", hashed, buyer_organisation=org)
    supplier_user = _user("supplier", "bench.supplier@bench.example", hashed, supplier=suppliers[0])
    stranger = _user("buyer", "other.buyer@bench.example", hashed, buyer_organisation=other)
    db.session.add_all([staff, buyer, approver, evaluator, supplier_user, stranger])
    db.session.flush()
    for n, s in enumerate(suppliers):
        status = "suspended" if n in (5, 6) else "active"
        db.session.add(
            LotMembership(
                supplier_id=s.id,
                lot_id=lot.id,
                joined_on=date(2025, 4, 1),
                status=status,
                status_reason="Certificate lapsed" if status != "active" else "",
                status_changed_at=now if status != "active" else None,
            )
        )
        db.session.add(
            Accreditation(
                supplier_id=s.id, scheme="Cyber Essentials Plus", expires_on=(now + timedelta(days=n * 10 - 20)).date()
            )
        )
    db.session.add(
        Exclusion(
            supplier_id=suppliers[7].id,
            ground="Bench exclusion",
            kind="discretionary",
            starts_on=(now - timedelta(days=30)).date(),
        )
    )
    bench_supplier, bidders = suppliers[0], suppliers[1:4]
    for i in range(COMPETITIONS):
        state = STATES[i % len(STATES)]
        owner = other if i % 25 == 24 else org
        c = _competition(i, state, owner, lot, buyer if owner is org else stranger, approver, now)
        db.session.add(c)
        db.session.flush()
        leaves = [
            CompetitionCriterion(
                competition_id=c.id, kind="quality", title=f"Q{k}", weight=Decimal("50"), scale_max=5, position=k
            )
            for k in range(2)
        ]
        db.session.add_all(leaves)
        if state == "draft":
            continue
        response = ("pending", "bidding", "declined")[i % 3]
        db.session.add(Invitation(competition_id=c.id, supplier_id=bench_supplier.id, response=response))
        for s in bidders:
            db.session.add(Invitation(competition_id=c.id, supplier_id=s.id, response="bidding"))
        if state == "open_questions":
            db.session.add(
                Clarification(
                    competition_id=c.id, supplier_id=bidders[0].id, asked_by_id=supplier_user.id, question="A question?"
                )
            )
        if state == "open" and i % 4 == 1:
            db.session.add(
                Clarification(
                    competition_id=c.id,
                    supplier_id=bidders[0].id,
                    asked_by_id=supplier_user.id,
                    question="Answered?",
                    answer="Yes.",
                    answered_by_id=buyer.id,
                    answered_at=now - timedelta(days=2),
                )
            )
        db.session.flush()
        if response == "bidding":
            _bench_bid(c, bench_supplier, supplier_user, i, now)
        for s in bidders:
            bid = _bench_bid(c, s, supplier_user, 1, now)  # submitted
            if state in ("in_evaluation", "moderated") and c.opened_at is not None:
                for leaf in leaves[: 1 + (i // 10) % 2]:
                    db.session.add(
                        Score(
                            competition_id=c.id,
                            bid_id=bid.id,
                            criterion_id=leaf.id,
                            evaluator_id=evaluator.id,
                            score=Decimal(3),
                            justification="Fine.",
                        )
                    )
        if state in ("in_evaluation", "moderated"):
            db.session.add(CompetitionEvaluator(competition_id=c.id, user_id=evaluator.id, assigned_by_id=buyer.id))
            for leaf in leaves:
                db.session.add(
                    EvaluatorAssignment(
                        competition_id=c.id, user_id=evaluator.id, criterion_id=leaf.id, assigned_by_id=buyer.id
                    )
                )
            for s in bidders[: 2 + (i // 10) % 2]:
                db.session.add(
                    ConflictDeclaration(competition_id=c.id, user_id=evaluator.id, supplier_id=s.id, has_conflict=False)
                )
    db.session.commit()


def _bench_bid(c: Competition, supplier: Supplier, user: User, i: int, now: datetime) -> Bid:
    """A draft, a submitted bid, or (every fourth of the bench supplier's) one saved since its submission."""
    kind = ("draft", "submitted", "changed", "submitted")[i % 4]
    submitted_at = now - timedelta(days=3)
    bid = Bid(
        competition_id=c.id,
        supplier_id=supplier.id,
        status="draft" if kind == "draft" else "submitted",
        updated_at=now - timedelta(days=1) if kind == "changed" else submitted_at - timedelta(hours=1),
    )
    db.session.add(bid)
    db.session.flush()
    if kind != "draft":
        db.session.add(
            BidSubmission(
                bid_id=bid.id,
                version=1,
                submitted_at=submitted_at,
                submitted_by_id=user.id,
                content_sealed="bench",
                content_sha256="0" * 64,
                total_price_sealed="bench",
            )
        )
    return bid


def _time_page(app, email: str, runs: int) -> tuple[list[float], list[float], int]:
    client = app.test_client()
    response = client.post("/sign-in", data={"email": email, "password": BENCH_PASSWORD})
    if response.status_code != 302:
        sys.exit(f"Could not sign in {email}.")
    timings, cpu, items = [], [], 0
    for i in range(runs + 1):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get("/dashboard")
        elapsed, elapsed_cpu = (time.perf_counter() - start) * 1000, (time.process_time() - start_cpu) * 1000
        html = response.get_data(as_text=True)
        if response.status_code != 200 or "What needs you" not in html:
            sys.exit(f"The home page of {email} answered {response.status_code}")
        if i:
            timings.append(elapsed)
            cpu.append(elapsed_cpu)
            items = html.count("govuk-task-list__item--with-link")
    return timings, cpu, items


def _profile(app, email: str) -> None:
    """BENCH_PROFILE=<role>: print where one role's page spends its time (cProfile, 20 requests)."""
    import cProfile
    import pstats

    client = app.test_client()
    client.post("/sign-in", data={"email": email, "password": BENCH_PASSWORD})
    client.get("/dashboard")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(20):
        client.get("/dashboard")
    profiler.disable()
    pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(40)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="postgresql://... (default: DATABASE_URL, else SQLite in a temp dir)",
    )
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--force", action="store_true", help="wipe a PostgreSQL database without 'bench' in its name")
    parser.add_argument("--no-gc-freeze", action="store_true", help="do not freeze the startup objects as wsgi.py does")
    args = parser.parse_args(argv)
    url = _prepare_database(args.database_url, args.force)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-only-secret-key",
            "WTF_CSRF_ENABLED": False,
            "LOGIN_MAX_FAILURES_PER_ACCOUNT": 1000,
            "MFA_REQUIRED_ROLES": frozenset(),
        }
    )
    if not args.no_gc_freeze:
        gc.freeze()  # as wsgi.py does right after create_app
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        started = time.perf_counter()
        _build()
        build_s = time.perf_counter() - started
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        dialect = db.engine.dialect.name
        db.session.remove()
    if os.environ.get("BENCH_PROFILE"):
        _profile(app, f"bench.{os.environ['BENCH_PROFILE']}@bench.example")
    load_before = os.getloadavg()[0]
    results = {role: _time_page(app, f"bench.{role}@bench.example", args.runs) for role in ROLES}

    print(
        f"\nHome page (work queue) benchmark on {dialect}: {COMPETITIONS} competitions in {len(STATES)} states, "
        f"{SUPPLIERS} suppliers (built in {build_s:.1f} s); {args.runs} requests per role after a warm-up\n"
    )
    header = (
        f"{'role':<12}{'items':>6}{'p50 ms':>9}{'p95 ms':>9}{'max':>8}{'target':>8}  result{'cpu p50':>9}{'cpu p95':>9}"
    )
    print(header)
    print("-" * len(header))
    missed = False
    for role, (samples, cpu, items) in results.items():
        p50, p95 = statistics.median(samples), _percentile(samples, 95)
        ok = p95 <= PAGE_TARGET_MS
        missed |= not ok
        print(
            f"{role:<12}{items:>6}{p50:>9.1f}{p95:>9.1f}{max(samples):>8.1f}{PAGE_TARGET_MS:>8.0f}  "
            f"{'met   ' if ok else 'MISSED'}{statistics.median(cpu):>9.1f}{_percentile(cpu, 95):>9.1f}"
        )
    # The target is wall-clock time; CPU time and the load average help to read figures from a busy machine.
    print(f"\nLoad average (1 min): {load_before:.1f} before, {os.getloadavg()[0]:.1f} after; {os.cpu_count()} CPUs.")
    print("Startup objects frozen (gc.freeze) as in wsgi.py." if not args.no_gc_freeze else "No gc.freeze.")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
