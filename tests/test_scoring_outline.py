"""The criteria outline of an assessment summary: every criterion and sub-criterion, and a criterion's sub-total."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction as F

import pytest
from hypothesis import given

from portal.domain.scoring import BidInput, criteria_outline, criterion_subtotal, evaluate, leaves
from tests.test_scoring_evaluate import nested_tree
from tests.test_scoring_properties import PROPERTY, competitions


@pytest.fixture(autouse=True, scope="module")
def db():
    """Pure domain tests: no app and no database (overrides the suite's autouse database fixture)."""
    return None


ORLO = BidInput("orlo", "Orlo", {"approach": D(4), "plan": D(3), "risk": D(7), "sv": D(50)}, {}, 100_000_00)
SOFTCAT = BidInput("softcat", "Softcat", {"approach": D(3), "plan": D(4), "risk": D(8), "sv": D(80)}, {}, 80_000_00)


def test_a_criterion_comes_before_its_sub_criteria_with_its_depth_and_weight():
    # Quality 60 (Approach 50, Delivery 50 -> Plan 50, Risks 50), Social value 10, Price 30.
    rows = criteria_outline(nested_tree())
    assert [(row.key, row.depth, row.effective_weight) for row in rows] == [
        ("approach", 1, 30),
        ("delivery", 1, 30),
        ("plan", 2, 15),
        ("risk", 2, 15),
        ("sv", 1, 10),
        ("price", 1, 30),
    ]
    delivery = rows[1]
    assert delivery.has_sub_criteria and delivery.leaf is None
    assert delivery.leaf_keys == ("plan", "risk") and delivery.path == ("Quality", "Delivery")
    assert rows[2].path == ("Quality", "Delivery", "Plan") and rows[2].leaf is not None


def test_the_outlines_leaves_are_the_scored_leaves():
    tree = nested_tree()
    assert [row.leaf for row in criteria_outline(tree) if row.leaf is not None] == list(leaves(tree))


def test_a_criterions_sub_total_is_the_sum_of_its_sub_criteria_hand_computed():
    result = evaluate(nested_tree(), [ORLO, SOFTCAT])
    rows = {row.key: row for row in criteria_outline(nested_tree())}
    orlo, softcat = result.bid("orlo"), result.bid("softcat")
    # Orlo: Plan 3/4 x 15 = 11.25, Risks 7/10 x 15 = 10.5: Delivery 21.75 of its 30 marks.
    assert criterion_subtotal(rows["delivery"], orlo.weighted) == F("21.75")
    # Softcat: Plan 4/4 x 15 = 15, Risks 8/10 x 15 = 12: Delivery 27.
    assert criterion_subtotal(rows["delivery"], softcat.weighted) == 27
    # A leaf's sub-total is its own weighted score, price included.
    assert criterion_subtotal(rows["plan"], orlo.weighted) == D("11.25")
    assert criterion_subtotal(rows["price"], orlo.weighted) == 24


def test_a_criterion_with_an_unscored_leaf_has_no_sub_total():
    rows = {row.key: row for row in criteria_outline(nested_tree())}
    assert criterion_subtotal(rows["delivery"], {"plan": D(15)}) is None
    assert criterion_subtotal(rows["price"], {}) is None


@PROPERTY
@given(competitions())
def test_the_sub_totals_of_a_groups_criteria_add_up_to_the_group_sub_total(competition):
    tree, bids, rules = competition
    result = evaluate(tree, bids, rules)
    rows = criteria_outline(tree)
    assert sum(row.effective_weight for row in rows if row.depth == 1) == 100
    for bid in result.ranked:
        for group in tree.groups:
            tops = [
                criterion_subtotal(row, bid.weighted) for row in rows if row.depth == 1 and row.group_key == group.key
            ]
            assert sum(F(value) for value in tops) == bid.group_subtotals[group.key]
        for row in rows:
            if row.has_sub_criteria:
                below = [r for r in rows if r.leaf is not None and r.key in row.leaf_keys]
                assert row.effective_weight == sum(r.effective_weight for r in below)
