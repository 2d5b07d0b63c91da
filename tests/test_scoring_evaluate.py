"""Evaluating a competition with hand-computed examples: totals, disqualification, ranking and tie-breaks."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction as F

import pytest

from portal.domain.scoring import (
    ROUNDING_RULE,
    BidInput,
    CriteriaTree,
    Criterion,
    CriterionKind,
    EvaluatorScores,
    Group,
    PassFailCriterion,
    ScoringInputError,
    ScoringRules,
    display,
    display_down,
    evaluate,
    find_disagreements,
)


@pytest.fixture(autouse=True, scope="module")
def db():
    """Pure domain tests: no app and no database (overrides the suite's autouse database fixture)."""
    return None


def simple_tree(quality: str = "60", price: str = "40", minimum: D | None = None, scale: int = 5) -> CriteriaTree:
    """Quality (one criterion) and Price, with one pass/fail criterion."""
    return CriteriaTree(
        groups=(
            Group(
                "quality",
                "Quality",
                D(quality),
                (Criterion("q", "Approach", D(100), scale_max=scale, minimum_score=minimum),),
            ),
            Group("price", "Price", D(price), (Criterion("p", "Total price", D(100), kind=CriterionKind.PRICE),)),
        ),
        pass_fail=(PassFailCriterion("cep", "Holds Cyber Essentials Plus"),),
    )


def bid(key: str, score: str, price: int, passes: bool = True, name: str | None = None) -> BidInput:
    return BidInput(key, name or key.title(), {"q": D(score)}, {"cep": passes}, price)


def nested_tree() -> CriteriaTree:
    delivery = Criterion(
        "delivery",
        "Delivery",
        D(50),
        sub_criteria=(Criterion("plan", "Plan", D(50), scale_max=4), Criterion("risk", "Risks", D(50), scale_max=10)),
    )
    return CriteriaTree(
        groups=(
            Group("quality", "Quality", D(60), (Criterion("approach", "Approach", D(50)), delivery)),
            Group("social", "Social value", D(10), (Criterion("sv", "Local jobs", D(100), scale_max=100),)),
            Group("price", "Price", D(30), (Criterion("price", "Total price", D(100), kind=CriterionKind.PRICE),)),
        )
    )


def test_weighted_scores_subtotals_and_totals_hand_computed():
    orlo = BidInput("orlo", "Orlo", {"approach": D(4), "plan": D(3), "risk": D(7), "sv": D(50)}, {}, 100_000_00)
    softcat = BidInput("softcat", "Softcat", {"approach": D(3), "plan": D(4), "risk": D(8), "sv": D(80)}, {}, 80_000_00)
    result = evaluate(nested_tree(), [orlo, softcat])
    o, s = result.bid("orlo"), result.bid("softcat")
    # Orlo: approach 4/5 x 30 = 24; plan 3/4 x 15 = 11.25; risks 7/10 x 15 = 10.5; social 50/100 x 10 = 5;
    # price 80,000 / 100,000 x 30 = 24. Total 74.75.
    assert o.weighted == {"approach": 24, "plan": D("11.25"), "risk": D("10.5"), "sv": 5, "price": 24}
    assert o.group_subtotals == {"quality": F("45.75"), "social": 5, "price": 24}
    assert o.total == F("74.75")
    assert o.quality_total == D("50.75")
    assert o.group_scores == {"quality": F("76.25"), "social": 50, "price": 80}
    # Softcat: 18 + 15 + 12 + 8 + 30 = 83.
    assert s.total == 83
    assert s.price_fraction == 1
    assert [b.key for b in result.ranked] == ["softcat", "orlo"]
    assert (result.winner, s.rank, o.rank) == ("softcat", 1, 2)


def test_totals_with_non_terminating_price_fractions_stay_exact():
    result = evaluate(simple_tree(), [bid("a", "5", 300_00), bid("b", "5", 100_00)])
    assert result.bid("a").price_score == F(40, 3)  # 100/300 x 40, not 13.3333...
    assert result.bid("a").total == 60 + F(40, 3)
    assert display(result.bid("a").total) == D("73.33")


def test_equal_totals_through_different_fractions_are_a_real_tie():
    # Quality 50 on a 0-100 scale, Price 50 (lowest 100). A: 70 -> 35 + 50/3; B: 20 -> 10 + 50 x 5/6. Both 51 2/3.
    tree = simple_tree("50", "50", scale=100)
    result = evaluate(tree, [bid("a", "70", 300_00), bid("b", "20", 120_00), bid("c", "0", 100_00)])
    assert result.bid("a").total == result.bid("b").total == F(155, 3)
    assert result.winner == "a"  # higher quality score, the first published tie-break
    assert "tie-break rule 1, the higher quality score" in result.tie_break_notes[0]


def test_rounding_rule_is_stated():
    assert "2 decimal places" in ROUNDING_RULE and "half rounded up" in ROUNDING_RULE
    assert evaluate(simple_tree(), [bid("a", "5", 100)]).rounding_rule == ROUNDING_RULE


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (F(72345, 1000), D("72.35")),
        (D("72.345"), D("72.35")),
        (D("72.344999"), D("72.34")),
        (F(100, 3), D("33.33")),
        (F(200, 3), D("66.67")),
        (F(-1, 200), D("-0.01")),
        (0, D("0.00")),
    ],
)
def test_display_rounds_half_up_to_two_places(value, shown):
    assert display(value) == shown
    assert str(display(value)) == str(shown)


