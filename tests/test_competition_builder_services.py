"""Service tests for the competition builder: starting, details, criteria and weights, price, timetable,
suppliers, task statuses, and the adapter to the scoring domain."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.domain.scoring import CriterionKind, leaves, validate_criteria
from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import AuditEvent, Competition
from portal.models.base import utcnow
from portal.services.competitions import builder, tasks
from portal.services.competitions import builder_criteria as criteria
from portal.services.competitions import builder_terms as terms
from portal.services.competitions import invitees as suppliers
from portal.services.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from tests.factories import make_framework, make_lot, make_organisation, make_user
from tests.test_competition_builder_support import complete, node, start, timetable, valid_weights, world


def events(kind: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event_type == kind)))


# --- Starting ---------------------------------------------------------------------------------------------------


def test_start_copies_the_framework_criteria_tree():
    w = world()
    competition = start(w)
    assert competition.reference.startswith("MC-")
    top = {n.title: n for n in builder.top_level(competition)}
    assert set(top) == {"Quality", "Price", "Social value"}
    assert top["Price"].kind == "price" and top["Quality"].kind == "group"
    assert (top["Quality"].min_weight, top["Quality"].max_weight) == (Decimal(50), Decimal(70))
    kinds = {c.title: c.kind for c in top["Quality"].children}
    assert kinds["Critical incident content control"] == "quality"
    assert kinds["Cyber Essentials Plus certification"] == "pass_fail"
    incident = node(competition, "Critical incident content control")
    assert incident.scale_max == 5 and incident.word_limit == 500 and len(incident.descriptors) == 6
    assert events("competition.created")


def test_start_refuses_a_lot_without_award_criteria_or_of_an_unusable_framework():
    w = world()
    bare = make_lot(w.lot.framework, title="Bare lot")
    expired = make_lot(make_framework(start_on=date(2019, 1, 1), initial_end_on=date(2020, 1, 1)))
    db.session.commit()
    for lot in (bare, expired):
        with pytest.raises(ValidationError) as error:
            builder.create_competition(w.buyer, lot_id=lot.id, title="T")
        assert error.value.field == "lot_id"
    fire = make_user("buyer", organisation=make_organisation(organisation_type="other"))
    assert builder.startable_lots(fire) == []
    assert builder.startable_lots(w.buyer) == [w.lot]


def test_start_needs_a_title():
    w = world()
    with pytest.raises(ValidationError, match="Enter a title"):
        builder.create_competition(w.buyer, lot_id=w.lot.id, title="  ")


def test_other_organisation_cannot_reach_the_competition():
    w = world()
    competition = start(w)
    with pytest.raises(NotFoundError):
        builder.competition_for_officer(w.other_buyer, competition.id)
    with pytest.raises(PermissionDeniedError):
        builder.competition_for_officer(w.evaluator, competition.id)
    assert builder.competition_for_officer(w.approver, competition.id) is competition


# --- Details ----------------------------------------------------------------------------------------------------


def _details(**changes) -> builder.Details:
    values = dict(
        title="Platform",
        statement_of_requirements="We need it.",
        estimated_value_pence=100,
        term_months=24,
        planned_start_on=today_london() + timedelta(days=30),
    )
    values.update(changes)
    return builder.Details(**values)


def test_details_term_beyond_the_framework_maximum_is_refused():
    w = world()
    competition = start(w)
    with pytest.raises(ValidationError, match="36 months or fewer") as error:
        builder.update_details(w.buyer, competition, _details(term_months=37))
    assert error.value.field == "term_months"
    builder.update_details(w.buyer, competition, _details(term_months=36))
    assert competition.term_months == 36
    assert events("competition.details_updated")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"statement_of_requirements": ""}, "statement_of_requirements"),
        ({"estimated_value_pence": None}, "estimated_value"),
        ({"term_months": 0}, "term_months"),
        ({"planned_start_on": None}, "planned_start_on"),
        ({"planned_start_on": date(2020, 1, 1)}, "planned_start_on"),
    ],
)
def test_details_refusals(changes, field):
    w = world()
    competition = start(w)
    with pytest.raises(ValidationError) as error:
        builder.update_details(w.buyer, competition, _details(**changes))
    assert error.value.field == field


# --- Criteria and weights ---------------------------------------------------------------------------------------


def test_valid_weights_give_no_problems_and_a_tree_the_domain_accepts():
    w = world()
    competition = start(w)
    assert criteria.set_weights(w.buyer, competition, valid_weights(competition)) == []
    tree = builder.criteria_tree_for(competition)
    assert validate_criteria(tree) == []
    assert [g.name for g in tree.groups] == ["Quality", "Price"]  # optional social value at 0 % is left out
    assert [p.name for p in tree.pass_fail] == ["Cyber Essentials Plus certification"]
    assert sum(leaf.effective_weight for leaf in leaves(tree)) == 100
    assert any(leaf.kind is CriterionKind.PRICE and leaf.effective_weight == 40 for leaf in leaves(tree))
    effective = criteria.effective_weights(competition)
    assert effective[node(competition, "Critical incident content control").id] == 15
    assert events("competition.weights_updated")


def test_missing_weights_are_reported_by_name():
    w = world()
    competition = start(w)
    problems = criteria.set_weights(w.buyer, competition, {})
    assert any(p.message == "Enter a weight for Quality" for p in problems)


def test_weights_not_adding_to_100_are_saved_and_reported():
    w = world()
    competition = start(w)
    weights = valid_weights(competition)
    weights[node(competition, "Price").id] = Decimal(30)
    problems = criteria.set_weights(w.buyer, competition, weights)
    assert any("add up to 90 %" in p.message for p in problems)
    assert node(competition, "Price").weight == 30  # nothing entered is lost
    assert tasks.section_statuses(competition)["criteria"] == tasks.IN_PROGRESS


def test_weights_outside_the_framework_range_are_reported():
    w = world()
    competition = start(w)
    weights = valid_weights(competition)
    weights[node(competition, "Quality").id] = Decimal(80)
    weights[node(competition, "Price").id] = Decimal(20)
    problems = criteria.set_weights(w.buyer, competition, weights)
    messages = [p.message for p in problems]
    assert "Quality weight must be between 50 % and 70 %" in messages
    assert "Price weight must be between 30 % and 50 %" in messages
    assert {p.node_id for p in problems} == {node(competition, "Quality").id, node(competition, "Price").id}


def test_weight_over_100_is_refused():
    w = world()
    competition = start(w)
    with pytest.raises(ValidationError):
        criteria.set_weights(w.buyer, competition, {node(competition, "Quality").id: Decimal(101)})


def test_refining_wording_scale_and_descriptors():
    w = world()
    competition = start(w)
    incident = node(competition, "Critical incident content control")
    changed = criteria.update_criterion(
        w.buyer,
        competition,
        incident.id,
        question="How do you pause posts?",
        guidance="",
        word_limit=300,
        scale_max=10,
        min_score=None,
        descriptors={},
    )
    assert changed and incident.scale_max == 10 and len(incident.descriptors) == 11
    texts = {score: f"Meaning of {score}" for score in range(11)}
    assert not criteria.update_criterion(
        w.buyer,
        competition,
        incident.id,
        question="How?",
        guidance="G",
        word_limit=300,
        scale_max=10,
        min_score=Decimal(4),
        descriptors=texts,
    )
    assert [d.descriptor for d in incident.descriptors][3] == "Meaning of 3"
    assert incident.min_score == 4 and incident.question == "How?"
    assert events("competition.criterion_updated")


def test_missing_descriptor_is_refused():
    w = world()
    competition = start(w)
    incident = node(competition, "Critical incident content control")
    texts = {score: "x" for score in range(6)}
    texts[2] = " "
    with pytest.raises(ValidationError, match="score of 2") as error:
        criteria.update_criterion(
            w.buyer,
            competition,
            incident.id,
            question="Q",
            guidance="",
            word_limit=300,
            scale_max=5,
            min_score=None,
            descriptors=texts,
        )
    assert error.value.field == "descriptor_2"


def test_hundred_point_scale_uses_bands():
    w = world()
    competition = start(w)
    incident = node(competition, "Critical incident content control")
    criteria.update_criterion(
        w.buyer,
        competition,
        incident.id,
        question="Q",
        guidance="",
        word_limit=300,
        scale_max=100,
        min_score=None,
        descriptors={},
    )
    assert [d.score for d in incident.descriptors] == [0, 20, 40, 60, 80]


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"word_limit": 0}, "word_limit"), ({"scale_max": 7}, "scale_max"), ({"min_score": Decimal(6)}, "min_score")],
)
def test_scoring_refusals(changes, field):
    w = world()
    competition = start(w)
    incident = node(competition, "Critical incident content control")
    values = dict(
        question="Q", guidance="", word_limit=300, scale_max=5, min_score=None, descriptors={s: "x" for s in range(6)}
    )
    values.update(changes)
    with pytest.raises(ValidationError) as error:
        criteria.update_criterion(w.buyer, competition, incident.id, **values)
    assert error.value.field == field


def test_split_into_sub_criteria_and_remove_only_own_sub_criteria():
    w = world()
    competition = start(w)
    security = node(competition, "Security and auditability")
    a = criteria.add_sub_criterion(w.buyer, competition, security.id, title="Access control", question="How?")
    b = criteria.add_sub_criterion(w.buyer, competition, security.id, title="Audit trail", question="How?")
    weights = valid_weights(competition)
    weights[a.id], weights[b.id] = Decimal(70), Decimal(40)
    problems = criteria.set_weights(w.buyer, competition, weights)
    assert any("Sub-criteria weights under" in p.message and "110 %" in p.message for p in problems)
    weights[b.id] = Decimal(30)
    assert criteria.set_weights(w.buyer, competition, weights) == []
    assert criteria.effective_weights(competition)[a.id] == Decimal("10.5")  # 60 x 25 x 70 / 100^2
    with pytest.raises(ConflictError, match="can be refined but not removed"):
        criteria.remove_sub_criterion(w.buyer, competition, security.id)
    criteria.remove_sub_criterion(w.buyer, competition, b.id)
    assert [c.title for c in security.children] == ["Access control"]
    with pytest.raises(ConflictError):
        criteria.add_sub_criterion(w.buyer, competition, a.id, title="Deeper", question="Q")


# --- Price ------------------------------------------------------------------------------------------------------


def _terms(competition, **changes) -> terms.PriceTerms:
    items = competition.lot.price_items
    values = dict(
        quantities={items[0].id: 10, items[1].id: 0},
        price_method="lowest",
        budget_pence=None,
        tie_break=["higher_quality", "lower_price"],
        abnormally_low_percent=Decimal(20),
    )
    values.update(changes)
    return terms.PriceTerms(**values)


def test_price_terms_saved_with_positive_quantities_only():
    w = world()
    competition = start(w)
    terms.set_price_terms(w.buyer, competition, _terms(competition))
    assert [(line.price_item.name, line.quantity) for line in competition.schedule_lines] == [("User licence", 10)]
    assert competition.tie_break == "higher_quality,lower_price"
    assert tasks.section_statuses(competition)["price"] == tasks.COMPLETED
    assert events("competition.price_updated")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"quantities": {}}, "at least one price item"),
        ({"price_method": "cheapest"}, "Select how price is scored"),
        ({"price_method": "linear"}, "budget"),
        ({"tie_break": []}, "first tie-break"),
        ({"tie_break": ["lower_price", "lower_price"]}, "must differ"),
        ({"abnormally_low_percent": Decimal(0)}, "abnormally low"),
    ],
)
def test_price_refusals(changes, message):
    w = world()
    competition = start(w)
    with pytest.raises(ValidationError, match=message):
        terms.set_price_terms(w.buyer, competition, _terms(competition, **changes))


def test_linear_method_keeps_its_budget():
    w = world()
    competition = start(w)
    terms.set_price_terms(w.buyer, competition, _terms(competition, price_method="linear", budget_pence=6_000_000))
    assert competition.price_budget_pence == 6_000_000


# --- Timetable --------------------------------------------------------------------------------------------------


def test_valid_timetable_is_saved():
    w = world()
    competition = start(w)
    terms.set_timetable(w.buyer, competition, **timetable())
    assert competition.submission_deadline_at is not None
    assert events("competition.timetable_updated")


def test_deadline_before_the_minimum_bid_period_is_refused():
    w = world()
    competition = start(w)
    with pytest.raises(terms.TimetableInvalid) as error:
        terms.set_timetable(w.buyer, competition, **timetable(days=5))
    assert "minimum bid period is 10 days" in error.value.errors["submission_deadline_at"]
    assert competition.submission_deadline_at is None


def test_deadline_in_the_past_and_wrong_order_are_refused():
    w = world()
    competition = start(w)
    past = timetable()
    past["submission_deadline_at"] = utcnow() - timedelta(hours=1)
    with pytest.raises(terms.TimetableInvalid) as error:
        terms.set_timetable(w.buyer, competition, **past)
    assert error.value.errors["submission_deadline_at"] == "The submission deadline must be in the future"
    wrong = timetable()
    wrong["clarification_deadline_at"] = wrong["submission_deadline_at"] + timedelta(hours=1)
    wrong["award_on"] = wrong["evaluation_on"] - timedelta(days=1)
    with pytest.raises(terms.TimetableInvalid) as error:
        terms.set_timetable(w.buyer, competition, **wrong)
    assert "before the submission deadline" in error.value.errors["clarification_deadline_at"]
    assert "award_on" in error.value.errors


# --- Suppliers --------------------------------------------------------------------------------------------------


def test_suspended_and_excluded_suppliers_are_not_invitable():
    w = world()
    competition = start(w)
    standings = {s.supplier.short_name: s for s in suppliers.supplier_standings(competition)}
    assert standings["Alpha"].invitable and standings["Bravo"].invitable
    assert not standings["Charlie"].invitable and "Suspended" in standings["Charlie"].reasons[0]
    assert not standings["Delta"].invitable and "Excluded" in standings["Delta"].reasons[0]


def test_narrowing_by_capability_needs_a_reason():
    w = world()
    competition = start(w)
    channels = w.lot.capabilities[0]
    with pytest.raises(ValidationError, match="Enter why") as error:
        suppliers.set_required_capabilities(w.buyer, competition, [channels.id], "")
    assert error.value.field == "narrowing_reason"
    suppliers.set_required_capabilities(w.buyer, competition, [channels.id], "Every channel must be managed")
    assert [s.short_name for s in suppliers.invitable_suppliers(competition)] == ["Alpha"]
    bravo = next(s for s in suppliers.supplier_standings(competition) if s.supplier.short_name == "Bravo")
    assert "Does not claim the required capability Channels in one place" in bravo.reasons
    assert events("competition.suppliers_narrowed")
    suppliers.set_required_capabilities(w.buyer, competition, [], "")
    assert competition.narrowing_reason == "" and len(suppliers.invitable_suppliers(competition)) == 2


def test_narrowing_by_an_unknown_capability_is_refused():
    w = world()
    competition = start(w)
    with pytest.raises(ValidationError):
        suppliers.set_required_capabilities(w.buyer, competition, [999999], "Because")


# --- Task list --------------------------------------------------------------------------------------------------


def test_task_statuses_move_from_not_started_to_completed():
    w = world()
    competition = start(w)
    statuses = {t.key: t.status for t in tasks.tasks(competition)}
    assert statuses["details"] == tasks.NOT_STARTED
    assert statuses["criteria"] == tasks.NOT_STARTED
    assert statuses["suppliers"] == tasks.NOT_STARTED  # suppliers are invitable, but the buyer has not looked yet
    assert statuses["review"] == tasks.CANNOT_START
    complete(competition, w.buyer)
    statuses = {t.key: t.status for t in tasks.tasks(competition)}
    assert all(
        status == tasks.COMPLETED for key, status in statuses.items() if key not in ("review", "tender_documents")
    )
    assert statuses["review"] == tasks.NOT_STARTED


def test_suppliers_are_completed_only_once_the_buyer_confirms_the_list():
    from portal.services.competitions import publication

    w = world()
    competition = start(w)
    complete(competition, w.buyer, confirm_suppliers=False)  # every other section done; suppliers are invitable
    statuses = {t.key: t.status for t in tasks.tasks(competition)}
    assert statuses["suppliers"] == tasks.NOT_STARTED and statuses["review"] == tasks.CANNOT_START
    assert tasks.progress(tasks.tasks(competition)) == tasks.Progress(4, 5)
    assert "Complete the section: Suppliers" in publication.publish_problems(competition)
    suppliers.set_required_capabilities(w.buyer, competition, [], "")  # saved unchanged: the list is confirmed
    assert json.loads(events("competition.suppliers_confirmed")[0].after_json)["invited"] == ["Alpha", "Bravo"]
    statuses = {t.key: t.status for t in tasks.tasks(competition)}
    assert statuses["suppliers"] == tasks.COMPLETED and statuses["review"] == tasks.NOT_STARTED
    assert tasks.progress(tasks.tasks(competition)).ready and publication.publish_problems(competition) == []


def test_every_builder_edit_is_refused_after_publication():
    from portal.services.competitions import publication

    w = world()
    competition = complete(start(w), w.buyer)
    publication.publish(w.buyer, competition.id)
    incident = node(competition, "Critical incident content control")
    refusals = [
        lambda: builder.update_details(w.buyer, competition, _details()),
        lambda: criteria.set_weights(w.buyer, competition, valid_weights(competition)),
        lambda: criteria.update_criterion(w.buyer, competition, incident.id, question="Q", guidance=""),
        lambda: criteria.add_sub_criterion(w.buyer, competition, incident.id, title="T", question="Q"),
        lambda: terms.set_price_terms(w.buyer, competition, _terms(competition)),
        lambda: terms.set_timetable(w.buyer, competition, **timetable()),
        lambda: suppliers.set_required_capabilities(w.buyer, competition, [], ""),
    ]
    for refuse in refusals:
        with pytest.raises(ConflictError, match="has been published"):
            refuse()
    assert isinstance(db.session.get(Competition, competition.id).published_at, type(utcnow()))


def test_adapter_reads_the_shared_factory_shape():
    from tests.factories_competition import make_competition

    competition = make_competition()
    tree = builder.criteria_tree_for(competition)
    assert validate_criteria(tree) == []
    assert [g.name for g in tree.groups] == ["Quality", "Price"]
    assert [p.name for p in tree.pass_fail] == ["Cyber Essentials Plus held"]
    assert {leaf.name: leaf.effective_weight for leaf in leaves(tree)} == {
        "Channel management": 30,
        "Critical incidents": 30,
        "Price": 40,
    }
