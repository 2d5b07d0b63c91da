"""Benchmark: score 200 bids x 50 criteria x 5 evaluators, with ranking, robustness and disagreement flags.

The competition is generated deterministically (seeded random): Quality 60 % (9 criteria, each split into 5
sub-criteria on mixed scales, with minimum scores), Social value 10 % (4 criteria), Price 30 % (1 criterion), so
50 scored criteria; one pass/fail criterion; 200 bids with 5 evaluators' scores each.

Each run times ``evaluate`` (validation, disqualification, weighted scores, price, totals, abnormally low flags,
ranking with tie-breaks, robustness) plus ``find_disagreements`` over 200 x 49 x 5 individual scores.

    .venv/bin/python bench/scoring.py [--runs 20] [--method lowest|mean|linear]

Prints min / median / p95 in milliseconds and exits 1 if the median exceeds the 200 ms budget.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The path line above lets the script run from anywhere, without installing the package.
from portal.domain.scoring import (
    BidInput,
    CriteriaTree,
    Criterion,
    CriterionKind,
    EvaluatorScores,
    Group,
    PassFailCriterion,
    ScoringRules,
    evaluate,
    find_disagreements,
    leaves,
)

BUDGET_MS = 200
BIDS, EVALUATORS, SEED = 200, 5, 20240601
SCALES = (4, 5, 10, 100)


def build_tree() -> CriteriaTree:
    quality = []
    weights = [Decimal(11)] * 8 + [Decimal(12)]  # 9 criteria adding to 100
    for index, weight in enumerate(weights):
        scale = SCALES[index % len(SCALES)]
        # A minimum score on the first sub-criterion of each criterion disqualifies a few bids, as in real life.
        subs = tuple(
            Criterion(
                f"q{index}.{sub}",
                f"Quality {index}.{sub}",
                Decimal(20),
                scale_max=scale,
                minimum_score=Decimal(scale) / 10 if sub == 0 else None,
            )
            for sub in range(5)
        )
        quality.append(Criterion(f"q{index}", f"Quality {index}", weight, sub_criteria=subs))
    social = tuple(Criterion(f"s{index}", f"Social value {index}", Decimal(25), scale_max=5) for index in range(4))
    price = (Criterion("price", "Total price", Decimal(100), kind=CriterionKind.PRICE),)
    return CriteriaTree(
        groups=(
            Group("quality", "Quality", Decimal(60), tuple(quality)),
            Group("social", "Social value", Decimal(10), social),
            Group("price", "Price", Decimal(30), price),
        ),
        pass_fail=(PassFailCriterion("cyber", "Holds Cyber Essentials Plus"),),
    )


def build_bids(tree: CriteriaTree, rng: random.Random) -> tuple[list[BidInput], list[EvaluatorScores]]:
    quality = [leaf for leaf in leaves(tree) if leaf.kind is CriterionKind.QUALITY]
    bids, individual = [], []
    for number in range(BIDS):
        key, scores, ability = f"bid-{number:03d}", {}, rng.uniform(0.3, 0.95)
        for leaf in quality:
            # Evaluators broadly agree around the bid's real standing, give or take a tenth of the scale or more.
            centre, wobble = round(ability * leaf.scale_max), max(1, leaf.scale_max // 10)
            marks = [
                Decimal(min(leaf.scale_max, max(0, centre + rng.randint(-wobble, wobble)))) for _ in range(EVALUATORS)
            ]
            individual.append(EvaluatorScores(key, leaf.key, tuple(marks)))
            scores[leaf.key] = sorted(marks)[EVALUATORS // 2]  # the moderator settles on the median here
        passes = rng.random() > 0.02
        price = rng.randint(40_000_00, 90_000_00)
        bids.append(BidInput(key, f"Supplier {number}", scores, {"cyber": passes}, price))
    return bids, individual


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--method", default="lowest", choices=("lowest", "mean", "linear"))
    args = parser.parse_args()
    tree = build_tree()
    bids, individual = build_bids(tree, random.Random(SEED))
    rules = ScoringRules(price_method=args.method, budget_pence=100_000_00)
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        result = evaluate(tree, bids, rules)
        flagged = find_disagreements(tree, individual)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    print(
        f"{BIDS} bids x {len(individual) // BIDS + 1} criteria x {EVALUATORS} evaluators, method {args.method}: "
        f"{len(result.ranked)} ranked, {len(result.disqualified)} disqualified, {len(flagged)} disagreements"
    )
    print(f"robustness: {result.robustness.statement}")
    print(
        f"runs {args.runs}: min {timings[0]:.1f} ms, median {median:.1f} ms, p95 {p95:.1f} ms (budget {BUDGET_MS} ms)"
    )
    return 1 if median > BUDGET_MS else 0


if __name__ == "__main__":
    sys.exit(main())
