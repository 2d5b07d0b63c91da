"""Benchmark: a 10-page call-off contract renders in at most 1.5 x the time WeasyPrint takes for a plain document.

Run: .venv/bin/python bench/documents_contract.py [--runs 15] [--pages 10] [--verbose]

Builds (SQLite in a temporary folder) a mini-competition awarded to its winner through the real services
(tests/contract_support.py: scored, moderated, recommended, approved, standstill over, confirmed), with the
framework's demo call-off terms, five KPIs and bid answers long enough for the contract to come to about
`--pages` pages. Then, alternating the two so that both see the same machine load, it times:

- the contract: building its data (portal/services/documents/contract_data.py: bid content through the seal,
  the winner's evaluated scores, KPIs, the filled terms) and rendering it (portal/services/documents/render.py:
  canonical JSON, the template, WeasyPrint to PDF/A-3a with the tagged structure tree and the embedded JSON);
- a plain document: paragraphs of text in the same A4 layout and font, with exactly as many pages, written by
  WeasyPrint as an ordinary PDF.

Each is timed after one warm-up, in CPU time of this process (rendering is single-threaded, so this is the time
it takes; wall-clock time on a shared machine also counts the time spent waiting for a CPU, and is printed for
reference). The medians are compared. Exits 1 if the contract takes more than 1.5 x.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import weasyprint

from portal import create_app
from portal.extensions import db
from portal.services.documents import render as renderer

TARGET_RATIO = 1.5
PLAIN_PARAGRAPH = (
    "The supplier shall provide the services with the skill, care and diligence of a competent supplier of services "
    "of the same kind, in accordance with the statement of requirements, and shall report its performance against "
    "each key performance indicator every month, with the evidence the buyer reasonably asks for. "
)
KPIS = (
    ("Platform availability", "Minutes the platform is available as a share of minutes in the month", "99.9 %"),
    ("First response", "Median time from a public message to the first reply, 24/7", "Under 15 minutes"),
    ("Incident pause", "Time to pause all scheduled content after a critical incident is declared", "Under 5 minutes"),
    ("Support tickets", "Priority 1 tickets resolved within the service level", "95 % each month"),
    ("Training", "Officers trained in the first three months", "100 % of named users"),
)


def _plain_html(paragraphs: int) -> str:
    body = "".join(f"<p>{n}. {PLAIN_PARAGRAPH * 3}</p>" for n in range(1, paragraphs + 1))
    return (
        '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Plain</title><style>'
        "@page { size: A4; margin: 22mm 18mm 20mm 18mm; }"
        'html { font-family: "Liberation Sans", "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.4; }'
        "p { margin: 0 0 2.5mm; }</style></head><body>" + body + "</body></html>"
    )


def _plain_with_pages(pages: int) -> tuple[str, int]:
    """Plain HTML with exactly `pages` pages (paragraphs added until it has)."""
    paragraphs = pages * 6
    while True:
        html = _plain_html(paragraphs)
        count = len(weasyprint.HTML(string=html).render().pages)
        if count == pages:
            return html, paragraphs
        paragraphs += 1 if count < pages else -1


def _build_world(pages: int):
    from portal.services.contracts import kpis
    from portal.services.contracts.kpis import KpiInput
    from tests.contract_support import awarded_competition

    # Each quality answer adds about half a page per 300 words; the rest of the contract is about 6 pages.
    world = awarded_competition(answer_words=max(0, 300 * (pages - 6)))
    for title, measure, target in KPIS:
        kpis.add(world.buyer, "competition", world.id, KpiInput(title, measure, target))
    return world


def _contract_once(world) -> tuple[tuple[float, float], int]:
    from portal.services.contracts import call_offs
    from portal.services.documents import contract_data
    from portal.services.documents.contract import TEMPLATE

    started, cpu = time.perf_counter(), time.process_time()
    call_off = call_offs.for_user(world.buyer, "competition", world.id)
    data = contract_data.build(world.buyer, call_off)
    meta = renderer.DocumentMeta(
        title=f"Call-off contract: {call_off.reference}", subject="Benchmark", reference=call_off.reference,
        generated_at=datetime(2026, 12, 1, 12, 0, tzinfo=UTC),
    )  # fmt: skip
    rendered = renderer.render(TEMPLATE, data, meta)
    elapsed = (time.perf_counter() - started, time.process_time() - cpu)
    db.session.expire_all()  # nothing cached between runs
    return elapsed, rendered.page_count


def _plain_once(html: str) -> tuple[float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    weasyprint.HTML(string=html).write_pdf()
    return time.perf_counter() - started, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--verbose", action="store_true", help="print every run's CPU time")
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="portal-bench-contract-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
            "SECRET_KEY": "bench-only-secret-key",
            "FILE_STORE_PATH": str(Path(folder) / "files"),
            "MAIL_SERVER": "",
            "PASSWORD_HASH_FAST": True,
        }
    )
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        world = _build_world(args.pages)
        _, pages = _contract_once(world)  # warm-up (templates, fonts)
        plain_html, paragraphs = _plain_with_pages(pages)
        _plain_once(plain_html)
        contract, plain = [], []
        for _ in range(args.runs):
            gc.collect()  # neither run pays for the other's garbage
            seconds, pages = _contract_once(world)
            contract.append(seconds)
            gc.collect()
            plain.append(_plain_once(plain_html))
        if args.verbose:
            print("contract cpu ms:", [round(c * 1000) for _, c in contract])
            print("plain cpu ms:   ", [round(c * 1000) for _, c in plain])
    print(f"\nCall-off contract benchmark: {pages} pages each ({paragraphs} plain paragraphs); {args.runs} runs each")
    print(f"{'measure':<52}{'clock':>7}{'min ms':>9}{'median':>9}{'max':>9}")
    medians = {}
    for clock, index in (("cpu", 1), ("wall", 0)):
        for name, samples in (
            ("contract: data build + render (PDF/A-3a, tagged)", contract),
            ("plain: WeasyPrint HTML -> PDF, same pages", plain),
        ):
            values = [sample[index] * 1000 for sample in samples]
            medians[(clock, name[:5])] = statistics.median(values)
            print(f"{name:<52}{clock:>7}{min(values):>9.0f}{statistics.median(values):>9.0f}{max(values):>9.0f}")
    cpu_ratio = medians[("cpu", "contr")] / medians[("cpu", "plain")]
    wall_ratio = medians[("wall", "contr")] / medians[("wall", "plain")]
    verdict = "ok" if cpu_ratio <= TARGET_RATIO else "MISSED"
    print(
        f"\nratio contract / plain, medians: CPU time {cpu_ratio:.2f} (target <= {TARGET_RATIO}) {verdict}; "
        f"wall clock {wall_ratio:.2f} (for reference: it includes waiting for a CPU on a shared machine)"
    )
    return 0 if cpu_ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