def test_display_down_never_rounds_up():
    assert display_down(F(40, 9)) == D("4.44")
    assert display_down(F(4999, 1000)) == D("4.99")


# --- Disqualification ------------------------------------------------------------------------------------------


def test_score_below_minimum_disqualifies_with_a_reason_naming_the_criterion():
    result = evaluate(simple_tree(minimum=D(2)), [bid("a", "1", 100_00), bid("b", "2", 200_00)])
    a = result.bid("a")
    assert not a.compliant and a.rank is None and a.total is None
    assert a.disqualification_reasons == ("Scored 1 on Quality › Approach, below the minimum acceptable score of 2",)  # noqa: RUF001 - the separator users see
    assert result.bid("b").compliant  # equal to the minimum passes
    assert result.winner == "b"


def test_failed_pass_fail_disqualifies_with_a_reason():
    result = evaluate(simple_tree(), [bid("a", "5", 100_00, passes=False), bid("b", "3", 200_00)])
    assert result.bid("a").disqualification_reasons == ("Failed pass/fail criterion: Holds Cyber Essentials Plus",)
    assert [b.key for b in result.disqualified] == ["a"]


def test_every_reason_is_listed():
    result = evaluate(simple_tree(minimum=D(2)), [bid("a", "1", 100_00, passes=False)])
    assert len(result.bid("a").disqualification_reasons) == 2
    assert result.winner is None


def test_a_bid_that_failed_pass_fail_needs_no_quality_scores():
    failed = BidInput("a", "A", {}, {"cep": False}, 100_00)
    result = evaluate(simple_tree(), [failed, bid("b", "3", 200_00)])
    assert result.bid("a").weighted == {}


def test_price_is_scored_among_compliant_bids_only():
    result = evaluate(simple_tree(), [bid("cheap", "5", 50_00, passes=False), bid("b", "3", 200_00)])
    assert result.bid("b").price_fraction == 1
    assert result.bid("cheap").price_score is None


def test_disqualified_bids_follow_ranked_bids_in_key_order():
    bids = [bid("z", "5", 100, passes=False), bid("m", "1", 100), bid("a", "5", 100, passes=False)]
    assert [b.key for b in evaluate(simple_tree(), bids).bids] == ["m", "a", "z"]


# --- Tie-breaks ------------------------------------------------------------------------------------------------
# A: quality 60 (5/5), price 200 -> 20; total 80.  B: quality 48 (4/5), price 125 -> 32; total 80.
# C: quality 36 (3/5), price 100 -> 40; total 76.


