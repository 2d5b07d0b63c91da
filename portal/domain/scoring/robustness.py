"""Decision robustness: how far one top-level weight must move before the winner changes.

Move top-level group k from its weight W_k to w, rescaling every other group g proportionally so the weights still
add to 100::

    w_g(w) = W_g x (100 - w) / (100 - W_k)

Each bid's *group score* G_g (the percentage of group g's own marks it won) does not depend on the top-level weights:
quality scores do not, and every price method scores price from prices and the budget alone. So a bid's total is
linear in w::

    T(w) = w x G_k / 100  +  (100 - w) x R / (100 - W_k),      R = T - W_k x G_k / 100  (the rest, at today's weights)

For the winner A against a competitor B the difference is linear too::

    D(w) = T_A(w) - T_B(w) = w x a + (100 - w) x b,   a = (G_Ak - G_Bk) / 100,   b = (R_A - R_B) / (100 - W_k)

D(0) = 100 b and D(100) = 100 a. B overtakes somewhere in [0, 100] only if one end is negative; then the crossover
(D = 0) is exactly::

    w* = 100 b / (b - a),   direction "up" if D(100) < 0, "down" if D(0) < 0,   margin = |w* - W_k|

At w* the totals are equal and the published tie-break decides; any move past w* makes B's total strictly higher.
Moving by less than the margin keeps A strictly ahead of B. A margin of 0 means A won on the tie-break and a move
in ``direction`` puts B ahead. The statement takes the smallest margin over all groups and competitors. All of this
is exact (``Fraction``) and costs O(bids x groups).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from .criteria import Group, weight_of
from .exact import Exact, display_down, percent_text
from .ranking import compliant_total
from .results import BidResult, Robustness, WeightMargin

_ZERO, _HUNDRED = Fraction(0), Fraction(100)


def total_at_weights(bid: BidResult, weights: Mapping[str, Exact]) -> Fraction:
    """A compliant bid's total if the top-level group weights were ``weights`` (group key -> %)."""
    return sum((Fraction(weights[key]) * score for key, score in bid.group_scores.items()), _ZERO) / _HUNDRED


def moved_weights(groups: Sequence[Group], group_key: str, new_weight: Exact) -> dict[str, Fraction]:
    """Top-level weights with one group moved to ``new_weight`` and the others rescaled to keep 100 %."""
    moved = next(group for group in groups if group.key == group_key)
    rest = (_HUNDRED - Fraction(new_weight)) / (_HUNDRED - Fraction(weight_of(moved)))
    return {
        group.key: Fraction(new_weight) if group.key == group_key else Fraction(weight_of(group)) * rest
        for group in groups
    }


def decision_robustness(groups: Sequence[Group], ranked: Sequence[BidResult], winner: str | None) -> Robustness:
    """Margins for the winner against every other compliant bid (``ranked``), per top-level group."""
    if winner is None:
        reason = "tied for first place" if ranked else "without a compliant bid"
        return Robustness(None, (), None, f"There is no single winner to test: the competition is {reason}.")
    if len(ranked) < 2:
        return Robustness(
            winner, (), None, "There is only one compliant bid, so no change of weights alters the result."
        )
    if len(groups) < 2:
        return Robustness(winner, (), None, "There is only one group of criteria, so there is no weight to move.")
    leader = next(bid for bid in ranked if bid.key == winner)
    rivals = [bid for bid in ranked if bid.key != winner]
    margins = [margin for group in groups for margin in _group_margins(group, leader, rivals)]
    smallest = min(margins, key=lambda m: m.margin, default=None)
    return Robustness(winner, tuple(margins), smallest, _statement(smallest, leader))


def _group_margins(group: Group, leader: BidResult, rivals: Sequence[BidResult]) -> list[WeightMargin]:
    current_weight = weight_of(group)
    weight = Fraction(current_weight)
    others = _HUNDRED - weight
    lead_share = leader.group_scores[group.key]
    lead_rest = compliant_total(leader) - weight * lead_share / _HUNDRED
    margins = []
    for rival in rivals:
        share = rival.group_scores[group.key]
        rest = compliant_total(rival) - weight * share / _HUNDRED
        # D(100) < 0 exactly when the rival won more of this group; D(0) < 0 when it won more of the rest.
        if share > lead_share:
            direction = "up"
        elif rest > lead_rest:
            direction = "down"
        else:
            continue
        a, b = (lead_share - share) / _HUNDRED, (lead_rest - rest) / others
        crossover = _HUNDRED * b / (b - a)
        margins.append(
            WeightMargin(
                competitor=rival.key,
                competitor_name=rival.name,
                group_key=group.key,
                group_name=group.name,
                current_weight=current_weight,
                crossover_weight=crossover,
                direction=direction,
                margin=abs(crossover - weight),
            )
        )
    return margins


def _statement(smallest: WeightMargin | None, leader: BidResult) -> str:
    if smallest is None:
        return (
            f"No change to any single top-level weight (with the others rescaled to keep 100 %) would change the "
            f"winner, {leader.name}."
        )
    name, direction = smallest.group_name, smallest.direction
    if smallest.margin == 0:
        return (
            f"{leader.name} won on the tie-break: any move {direction} of the {name} weight would put "
            f"{smallest.competitor_name} ahead."
        )
    shown = display_down(smallest.margin)
    amount = f"by more than {shown} points" if shown > 0 else "by 0.01 points or more"
    return (
        f"The result stands unless the {name} weight moves {direction} {amount} "
        f"(from {percent_text(smallest.current_weight)} %, with the other weights rescaled to keep 100 %); "
        f"beyond that, {smallest.competitor_name} would win."
    )
