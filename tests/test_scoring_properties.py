"""Property tests (hypothesis) for the scoring invariants, over random trees, bids, methods and tie-breaks."""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal as D
from fractions import Fraction as F

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.domain.scoring import (
    ALLOWED_SCALES,
    BidInput,
    CompetitionResult,
    CriteriaTree,
    Criterion,
    CriterionKind,
    Group,
    PassFailCriterion,
    ScoringRules,
    evaluate,
    leaves,
    moved_weights,
    total_at_weights,
)

# Moderate example counts keep the whole file to a few seconds; deadline off because shared CI machines stall.
PROPERTY = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True, scope="module")
def db():
    """Pure domain tests: no app and no database (overrides the suite's autouse database fixture)."""
    return None


@st.composite
def weights(draw, count: int) -> list[D]:
    """``count`` positive weights in half-percent steps that add up to exactly 100."""
    cuts = sorted(draw(st.sets(st.integers(1, 199), min_size=count - 1, max_size=count - 1)))
    return [D(high - low) / 2 for low, high in zip([0, *cuts], [*cuts, 200], strict=True)]


@st.composite
def criteria(draw, prefix: str, depth: int = 0, minimums: bool = True) -> tuple[Criterion, ...]:
    count = draw(st.integers(1, 3))
    found = []
    for index, weight in enumerate(draw(weights(count))):
        key = f"{prefix}.{index}"
        if depth < 1 and draw(st.booleans()):
            subs = draw(criteria(key, depth + 1, minimums))
            found.append(Criterion(key, f"Criterion {key}", weight, sub_criteria=subs))
            continue
        scale = draw(st.sampled_from(ALLOWED_SCALES))
        minimum = draw(st.one_of(st.none(), st.integers(0, scale // 4).map(D))) if minimums else None
        found.append(Criterion(key, f"Criterion {key}", weight, scale_max=scale, minimum_score=minimum))
    return tuple(found)


@st.composite
def trees(draw, contested: bool = False) -> CriteriaTree:
    """A random tree; ``contested`` trees have at least two groups and no ways to be disqualified."""
    with_price = draw(st.booleans())
    fewest = 2 - with_price if contested else 1 - with_price
    quality_groups = draw(st.integers(fewest, 3 - with_price))
    group_weights = draw(weights(quality_groups + with_price))
    groups = [
        Group(f"g{index}", f"Group {index}", group_weights[index], draw(criteria(f"g{index}", minimums=not contested)))
        for index in range(quality_groups)
    ]
    if with_price:
        price = Criterion("price", "Total price", D(100), kind=CriterionKind.PRICE)
        groups.append(Group("price", "Price", group_weights[-1], (price,)))
    pass_fail = (PassFailCriterion("pf", "Holds Cyber Essentials Plus"),) if draw(st.booleans()) else ()
    return CriteriaTree(tuple(groups), () if contested else pass_fail)


@st.composite
def competitions(draw, contested: bool = False) -> tuple[CriteriaTree, list[BidInput], ScoringRules]:
    """Random competitions; ``contested`` ones have two to six compliant bids over at least two groups."""
    tree = draw(trees(contested))
    scored = [leaf for leaf in leaves(tree) if leaf.kind is CriterionKind.QUALITY]
    bids = []
    for number in range(draw(st.integers(2 if contested else 1, 6))):
        # Halves on small scales and whole numbers on 0-100; a narrow price range makes equal prices (and ties) common.
        scores = {leaf.key: D(draw(st.integers(0, 2 * leaf.scale_max))) / 2 for leaf in scored}
        passes = {item.key: draw(st.booleans()) or draw(st.booleans()) for item in tree.pass_fail}
        price = draw(st.integers(1, 12)) * 25_00
        bids.append(BidInput(f"bid{number}", f"Supplier {number}", scores, passes, price))
    method = draw(st.sampled_from(["lowest", "mean", "linear"]))
    tie_breaks = draw(st.sampled_from([(), ("higher_quality",), ("higher_quality", "lower_price"), ("lower_price",)]))
    return tree, bids, ScoringRules(method, budget_pence=250_00, tie_breaks=tie_breaks)


@PROPERTY
@given(competitions())
def test_totals_are_between_0_and_100_and_add_up(competition):
    tree, bids, rules = competition
    result = evaluate(tree, bids, rules)
    for bid in result.ranked:
        assert 0 <= bid.total <= 100
        assert bid.total == sum(bid.group_subtotals.values()) == sum(F(value) for value in bid.weighted.values())
        for group in tree.groups:
            assert 0 <= bid.group_scores[group.key] <= 100
    assert {bid.key for bid in result.bids} == {bid.key for bid in bids}
    assert all(bid.total is None and bid.rank is None for bid in result.disqualified)


@PROPERTY
@given(competitions(), st.data())
def test_raising_one_score_never_lowers_that_bids_total_or_rank(competition, data):
    tree, bids, rules = competition
    scored = [leaf for leaf in leaves(tree) if leaf.kind is CriterionKind.QUALITY]
    before = evaluate(tree, bids, rules)
    if not scored or not before.ranked:
        return
    chosen = data.draw(st.sampled_from([bid.key for bid in before.ranked]))
    leaf = data.draw(st.sampled_from(scored))
    index = next(i for i, bid in enumerate(bids) if bid.key == chosen)
    old = bids[index].scores[leaf.key]
    new = data.draw(st.integers(int(old * 2), 2 * leaf.scale_max).map(lambda halves: D(halves) / 2))
    raised = [*bids]
    raised[index] = replace(bids[index], scores={**bids[index].scores, leaf.key: new})
    after = evaluate(tree, raised, rules)
    assert after.bid(chosen).total >= before.bid(chosen).total
    assert after.bid(chosen).rank <= before.bid(chosen).rank


@PROPERTY
@given(competitions(), st.randoms(use_true_random=False))
def test_reordering_bids_changes_nothing(competition, rng: random.Random):
    tree, bids, rules = competition
    shuffled = [*bids]
    rng.shuffle(shuffled)
    assert evaluate(tree, shuffled, rules) == evaluate(tree, bids, rules)


@PROPERTY
@given(competitions())
def test_lowest_compliant_price_gets_full_marks_under_lowest_price_method(competition):
    tree, bids, rules = competition
    result = evaluate(tree, bids, replace(rules, price_method="lowest"))
    price = next((leaf for leaf in leaves(tree) if leaf.kind is CriterionKind.PRICE), None)
    if price is None or not result.ranked:
        return
    lowest = min(bid.price_pence for bid in result.ranked)
    for bid in result.ranked:
        assert (bid.price_fraction == 1) is (bid.price_pence == lowest)
        assert (bid.price_score == price.effective_weight) is (bid.price_pence == lowest)


def _leader_strictly_ahead(result: CompetitionResult, weights) -> bool:
    """The winner is still ahead of every rival, except one level with it at every weight.

    A rival with exactly the winner's group scores stays tied whatever the weights, so the
    published tie-break (not the weights) keeps deciding between them.
    """
    winner = result.bid(result.winner)
    leader = total_at_weights(winner, weights)
    return all(
        leader > total_at_weights(bid, weights) or bid.group_scores == winner.group_scores
        for bid in result.ranked
        if bid.key != result.winner
    )


@PROPERTY
@given(competitions(contested=True))
def test_robustness_margins_are_exact(competition):
    tree, bids, rules = competition
    result = evaluate(tree, bids, rules)
    robustness = result.robustness
    if result.winner is None or len(result.ranked) < 2 or len(tree.groups) < 2:
        assert robustness.margins == ()
        return
    for margin in robustness.margins:
        sign = 1 if margin.direction == "up" else -1
        room = F(100) - margin.crossover_weight if sign == 1 else margin.crossover_weight
        assert room > 0
        epsilon = min(F(1, 10**9), room / 2, margin.margin / 2 if margin.margin else F(1))
        leader, rival = result.bid(result.winner), result.bid(margin.competitor)
        over = moved_weights(tree.groups, margin.group_key, F(margin.current_weight) + sign * (margin.margin + epsilon))
        assert total_at_weights(rival, over) > total_at_weights(leader, over)  # just over the margin: overtaken
        if margin.margin:
            under = moved_weights(
                tree.groups, margin.group_key, F(margin.current_weight) + sign * (margin.margin - epsilon)
            )
            assert total_at_weights(leader, under) > total_at_weights(rival, under)  # just under: still ahead
    if robustness.smallest is not None and robustness.smallest.margin > 0:
        smallest = robustness.smallest
        sign = 1 if smallest.direction == "up" else -1
        step = smallest.margin - min(F(1, 10**9), smallest.margin / 2)
        assert _leader_strictly_ahead(
            result, moved_weights(tree.groups, smallest.group_key, F(smallest.current_weight) + sign * step)
        )
    if robustness.smallest is None:  # no flip anywhere: the ends of the range (totals are linear) keep the winner
        for group in tree.groups:
            for end in (0, 100):
                weights = moved_weights(tree.groups, group.key, end)
                leader = total_at_weights(result.bid(result.winner), weights)
                assert all(leader >= total_at_weights(bid, weights) for bid in result.ranked)


@PROPERTY
@given(competitions())
def test_disqualified_bids_are_listed_with_reasons_and_never_ranked(competition):
    tree, bids, rules = competition
    result = evaluate(tree, bids, rules)
    assert all(bid.disqualification_reasons for bid in result.disqualified)
    assert all(not bid.disqualification_reasons and bid.rank >= 1 for bid in result.ranked)
    ranks = [bid.rank for bid in result.ranked]
    assert ranks == sorted(ranks) and (not ranks or ranks[0] == 1)
