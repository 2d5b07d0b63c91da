"""Scoring for mini-competitions: pure functions, exact arithmetic, no Flask and no SQLAlchemy.

Where each rule lives (every module docstring states its formulas):

- ``criteria``     the criteria tree, effective weights, weight validation (siblings add to 100, allowed ranges)
- ``outline``      every criterion and sub-criterion in tree order, and a criterion's sub-total (assessment summaries)
- ``price``        schedule totals, the price methods (``PRICE_METHODS``), the abnormally low price test
- ``evaluate``     ``evaluate(tree, bids, rules)``: disqualification, weighted scores, totals, then ranking and
                   robustness, in one call
- ``ranking``      order by total and the published tie-break rules (``TIE_BREAK_RULES``); unresolved ties
- ``robustness``   how far one top-level weight must move before the winner changes
- ``disagreement`` evaluators' spread above 40 % of the scale
- ``exact``        Decimal/Fraction rules and the display rounding (``ROUNDING_RULE``: 2 dp, half up)

Typical use (a service turns model rows into these dataclasses)::

    result = evaluate(tree, bids, ScoringRules(price_method="lowest"))
    result.winner, result.ranked, result.disqualified, result.robustness.statement
    display(result.bid(key).total)   # Decimal('72.35')
"""

from __future__ import annotations

from .criteria import (
    ALLOWED_SCALES,
    CriteriaProblem,
    CriteriaTree,
    Criterion,
    CriterionKind,
    Group,
    Leaf,
    PassFailCriterion,
    WeightRange,
    leaves,
    price_leaf,
    validate_criteria,
    weight_of,
)
from .disagreement import DISAGREEMENT_THRESHOLD, Disagreement, EvaluatorScores, find_disagreements
from .evaluate import BidInput, ScoringInputError, ScoringRules, evaluate
from .exact import MARGIN_ROUNDING_RULE, ROUNDING_RULE, Exact, display, display_down, percent_text
from .outline import OutlineRow, criteria_outline, criterion_subtotal
from .price import (
    ABNORMALLY_LOW_THRESHOLD,
    PRICE_METHODS,
    PriceLine,
    PriceMethod,
    abnormally_low,
    price_schedule_total,
)
from .ranking import TIE_BREAK_RULES, TieBreakRule
from .results import BidResult, CompetitionResult, Robustness, WeightMargin
from .robustness import decision_robustness, moved_weights, total_at_weights

__all__ = [
    "ABNORMALLY_LOW_THRESHOLD",
    "ALLOWED_SCALES",
    "DISAGREEMENT_THRESHOLD",
    "MARGIN_ROUNDING_RULE",
    "PRICE_METHODS",
    "ROUNDING_RULE",
    "TIE_BREAK_RULES",
    "BidInput",
    "BidResult",
    "CompetitionResult",
    "CriteriaProblem",
    "CriteriaTree",
    "Criterion",
    "CriterionKind",
    "Disagreement",
    "EvaluatorScores",
    "Exact",
    "Group",
    "Leaf",
    "OutlineRow",
    "PassFailCriterion",
    "PriceLine",
    "PriceMethod",
    "Robustness",
    "ScoringInputError",
    "ScoringRules",
    "TieBreakRule",
    "WeightMargin",
    "WeightRange",
    "abnormally_low",
    "criteria_outline",
    "criterion_subtotal",
    "decision_robustness",
    "display",
    "display_down",
    "evaluate",
    "find_disagreements",
    "leaves",
    "moved_weights",
    "percent_text",
    "price_leaf",
    "price_schedule_total",
    "total_at_weights",
    "validate_criteria",
    "weight_of",
]
