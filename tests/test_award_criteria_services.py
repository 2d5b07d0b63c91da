"""Service tests for framework award criteria, and the demo seed of them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, AwardCriterionGroup
from portal.seed.award_criteria import seed_award_criteria
from portal.services.errors import ConflictError, PermissionDeniedError, ValidationError
from portal.services.frameworks import award_criteria as criteria
from tests.factories import make_lot, make_user
from tests.test_competition_builder_support import start, world


def audited(kind: str) -> int:
    return len(db.session.scalars(select(AuditEvent).where(AuditEvent.event_type == kind)).all())


def test_staff_add_change_and_remove_groups_and_criteria():
    staff, lot = make_user("staff"), make_lot()
    group = criteria.add_group(staff, lot, name="Quality", kind="quality", min_weight="50", max_weight="70")
    assert (group.min_weight, group.max_weight) == (Decimal(50), Decimal(70))
    item = criteria.add_criterion(staff, group, title="Security", question="How?", guidance="", kind="quality")
    criteria.update_criterion(staff, item, title="Security and audit", question="How?", guidance="G", kind="pass_fail")
    criteria.update_group(staff, group, name="Quality", kind="quality", min_weight="55", max_weight="70")
    assert group.min_weight == 55 and item.kind == "pass_fail"
    criteria.remove_criterion(staff, item)
    criteria.remove_group(staff, group)
    assert criteria.groups_for(lot) == []
    for kind in ("group_added", "criterion_added", "criterion_updated", "group_updated", "criterion_removed"):
        assert audited(f"award_criteria.{kind}") == 1


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"name": ""}, "name"),
        ({"kind": "fun"}, "kind"),
        ({"min_weight": "abc"}, "min_weight"),
        ({"max_weight": "101"}, "max_weight"),
        ({"min_weight": "60", "max_weight": "50"}, "max_weight"),
        ({"min_weight": "10.555"}, "min_weight"),
    ],
)
def test_group_refusals(values, field):
    staff, lot = make_user("staff"), make_lot()
    args = {"name": "Quality", "kind": "quality", "min_weight": "50", "max_weight": "70", **values}
    with pytest.raises(ValidationError) as error:
        criteria.add_group(staff, lot, **args)
    assert error.value.field == field


def test_one_price_group_per_lot_and_no_criteria_in_it():
    staff, lot = make_user("staff"), make_lot()
    price = criteria.add_group(staff, lot, name="Price", kind="price", min_weight="30", max_weight="50")
    with pytest.raises(ConflictError, match="already has a price group"):
        criteria.add_group(staff, lot, name="Cost", kind="price", min_weight="30", max_weight="50")
    with pytest.raises(ConflictError, match="holds no criteria"):
        criteria.add_criterion(staff, price, title="T", question="Q", guidance="", kind="quality")
    with pytest.raises(ConflictError, match="already has a group called"):
        criteria.add_group(staff, lot, name="price", kind="quality", min_weight="30", max_weight="50")


def test_only_staff_may_change_award_criteria():
    lot = make_lot()
    with pytest.raises(PermissionDeniedError):
        criteria.add_group(make_user("buyer"), lot, name="Q", kind="quality", min_weight="0", max_weight="1")


def test_removal_refused_once_a_competition_uses_them():
    w = world()
    start(w)
    quality = next(g for g in criteria.groups_for(w.lot) if g.name == "Quality")
    assert criteria.group_removal_problem(quality)
    with pytest.raises(ConflictError, match="competitions already use it"):
        criteria.remove_group(w.staff, quality)
    with pytest.raises(ConflictError, match="competitions already use it"):
        criteria.remove_criterion(w.staff, quality.criteria[0])
    with pytest.raises(ConflictError, match="kind cannot change"):
        criteria.update_group(w.staff, quality, name="Quality", kind="social_value", min_weight="50", max_weight="70")


def test_weight_ranges_problem_when_no_choice_adds_to_100():
    staff, lot = make_user("staff"), make_lot()
    criteria.add_group(staff, lot, name="Quality", kind="quality", min_weight="10", max_weight="40")
    criteria.add_group(staff, lot, name="Price", kind="price", min_weight="10", max_weight="40")
    assert "maximum weights add up to 80" in criteria.weight_ranges_problem(criteria.groups_for(lot))


def test_seed_is_idempotent_and_sensible():
    lot = make_lot(title="Social media management platform")
    created = seed_award_criteria(lot)
    assert created == 3 + 5 + 1
    assert seed_award_criteria(lot) == 0
    groups = {g.name: g for g in db.session.scalars(select(AwardCriterionGroup))}
    assert (groups["Quality"].min_weight, groups["Quality"].max_weight) == (50, 70)
    assert groups["Social value"].min_weight == 0
    assert "Critical incident content control" in [c.title for c in groups["Quality"].criteria]
    assert criteria.weight_ranges_problem(list(groups.values())) is None