def tied_bids() -> list[BidInput]:
    return [bid("a", "5", 200_00, name="Orlo"), bid("b", "4", 125_00, name="Softcat"), bid("c", "3", 100_00)]


@pytest.mark.parametrize(
    ("tie_breaks", "order", "ranks", "winner"),
    [
        (("higher_quality", "lower_price"), ["a", "b", "c"], [1, 2, 3], "a"),
        (("lower_price", "higher_quality"), ["b", "a", "c"], [1, 2, 3], "b"),
        (("higher_group:price",), ["b", "a", "c"], [1, 2, 3], "b"),
        ((), ["a", "b", "c"], [1, 1, 3], None),
    ],
    ids=["quality-first", "price-first", "group-rule", "no-rules"],
)
def test_tie_break_rules(tie_breaks, order, ranks, winner):
    result = evaluate(simple_tree(), tied_bids(), ScoringRules(tie_breaks=tie_breaks))
    assert result.bid("a").total == result.bid("b").total == 80
    assert [b.key for b in result.ranked] == order
    assert [b.rank for b in result.ranked] == ranks
    assert result.winner == winner


def test_broken_tie_is_explained():
    result = evaluate(simple_tree(), tied_bids())
    assert result.tie_break_notes == (
        "Orlo is ranked above Softcat: their totals are equal (80.00), and tie-break rule 1, "
        "the higher quality score, separates them.",
    )


def test_unresolved_tie_for_first_is_reported_not_silently_ordered():
    bids = [bid("b", "4", 100_00, name="Softcat"), bid("a", "4", 100_00, name="Orlo"), bid("c", "1", 100_00)]
    result = evaluate(simple_tree(), bids)
    assert result.winner is None
    assert result.tied_for_first == ("a", "b")
    assert result.unresolved_ties == (("a", "b"),)
    assert [b.rank for b in result.ranked] == [1, 1, 3]
    assert "lots must be drawn" in result.tie_break_notes[0]
    assert result.tie_break_notes[0].startswith("Orlo and Softcat have equal totals (88.00)")


def test_unresolved_tie_below_first_keeps_the_winner():
    bids = [bid("a", "5", 100_00), bid("b", "2", 100_00), bid("c", "2", 100_00)]
    result = evaluate(simple_tree(), bids)
    assert result.winner == "a"
    assert result.tied_for_first == ()
    assert [b.rank for b in result.ranked] == [1, 2, 2]


# --- Abnormally low price ----------------------------------------------------------------------------------------


def test_abnormally_low_price_is_flagged_against_other_compliant_bids():
    bids = [bid("a", "3", 70_00), bid("b", "3", 100_00), bid("c", "3", 100_00), bid("x", "3", 10_00, passes=False)]
    result = evaluate(simple_tree(), bids)
    assert result.bid("a").abnormally_low and result.bid("a").below_others_mean == F(3, 10)
    assert not result.bid("b").abnormally_low
    assert not result.bid("x").abnormally_low  # disqualified bids are neither flagged nor counted


def test_abnormally_low_threshold_is_configurable():
    bids = [bid("a", "3", 85_00), bid("b", "3", 100_00), bid("c", "3", 100_00)]
    assert not evaluate(simple_tree(), bids).bid("a").abnormally_low
    assert evaluate(simple_tree(), bids, ScoringRules(abnormally_low_threshold=D("0.1"))).bid("a").abnormally_low


# --- Every price method end to end ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "price_scores"),
    [
        (ScoringRules("lowest"), {"a": 40, "b": 20}),  # 100/100 x 40, 100/200 x 40
        (ScoringRules("mean"), {"a": F(100, 3), "b": F(20, 3)}),  # mean 150: (1.5 - 2/3) x 40, (1.5 - 4/3) x 40
        (ScoringRules("linear", budget_pence=400_00), {"a": 30, "b": 20}),  # (1 - 1/4) x 40, (1 - 1/2) x 40
    ],
    ids=["lowest", "mean", "linear"],
)
def test_price_methods_in_a_competition(rules, price_scores):
    result = evaluate(simple_tree(), [bid("a", "3", 100_00), bid("b", "3", 200_00)], rules)
    assert {b.key: b.price_score for b in result.ranked} == price_scores
    assert result.price_method == rules.price_method


