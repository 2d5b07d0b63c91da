"""The adapter from the database to the pure scoring module, end to end on a hand-computed example
(see tests/test_evaluation_services.py for the figures)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from sqlalchemy import select

from portal.domain.scoring import CriterionKind, display, display_down, leaves
from portal.extensions import db
from portal.models import CompetitionCriterion, ModeratedScore, PriceExplanation
from portal.models.base import utcnow
from portal.services.evaluation import scoring_adapter
from tests.factories import make_membership, make_supplier
from tests.factories_competition import declare_no_conflict, make_bid
from tests.test_evaluation_services import evaluation_world, moderate_all, score_all


def _scored_world():
    world = evaluation_world()
    score_all(world)
    moderate_all(world)
    return world


def test_tree_from_the_criteria_nodes():
    world = evaluation_world()
    tree = scoring_adapter.criteria_tree(world.competition.criteria)
    assert [(g.name, g.weight) for g in tree.groups] == [("Quality", Decimal("60")), ("Price", Decimal("40"))]
    assert [c.name for c in tree.groups[0].criteria] == ["Channel management", "Critical incidents"]
    assert tree.groups[0].criteria[1].minimum_score == Decimal("2")
    assert tree.groups[1].criteria[0].kind is CriterionKind.PRICE and tree.groups[1].criteria[0].weight == 100
    assert [p.name for p in tree.pass_fail] == ["Cyber Essentials Plus held"]
    assert sum(leaf.effective_weight for leaf in leaves(tree)) == 100


def test_sub_criteria_become_nested_leaves():
    world = evaluation_world()
    channel = world.criteria[0]
    for i, weight in enumerate((Decimal("25"), Decimal("75"))):
        db.session.add(
            CompetitionCriterion(
                competition=world.competition,
                parent=channel,
                kind="quality",
                title=f"Part {i}",
                weight=weight,
                scale_max=10,
                position=i,
            )
        )
    db.session.commit()
    tree = scoring_adapter.criteria_tree(world.competition.criteria)
    weights = {leaf.name: leaf.effective_weight for leaf in leaves(tree)}
    assert weights["Part 0"] == Decimal("7.5") and weights["Part 1"] == Decimal("22.5")
    assert [n.title for n in scoring_adapter.quality_leaves(world.competition.criteria)] == [
        "Part 0",
        "Part 1",
        "Critical incidents",
    ]


def test_hand_computed_example_end_to_end():
    world = _scored_world()
    inputs = scoring_adapter.scoring_inputs(world.buyer, world.competition)
    by_name = {bid.name: bid for bid in inputs.inputs}
    assert by_name["Alpha"].price_pence == 270_000 and by_name["Bravo"].price_pence == 390_000
    assert all(bid.pass_fail == {str(next(iter(inputs.tree.pass_fail)).key): True} for bid in inputs.inputs)
    result = scoring_adapter.score(inputs)
    alpha, bravo = result.bid(str(world.bids["Alpha"].id)), result.bid(str(world.bids["Bravo"].id))
    charlie = result.bid(str(world.bids["Charlie"].id))
    assert alpha.total == 82
    assert bravo.total == Fraction(60) + Fraction(270_000, 390_000) * 40
    assert display(bravo.total) == Decimal("87.69")
    assert result.winner == str(world.bids["Bravo"].id)
    assert (bravo.rank, alpha.rank) == (1, 2)
    assert not charlie.compliant and "below the minimum acceptable score of 2" in charlie.disqualification_reasons[0]
    assert alpha.abnormally_low and not bravo.abnormally_low
    # Quality weight would have to fall from 60 to 4000/79 for Alpha to catch up: 740/79 = 9.367... points.
    assert result.robustness.smallest.margin == Fraction(740, 79)
    assert "9.36" in result.robustness.statement and display_down(Fraction(740, 79)) == Decimal("9.36")


def test_a_failed_pass_fail_answer_disqualifies():
    world = evaluation_world()
    failing = make_supplier(trading_name="Delta")
    make_membership(failing, world.competition.lot)
    make_bid(world.competition, failing, passed=False)
    declare_no_conflict(world.competition, failing, world.evaluators)  # the panel declares for every bidder
    declare_no_conflict(world.competition, failing, [world.buyer], role="moderator")  # and so does the moderator
    db.session.commit()
    score_all(world)
    moderate_all(world)
    result = scoring_adapter.score(scoring_adapter.scoring_inputs(world.buyer, world.competition))
    delta = next(bid for bid in result.bids if bid.name == "Delta")
    assert delta.disqualification_reasons == ("Failed pass/fail criterion: Cyber Essentials Plus held",)


def test_rejected_low_price_is_a_disqualification_that_leaves_the_price_scores_alone():
    world = _scored_world()
    alpha = world.bids["Alpha"]
    now = utcnow()
    db.session.add(
        PriceExplanation(
            bid_id=alpha.id,
            requested_by_id=world.buyer.id,
            explanation="We are cheap.",
            explanation_recorded_at=now,
            outcome="rejected",
            outcome_reason="Not sustainable",
            decided_at=now,
            decided_by_id=world.buyer.id,
        )
    )
    db.session.commit()
    result = scoring_adapter.score(scoring_adapter.scoring_inputs(world.buyer, world.competition))
    rejected = result.bid(str(alpha.id))
    assert not rejected.compliant and "Not sustainable" in rejected.disqualification_reasons[0]
    bravo = result.bid(str(world.bids["Bravo"].id))
    assert bravo.total == 100 and result.winner == bravo.key  # now the only compliant bid: lowest price


def test_readable_bids_follow_the_seal():
    world = evaluation_world()
    assert len(scoring_adapter.readable_bids(world.evaluators[0], world.competition)) == 3
    sealed = evaluation_world(opened=False)
    assert scoring_adapter.readable_bids(sealed.buyer, sealed.competition) == []


def test_moderated_values_are_the_decimals_the_orm_gives():
    """Read in whole hundredths for speed, they must equal (and print like) the NUMERIC(7, 2) the ORM reads."""
    world = _scored_world()
    held = db.session.scalars(select(ModeratedScore).where(ModeratedScore.competition_id == world.competition.id))
    rows = list(held)
    rows[0].score, rows[1].score = Decimal("2.5"), Decimal("0.25")  # never entered today, but the column allows it
    db.session.commit()
    expected = {
        (row.bid_id, row.criterion_id): str(scoring_adapter.whole(db.session.get(ModeratedScore, row.id).score))
        for row in rows
    }
    values = scoring_adapter.moderated_values(world.competition)
    assert {(bid_id, cid): str(v) for bid_id, per in values.items() for cid, v in per.items()} == expected
    assert {"2.50", "0.25"} <= set(expected.values()) and "3" in expected.values()
