"""Builds the pure scoring module's inputs from the database: the criteria tree, the bids and the published rules.

- Criteria tree: the competition's top-level nodes become groups. A top-level ``group`` keeps its children (quality
  criteria, split to any depth into sub-criteria); a top-level ``price`` (or ``quality``) node is a group of one
  criterion at 100 %. ``pass_fail`` nodes anywhere become pass/fail gates. Keys are the node ids as strings (groups
  and criteria are separate namespaces in the domain, so a price node may use its id for both).
- Bids: every submitted bid whose content the reader may see through the seal (bid_access), with its moderated
  scores (loaded in one query), its pass/fail answers and total price from the submission that counts.
- Bids whose abnormally low price was rejected after the supplier's explanation are left out of the calculation
  (they are disqualified, so they neither rank nor move other bids' price scores) and added back as disqualified
  results with the reason.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import overload

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import joinedload

from portal.domain.scoring import (
    BidInput,
    BidResult,
    CompetitionResult,
    CriteriaTree,
    Criterion,
    CriterionKind,
    Group,
    PassFailCriterion,
    ScoringRules,
    evaluate,
)
from portal.extensions import db
from portal.models import Bid, Competition, CompetitionCriterion, ModeratedScore, PriceExplanation, User
from portal.services.bids import seal

HUNDRED = Decimal(100)
ONE = Decimal(1)


@dataclass(frozen=True)
class ScoringInputs:
    tree: CriteriaTree
    rules: ScoringRules
    bids: list[Bid]  # readable submitted bids, in id order
    inputs: list[BidInput]  # the bids that are scored (rejected abnormally low prices left out)
    rejected: dict[str, str]  # bid key -> reason its abnormally low price was rejected
    nodes: dict[int, CompetitionCriterion]  # every criterion node by id
    moderated: dict[int, dict[int, Decimal]]  # bid id -> criterion id -> moderated score


def bid_key(bid: Bid | int) -> str:
    return str(bid if isinstance(bid, int) else bid.id)


def _children(nodes: Iterable[CompetitionCriterion]) -> dict[int | None, list[CompetitionCriterion]]:
    by_parent: dict[int | None, list[CompetitionCriterion]] = {}
    for node in sorted(nodes, key=lambda n: (n.position, n.id)):
        by_parent.setdefault(node.parent_id, []).append(node)
    return by_parent


@overload
def whole(value: Decimal) -> Decimal: ...
@overload
def whole(value: None) -> None: ...
@overload
def whole(value: Decimal | None) -> Decimal | None: ...
def whole(value: Decimal | None) -> Decimal | None:
    """Scores are whole numbers stored as NUMERIC(7,2): drop the '.00' so reasons say 'scored 1', not '1.00'."""
    if value is None or value != value.to_integral_value():
        return value
    return value.quantize(ONE)


def _criterion(node: CompetitionCriterion, by_parent) -> Criterion:
    subs = tuple(_criterion(child, by_parent) for child in by_parent.get(node.id, []) if child.kind != "pass_fail")
    kind = CriterionKind.PRICE if node.kind == "price" else CriterionKind.QUALITY
    return Criterion(
        key=str(node.id),
        name=node.title,
        weight=node.weight if node.weight is not None else Decimal(0),
        kind=kind,
        scale_max=node.scale_max or 5,
        minimum_score=whole(node.min_score),
        sub_criteria=subs,
    )


def criteria_tree(nodes: Iterable[CompetitionCriterion]) -> CriteriaTree:
    nodes = list(nodes)
    by_parent = _children(nodes)
    groups = []
    for top in by_parent.get(None, []):
        if top.kind == "pass_fail":
            continue
        weight = top.weight if top.weight is not None else Decimal(0)
        if top.kind == "group":
            criteria = tuple(
                _criterion(child, by_parent) for child in by_parent.get(top.id, []) if child.kind != "pass_fail"
            )
        else:  # a top-level price or quality node is a group of one criterion
            criteria = (dataclasses.replace(_criterion(top, by_parent), weight=HUNDRED),)
        groups.append(Group(key=str(top.id), name=top.title, weight=weight, criteria=criteria))
    pass_fail = tuple(PassFailCriterion(key=str(n.id), name=n.title) for n in nodes if n.kind == "pass_fail")
    return CriteriaTree(groups=tuple(groups), pass_fail=pass_fail)


def quality_leaves(nodes: Iterable[CompetitionCriterion]) -> list[CompetitionCriterion]:
    """The criteria evaluators score, in tree order: quality nodes without sub-criteria."""
    nodes = list(nodes)
    by_parent = _children(nodes)
    out: list[CompetitionCriterion] = []

    def walk(parent_id):
        for node in by_parent.get(parent_id, []):
            if node.kind == "quality" and not by_parent.get(node.id):
                out.append(node)
            walk(node.id)

    walk(None)
    return out


def rules_for(competition: Competition) -> ScoringRules:
    return ScoringRules(
        price_method=competition.price_method,
        budget_pence=competition.price_budget_pence,
        tie_breaks=tuple(rule.strip() for rule in competition.tie_break.split(",") if rule.strip()),
        abnormally_low_threshold=Decimal(competition.abnormally_low_percent) / HUNDRED,
    )


def readable_bids(reader: User, competition: Competition) -> list[Bid]:
    """Submitted bids the reader may see now, with their suppliers (no query per bid). Their content is read with
    bid_access.submitted_contents (one query for them all)."""
    if seal.buyer_side_level(reader, competition) not in ("full", "without_prices"):
        return []
    return list(
        db.session.scalars(
            select(Bid)
            .where(Bid.competition_id == competition.id, Bid.status == "submitted")
            .options(joinedload(Bid.supplier, innerjoin=True))
            .order_by(Bid.id)
        )
    )


def moderated_scores(competition: Competition) -> dict[tuple[int, int], ModeratedScore]:
    rows = db.session.scalars(select(ModeratedScore).where(ModeratedScore.competition_id == competition.id))
    return {(row.bid_id, row.criterion_id): row for row in rows}


def moderated_values(competition: Competition) -> dict[int, dict[int, Decimal]]:
    """Every moderated score of the competition in one query, as plain values: bid id -> criterion id -> score.

    10,000 rows is common for a large competition, and converting each row's NUMERIC to a Decimal cost more than
    the scoring. So the scores are read as Core rows in whole hundredths (an exact integer on every database: the
    column is NUMERIC(7, 2)), and each of the handful of distinct values becomes a Decimal once. The Decimals are
    the ones the ORM would give (3.00 -> 3, 2.50 stays 2.50), so nothing downstream can tell the difference."""
    hundredths = cast(func.round(ModeratedScore.score * 100), Integer)
    rows = (
        db.session.connection()
        .execute(
            select(ModeratedScore.bid_id, ModeratedScore.criterion_id, hundredths).where(
                ModeratedScore.competition_id == competition.id
            )
        )
        .all()
    )
    values = _Scores()
    by_bid: defaultdict[int, dict[int, Decimal]] = defaultdict(dict)
    for bid_id, criterion_id, score_hundredths in rows:
        by_bid[bid_id][criterion_id] = values[score_hundredths]
    return dict(by_bid)


class _Scores(dict):
    """Whole hundredths -> the moderated score as a Decimal, each distinct value made once."""

    def __missing__(self, hundredths: int) -> Decimal:
        value = self[hundredths] = whole(Decimal(hundredths).scaleb(-2))
        return value


def rejected_low_prices(competition: Competition) -> dict[int, str]:
    rows = db.session.scalars(
        select(PriceExplanation)
        .join(Bid, Bid.id == PriceExplanation.bid_id)
        .where(Bid.competition_id == competition.id, PriceExplanation.outcome == "rejected")
    )
    return {row.bid_id: row.outcome_reason for row in rows}


def scoring_inputs(reader: User, competition: Competition) -> ScoringInputs:
    """Everything `evaluate` needs, read as `reader` (a procurement officer: prices are needed)."""
    nodes = list(competition.criteria)
    tree = criteria_tree(nodes)
    leaf_ids = [node.id for node in quality_leaves(nodes)]
    pass_fail_ids = [node.id for node in nodes if node.kind == "pass_fail"]
    has_price = any(node.kind == "price" for node in nodes)
    bids = readable_bids(reader, competition)
    moderated = moderated_values(competition)
    rejected = rejected_low_prices(competition)
    scored = [bid for bid in bids if bid.id not in rejected]
    inputs = []
    leaf_keys = [(leaf_id, str(leaf_id)) for leaf_id in leaf_ids]
    pass_fail_keys = [(pid, str(pid)) for pid in pass_fail_ids]
    no_scores: dict[int, Decimal] = {}
    for bid, content in seal.submitted_contents(reader, competition, scored):
        answers = {answer["criterion_id"]: answer for answer in content.get("answers", [])}
        own = moderated.get(bid.id, no_scores)
        inputs.append(
            BidInput(
                key=bid_key(bid),
                name=bid.supplier.short_name,
                scores={key: own[leaf_id] for leaf_id, key in leaf_keys if leaf_id in own},  # in tree order
                pass_fail={key: bool(answers.get(pid, {}).get("passed")) for pid, key in pass_fail_keys},
                price_pence=content.get("total_price_pence") if has_price else None,
            )
        )
    return ScoringInputs(
        tree=tree,
        rules=rules_for(competition),
        bids=bids,
        inputs=inputs,
        rejected={bid_key(bid_id): reason for bid_id, reason in rejected.items()},
        nodes={node.id: node for node in nodes},
        moderated=moderated,
    )


def rejected_result(bid: Bid, reason: str) -> BidResult:
    text = "Abnormally low price rejected after the supplier's explanation was considered"
    return BidResult(
        key=bid_key(bid),
        name=bid.supplier.short_name,
        compliant=False,
        disqualification_reasons=(f"{text}: {reason}" if reason else text,),
        price_pence=None,
        weighted={},
        quality_total=Decimal(0),
    )


def score(inputs: ScoringInputs) -> CompetitionResult:
    """Run the pure scoring (ScoringInputError if scores are missing), then add the rejected bids back."""
    result = evaluate(inputs.tree, inputs.inputs, inputs.rules)
    if not inputs.rejected:
        return result
    extra = tuple(
        rejected_result(bid, inputs.rejected[bid_key(bid)]) for bid in inputs.bids if bid_key(bid) in inputs.rejected
    )
    return dataclasses.replace(result, bids=(*result.bids, *extra))
