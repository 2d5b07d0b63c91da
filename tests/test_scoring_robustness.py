"""Decision robustness with hand-computed margins, checked by re-scoring with moved weights."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction as F

import pytest

from portal.domain.scoring import (
    MARGIN_ROUNDING_RULE,
    BidInput,
    CriteriaTree,
    Criterion,
    CriterionKind,
    Group,
    ScoringRules,
    evaluate,
    moved_weights,
    total_at_weights,
)


@pytest.fixture(autouse=True, scope="module")
def db():
    """Pure domain tests: no app and no database (overrides the suite's autouse database fixture)."""
    return None


def tree(quality: str = "60", price: str = "40") -> CriteriaTree:
    return CriteriaTree(
        (
            Group("quality", "Quality", D(quality), (Criterion("q", "Approach", D(100)),)),
            Group("price", "Price", D(price), (Criterion("p", "Total price", D(100), kind=CriterionKind.PRICE),)),
        )
    )


def bid(key: str, name: str, score: str, price: int) -> BidInput:
    return BidInput(key, name, {"q": D(score)}, {}, price)


# Orlo: quality 5/5 (group score 100), price 200 (group score 50): 60 + 20 = 80.
# Softcat: quality 3/5 (60), price 100 (100): 36 + 40 = 76.
# Quality at w: Orlo 50 + w/2, Softcat 100 - 0.4w; equal at w = 500/9 = 55.56, a move of 40/9 = 4.44 down.
ORLO, SOFTCAT = bid("orlo", "Orlo", "5", 200_00), bid("softcat", "Softcat", "3", 100_00)


def test_margin_is_solved_exactly():
    robustness = evaluate(tree(), [ORLO, SOFTCAT]).robustness
    by_group = {margin.group_key: margin for margin in robustness.margins}
    assert by_group["quality"].crossover_weight == F(500, 9)
    assert (by_group["quality"].direction, by_group["quality"].margin) == ("down", F(40, 9))
    assert (by_group["price"].direction, by_group["price"].margin) == ("up", F(40, 9))
    assert robustness.smallest.group_key == "quality"  # equal margins: the first group in the tree


def test_statement_names_the_group_direction_and_margin():
    statement = evaluate(tree(), [ORLO, SOFTCAT]).robustness.statement
    assert statement == (
        "The result stands unless the Quality weight moves down by more than 4.44 points (from 60 %, with the "
        "other weights rescaled to keep 100 %); beyond that, Softcat would win."
    )


@pytest.mark.parametrize(
    ("quality", "price", "winner"),
    [
        ("55.56", "44.44", "orlo"),  # moved down 4.44: under the margin of 4.444..., Orlo keeps it
        ("55.55", "44.45", "softcat"),  # moved down 4.45: over the margin, Softcat overtakes
        ("64.44", "35.56", "orlo"),  # the other way never flips it
    ],
)
def test_rescoring_with_moved_weights_agrees_with_the_margin(quality, price, winner):
    assert evaluate(tree(quality, price), [ORLO, SOFTCAT]).winner == winner


def test_at_exactly_the_margin_totals_tie_and_the_tie_break_decides():
    # Softcat at 2.5/5 instead: Orlo 50 + w/2, Softcat 100 - w/2: equal at exactly 50, a margin of 10.
    softcat = bid("softcat", "Softcat", "2.5", 100_00)
    assert evaluate(tree(), [ORLO, softcat]).robustness.smallest.margin == 10
    at_margin = evaluate(tree("50", "50"), [ORLO, softcat])
    assert at_margin.bid("orlo").total == at_margin.bid("softcat").total == 75
    assert at_margin.winner == "orlo"  # higher quality score breaks the tie
    assert evaluate(tree("49.99", "50.01"), [ORLO, softcat]).winner == "softcat"


def test_moved_weights_rescale_the_others_to_keep_100():
    three = CriteriaTree(
        (
            Group("quality", "Quality", D(60), (Criterion("q", "Approach", D(100)),)),
            Group("social", "Social value", D(10), (Criterion("s", "Jobs", D(100)),)),
            Group("price", "Price", D(30), (Criterion("p", "Price", D(100), kind=CriterionKind.PRICE),)),
        )
    )
    weights = moved_weights(three.groups, "quality", 80)
    assert weights == {"quality": 80, "social": 5, "price": 15}
    assert sum(weights.values()) == 100


def test_total_at_todays_weights_is_the_total():
    result = evaluate(tree(), [ORLO, SOFTCAT])
    for bid_result in result.ranked:
        assert total_at_weights(bid_result, {"quality": 60, "price": 40}) == bid_result.total


def test_winner_best_in_every_group_cannot_be_overturned():
    best = bid("best", "Orlo", "5", 100_00)
    robustness = evaluate(tree(), [best, SOFTCAT]).robustness
    assert robustness.margins == () and robustness.smallest is None
    assert robustness.statement.startswith("No change to any single top-level weight")


def test_winner_on_the_tie_break_has_a_zero_margin():
    # Equal totals of 80: Orlo 60 + 20, Softcat 48 + 32. Orlo wins on quality; less weight on quality favours Softcat.
    softcat = bid("softcat", "Softcat", "4", 125_00)
    cheapest = bid("c", "Capita", "3", 100_00)
    robustness = evaluate(tree(), [ORLO, softcat, cheapest], ScoringRules()).robustness
    assert robustness.smallest.margin == 0
    assert robustness.statement == (
        "Orlo won on the tie-break: any move down of the Quality weight would put Softcat ahead."
    )


def test_a_tiny_margin_is_not_shown_as_zero():
    # Softcat 3.333/5 at the lowest price: 100 - 0.3334w against Orlo's 50 + w/2; equal at w = 50 / 0.8334.
    softcat = bid("softcat", "Softcat", "3.333", 100_00)
    robustness = evaluate(tree(), [ORLO, softcat]).robustness
    assert robustness.smallest.margin == 60 - F(50) / F("0.8334")  # 0.0048 points
    assert "moves down by 0.01 points or more" in robustness.statement


@pytest.mark.parametrize(
    ("bids", "groups", "expected"),
    [
        ([ORLO], tree(), "There is only one compliant bid, so no change of weights alters the result."),
        ([], tree(), "There is no single winner to test: the competition is without a compliant bid."),
        (
            [bid("a", "A", "4", 100_00), bid("b", "B", "4", 100_00)],
            tree(),
            "There is no single winner to test: the competition is tied for first place.",
        ),
        (
            [BidInput("a", "A", {"q": D(4)}), BidInput("b", "B", {"q": D(3)})],
            CriteriaTree((Group("quality", "Quality", D(100), (Criterion("q", "Approach", D(100)),)),)),
            "There is only one group of criteria, so there is no weight to move.",
        ),
    ],
    ids=["one-bid", "no-bids", "tie", "one-group"],
)
def test_statement_when_there_is_nothing_to_move(bids, groups, expected):
    assert evaluate(groups, bids).robustness.statement == expected


def test_margin_rounding_rule_is_stated():
    assert "rounded down" in MARGIN_ROUNDING_RULE and "tie-break decides" in MARGIN_ROUNDING_RULE
