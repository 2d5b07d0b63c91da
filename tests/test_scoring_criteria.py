"""Criteria tree rules: effective weights and the validation messages buyers see."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from portal.domain.scoring import (
    CriteriaTree,
    Criterion,
    CriterionKind,
    Group,
    PassFailCriterion,
    WeightRange,
    leaves,
    price_leaf,
    validate_criteria,
)


@pytest.fixture(autouse=True, scope="module")
def db():
    """Pure domain tests: no app and no database (overrides the suite's autouse database fixture)."""
    return None


def price_group(weight: str = "40") -> Group:
    return Group("price", "Price", D(weight), (Criterion("price", "Total price", D(100), kind=CriterionKind.PRICE),))


def nested_tree() -> CriteriaTree:
    delivery = Criterion(
        "delivery",
        "Delivery",
        D(25),
        sub_criteria=(
            Criterion("security", "Security", D(50), scale_max=4),
            Criterion("plan", "Plan", D(50), scale_max=10),
        ),
    )
    quality = Group(
        "quality",
        "Quality",
        D(60),
        (Criterion("approach", "Approach", D(75), minimum_score=D(2)), delivery),
        allowed=WeightRange(D(50), D(70)),
    )
    return CriteriaTree(groups=(quality, price_group()), pass_fail=(PassFailCriterion("cep", "Cyber Essentials Plus"),))


def test_effective_weight_is_the_product_of_weights_down_the_tree():
    weights = {leaf.key: leaf.effective_weight for leaf in leaves(nested_tree())}
    # Quality 60 -> Delivery 25 -> Security 50: 60 x 25 x 50 / 100^2 = 7.5 marks.
    assert weights == {"approach": D(45), "security": D("7.5"), "plan": D("7.5"), "price": D(40)}


def test_effective_weights_of_all_leaves_add_up_to_100():
    assert sum(leaf.effective_weight for leaf in leaves(nested_tree())) == 100


def test_leaf_factor_is_effective_weight_over_scale():
    factors = {leaf.key: leaf.factor for leaf in leaves(nested_tree())}
    assert factors["security"] == D("1.875")  # 7.5 / 4
    assert factors["approach"] == D(9)  # 45 / 5


def test_leaf_path_names_the_group_and_parents():
    security = next(leaf for leaf in leaves(nested_tree()) if leaf.key == "security")
    assert security.path == ("Quality", "Delivery", "Security")


def test_price_leaf_is_found():
    assert price_leaf(nested_tree()).key == "price"


def test_a_valid_tree_has_no_problems():
    assert validate_criteria(nested_tree()) == []


def test_weights_with_decimals_that_add_to_exactly_100_are_valid():
    thirds = tuple(Criterion(f"c{i}", f"C{i}", D(w)) for i, w in enumerate(("33.33", "33.33", "33.34")))
    assert validate_criteria(CriteriaTree((Group("quality", "Quality", D(100), thirds),))) == []


def _messages(tree: CriteriaTree) -> list[str]:
    return [problem.message for problem in validate_criteria(tree)]


def _quality(weight: str, *criteria: Criterion, allowed: WeightRange | None = None) -> Group:
    return Group("quality", "Quality", D(weight), criteria, allowed=allowed)


@pytest.mark.parametrize(
    ("tree", "message"),
    [
        pytest.param(
            CriteriaTree((_quality("50", Criterion("a", "Approach", D(100))), price_group("40"))),
            "Group weights add up to 90 %; they must add up to exactly 100 %",
            id="groups-not-100",
        ),
        pytest.param(
            CriteriaTree(
                (_quality("60", Criterion("a", "Approach", D(70)), Criterion("b", "Team", D(25))), price_group())
            ),
            "Criteria weights in Quality add up to 95 %; they must add up to exactly 100 %",
            id="criteria-not-100",
        ),
        pytest.param(
            CriteriaTree(
                (
                    _quality(
                        "60",
                        Criterion(
                            "d",
                            "Delivery",
                            D(100),
                            sub_criteria=(Criterion("s", "Security", D("60.5")), Criterion("p", "Plan", D(50))),
                        ),
                    ),
                    price_group(),
                )
            ),
            "Sub-criteria weights under Quality › Delivery add up to 110.5 %; they must add up to exactly 100 %",  # noqa: RUF001 - the separator users see
            id="sub-criteria-not-100",
        ),
        pytest.param(
            CriteriaTree(
                (
                    _quality("75", Criterion("a", "Approach", D(100)), allowed=WeightRange(D(50), D(70))),
                    price_group("25"),
                )
            ),
            "Quality weight must be between 50 % and 70 %",
            id="group-out-of-range",
        ),
        pytest.param(
            CriteriaTree(
                (
                    _quality(
                        "60",
                        Criterion("a", "Approach", D(90), allowed=WeightRange(D(20), D("80.5"))),
                        Criterion("b", "Team", D(10)),
                    ),
                    price_group(),
                )
            ),
            "Approach weight must be between 20 % and 80.5 %",
            id="criterion-out-of-range",
        ),
        pytest.param(
            CriteriaTree(
                (_quality("60", Criterion("a", "Approach", D(100)), Criterion("b", "Team", D(0))), price_group())
            ),
            "Weight of Team must be more than 0 % and at most 100 %",
            id="zero-weight",
        ),
        pytest.param(
            CriteriaTree((_quality("60", Criterion("a", "Approach", D(100), scale_max=7)), price_group())),
            "Scoring scale for Quality › Approach must be 0-4, 0-5, 0-10 or 0-100",  # noqa: RUF001 - the separator users see
            id="bad-scale",
        ),
        pytest.param(
            CriteriaTree((_quality("60", Criterion("a", "Approach", D(100), minimum_score=D(6))), price_group())),
            "Minimum acceptable score for Quality › Approach must be between 0 and 5",  # noqa: RUF001 - the separator users see
            id="minimum-off-scale",
        ),
        pytest.param(
            CriteriaTree(
                (_quality("60", Criterion("x", "Price again", D(100), kind=CriterionKind.PRICE)), price_group())
            ),
            "Only one criterion can be price; found 2: Price again, Total price",
            id="two-prices",
        ),
        pytest.param(
            CriteriaTree((_quality("60", Criterion("price", "Approach", D(100))), price_group())),
            "Each criterion needs its own key; repeated: price",
            id="repeated-key",
        ),
        pytest.param(
            CriteriaTree((_quality("60"), price_group())),
            "Add at least one criterion to Quality",
            id="empty-group",
        ),
        pytest.param(CriteriaTree(()), "Add at least one group of criteria", id="no-groups"),
        pytest.param(
            CriteriaTree((_quality("60", Criterion("a", "Approach", 100.0)), price_group())),  # type: ignore[arg-type]
            "Weight of Approach must be a number",
            id="float-weight",
        ),
    ],
)
def test_weights_validation_messages_name_the_level(tree, message):
    assert message in _messages(tree)


def test_problem_path_points_at_the_level():
    tree = CriteriaTree(
        (_quality("60", Criterion("a", "Approach", D(70)), Criterion("b", "Team", D(25))), price_group())
    )
    assert [problem.path for problem in validate_criteria(tree)] == [("quality",)]


def test_price_criterion_cannot_be_split():
    split = Criterion(
        "price",
        "Total price",
        D(100),
        kind=CriterionKind.PRICE,
        sub_criteria=(Criterion("p1", "Licences", D(50)), Criterion("p2", "Support", D(50))),
    )
    tree = CriteriaTree((_quality("60", Criterion("a", "Approach", D(100))), Group("price", "Price", D(40), (split,))))
    assert "Price criterion Price › Total price cannot be split into sub-criteria" in _messages(tree)  # noqa: RUF001 - the separator users see


def test_every_problem_is_reported_at_once():
    tree = CriteriaTree(
        (_quality("75", Criterion("a", "Approach", D(90)), allowed=WeightRange(D(50), D(70))), price_group("40"))
    )
    assert len(_messages(tree)) == 3  # out of range, criteria 90 %, groups 115 %