# --- Bad input -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bids", "rules", "message"),
    [
        ([bid("a", "6", 100)], ScoringRules(), "A's score for Approach must be a number from 0 to 5"),
        ([bid("a", "-1", 100)], ScoringRules(), "A's score for Approach must be a number from 0 to 5"),
        ([BidInput("a", "A", {"q": 2.5}, {"cep": True}, 100)], ScoringRules(), "must be a number from 0 to 5"),
        ([BidInput("a", "A", {}, {"cep": True}, 100)], ScoringRules(), "A has no moderated score for Approach"),
        ([BidInput("a", "A", {"q": D(1)}, {}, 100)], ScoringRules(), "A has no pass or fail recorded for Holds"),
        ([bid("a", "3", 0)], ScoringRules(), "A's total price must be a whole number of pence more than 0"),
        ([bid("a", "3", None)], ScoringRules(), "A's total price must be a whole number of pence more than 0"),
        ([bid("a", "3", 1), bid("a", "3", 2)], ScoringRules(), "Each bid needs its own key"),
        ([BidInput("a", "A", {"q": D(1), "zz": D(1)}, {"cep": True}, 1)], ScoringRules(), "not a quality criterion"),
        ([bid("a", "3", 1)], ScoringRules("cheapest"), "Choose a price scoring method: lowest, mean, linear"),
        ([bid("a", "3", 1)], ScoringRules("linear"), "Enter a budget of more than £0 for the linear price method"),
        ([bid("a", "3", 1)], ScoringRules(tie_breaks=("coin",)), "Unknown tie-break rule: coin"),
        ([bid("a", "3", 1)], ScoringRules(tie_breaks=("higher_group:x",)), "Unknown tie-break rule: higher_group:x"),
        ([bid("a", "3", 1)], ScoringRules(abnormally_low_threshold=D(1)), "threshold must be at least 0"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(bids, rules, message):
    with pytest.raises(ScoringInputError) as caught:
        evaluate(simple_tree(), bids, rules)
    assert any(message in problem for problem in caught.value.problems)


def test_invalid_tree_is_refused():
    with pytest.raises(ScoringInputError, match="Group weights add up to 90 %"):
        evaluate(simple_tree("50"), [bid("a", "3", 1)])


def test_no_bids_gives_no_winner():
    result = evaluate(simple_tree(), [])
    assert result.winner is None and result.bids == ()


def test_quality_only_competition_needs_no_prices():
    tree = CriteriaTree((Group("quality", "Quality", D(100), (Criterion("q", "Approach", D(100)),)),))
    result = evaluate(tree, [BidInput("a", "A", {"q": D(4)}), BidInput("b", "B", {"q": D(5)})])
    assert [b.total for b in result.ranked] == [100, 80]


# --- Evaluator disagreement ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scale", "scores", "threshold", "flagged"),
    [
        (5, ("1", "3"), "0.40", False),  # spread 2 is exactly 40 % of 5: not more than
        (5, ("1", "4", "2"), "0.40", True),  # spread 3 = 60 %
        (100, ("10", "51"), "0.40", True),
        (100, ("10", "50"), "0.40", False),
        (5, ("1", "3"), "0.20", True),  # configurable
        (5, ("5",), "0.40", False),  # one score cannot disagree
    ],
)
def test_disagreement_flagged_above_share_of_scale(scale, scores, threshold, flagged):
    tree = simple_tree(scale=scale)
    entry = EvaluatorScores("a", "q", tuple(D(score) for score in scores))
    found = find_disagreements(tree, [entry], D(threshold))
    assert bool(found) is flagged
    if found:
        assert found[0].spread == max(entry.scores) - min(entry.scores)
