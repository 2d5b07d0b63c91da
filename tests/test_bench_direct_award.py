"""The direct award benchmarks still run end to end (on a small lot), so the scripts a person runs do not rot."""

from __future__ import annotations

import gc

import pytest

from bench import direct_award_pages, direct_award_service


@pytest.fixture(autouse=True)
def _unfreeze():
    yield
    gc.unfreeze()  # the scripts freeze the heap as wsgi.py does; give the rest of the suite its collector back


def test_service_benchmark_runs_and_meets_its_target_on_a_small_lot(capsys):
    assert direct_award_service.main(["--suppliers", "40", "--runs", "3"]) == 0
    out = capsys.readouterr().out
    assert "40 suppliers on one lot" in out and "target p95 <= 100 ms: met" in out


def test_pages_benchmark_opens_every_page(capsys):
    assert direct_award_pages.main(["--suppliers", "40", "--runs", "2"]) == 0
    out = capsys.readouterr().out
    for page in ("results page", "results CSV", "frozen shortlist page", "freezing the shortlist"):
        assert page in out
