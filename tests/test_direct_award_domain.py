"""Direct award selection: hand-computed examples for matching, cost and ranking, and properties that must hold."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.direct_award import (
    CSV_HEADER,
    Candidate,
    CostLine,
    HeldAccreditation,
    PriceBasis,
    PriceItemQuantity,
    ReasonCode,
    Requirement,
    applicable_price,
    csv_rows,
    requirement_errors,
    selection_summary,
    shortlist,
)
from portal.domain.suppliers import Eligibility, Ineligible, PriceVersion, Refusal, price_on

SUSPENDED, REMOVED, EXCLUDED = (Eligibility((Refusal(reason),)) for reason in (
    Ineligible.SUSPENDED, Ineligible.REMOVED, Ineligible.EXCLUDED
))  # fmt: skip
START = date(2026, 4, 1)
CE_PLUS = "Cyber Essentials Plus"
LICENCE, ONBOARDING, TRAINING, API = 10, 11, 12, 13


@pytest.fixture(autouse=True)
def db():
    """Pure domain rules: no app and no database (overrides the suite's autouse database fixture)."""
    return None


REQUIREMENT = Requirement(
    essential_capability_ids=frozenset({1, 2}),
    required_schemes=frozenset({CE_PLUS}),
    term_months=24,
    starts_on=START,
    capability_names={1: "All corporate channels in one place", 2: "24/7 digital contact channel"},
)
QUANTITIES = (
    PriceItemQuantity(LICENCE, "User licence", PriceBasis.PER_MONTH, 120),
    PriceItemQuantity(ONBOARDING, "Onboarding day", PriceBasis.ONE_OFF, 5),
    PriceItemQuantity(TRAINING, "Training session", PriceBasis.ONE_OFF, 2),
    PriceItemQuantity(API, "API add-on", PriceBasis.PER_MONTH, 0),  # not wanted: no price needed, no line
)


def v(effective_from: date, pence: int) -> PriceVersion:
    return PriceVersion(effective_from, pence)


def supplier(supplier_id: int, name: str, **changes) -> Candidate:
    values = {
        "supplier_id": supplier_id,
        "name": name,
        "capability_ids": frozenset({1, 2}),
        "accreditations": (HeldAccreditation(CE_PLUS, None),),
        "framework_ranking": None,
        "prices": {
            LICENCE: (v(date(2025, 1, 1), 1700),),
            ONBOARDING: (v(date(2025, 1, 1), 50_000),),
            TRAINING: (v(date(2025, 1, 1), 40_000),),
        },
    }
    return Candidate(**(values | changes))


ORLO = supplier(
    1,
    "Orlo",
    capability_ids=frozenset({1, 2, 3}),
    accreditations=(HeldAccreditation(CE_PLUS, date(2027, 1, 1)),),
    framework_ranking=2,
    prices={
        # The version effective on the start date itself applies; the later one does not.
        LICENCE: (v(date(2025, 1, 1), 1500), v(START, 1600), v(date(2026, 6, 1), 9999)),
        ONBOARDING: (v(date(2025, 1, 1), 60_000),),
        TRAINING: (v(date(2025, 1, 1), 45_000),),
    },
)
SOFTCAT = supplier(2, "Softcat", framework_ranking=1)
SUSPENDED_CO = supplier(3, "Acme Social", eligibility=SUSPENDED)
BETA = supplier(
    4,
    "Beta Comms",
    capability_ids=frozenset({1}),
    accreditations=(HeldAccreditation(CE_PLUS, date(2026, 3, 31)),),
)
GAMMA = supplier(5, "Gamma Listening", prices={LICENCE: (v(date(2025, 1, 1), 100),), ONBOARDING: ()})
DELTA = supplier(6, "Delta Digital", eligibility=EXCLUDED)
EVERYONE = [ORLO, SOFTCAT, SUSPENDED_CO, BETA, GAMMA, DELTA]

# Orlo:    120 x £16.00 x 24 = £46,080.00; 5 x £600.00 = £3,000.00; 2 x £450.00 = £900.00; total £49,980.00
# Softcat: 120 x £17.00 x 24 = £48,960.00; 5 x £500.00 = £2,500.00; 2 x £400.00 = £800.00; total £52,260.00
ORLO_TOTAL, SOFTCAT_TOTAL = 4_998_000, 5_226_000


def test_lowest_cost_selects_the_cheapest_capable_supplier():
    result = shortlist(REQUIREMENT, QUANTITIES, EVERYONE, "lowest_cost", ["framework_ranking"])
    assert [(s.name, s.rank, s.total_pence) for s in result.capable] == [
        ("Orlo", 1, ORLO_TOTAL),
        ("Softcat", 2, SOFTCAT_TOTAL),
    ]
    assert result.selected.name == "Orlo"
    assert result.decided_by == "lowest_cost"
    assert result.unresolved_tie == ()


def test_the_cost_breakdown_uses_the_price_on_the_planned_start_date():
    orlo = shortlist(REQUIREMENT, QUANTITIES, [ORLO], "lowest_cost").capable[0]
    assert orlo.lines == (
        CostLine(LICENCE, "User licence", PriceBasis.PER_MONTH, 120, 1600, 24, START, 4_608_000),
        CostLine(ONBOARDING, "Onboarding day", PriceBasis.ONE_OFF, 5, 60_000, None, date(2025, 1, 1), 300_000),
        CostLine(TRAINING, "Training session", PriceBasis.ONE_OFF, 2, 45_000, None, date(2025, 1, 1), 90_000),
    )


def test_highest_ranking_selects_the_best_ranked_capable_supplier():
    result = shortlist(REQUIREMENT, QUANTITIES, EVERYONE, "highest_ranking", ["lower_cost"])
    assert [s.name for s in result.capable] == ["Softcat", "Orlo"]
    assert result.selected.name == "Softcat"
    assert result.decided_by == "highest_ranking"


def test_not_capable_suppliers_carry_every_reason():
    result = shortlist(REQUIREMENT, QUANTITIES, EVERYONE, "lowest_cost")
    reasons = {n.name: [(r.code, r.message) for r in n.reasons] for n in result.not_capable}
    assert reasons == {
        "Acme Social": [(ReasonCode.NOT_ACTIVE, "Suspended from this lot")],
        "Beta Comms": [
            (ReasonCode.MISSING_CAPABILITY, "Does not meet: 24/7 digital contact channel"),
            (
                ReasonCode.EXPIRED_ACCREDITATION,
                "Cyber Essentials Plus expires on 31 March 2026, before the planned start date (1 April 2026)",
            ),
        ],
        "Delta Digital": [(ReasonCode.EXCLUDED, "Excluded: an exclusion is in force against this supplier")],
        "Gamma Listening": [
            (ReasonCode.NO_PRICE, "No price for Onboarding day on the planned start date (1 April 2026)"),
            (ReasonCode.NO_PRICE, "No price for Training session on the planned start date (1 April 2026)"),
        ],
    }
    assert [n.name for n in result.not_capable] == sorted(reasons)


def test_a_removed_supplier_and_a_missing_accreditation_are_explained():
    removed = supplier(7, "Gone Ltd", eligibility=REMOVED, accreditations=())
    (entry,) = shortlist(REQUIREMENT, QUANTITIES, [removed], "lowest_cost").not_capable
    assert [r.message for r in entry.reasons] == ["Removed from this lot", "Does not hold Cyber Essentials Plus"]
    assert entry.reasons[1].subject == CE_PLUS


def test_an_accreditation_is_valid_up_to_and_including_its_expiry_date():
    on_the_day = supplier(8, "Just In Time", accreditations=(HeldAccreditation(CE_PLUS, START),))
    assert [s.name for s in shortlist(REQUIREMENT, QUANTITIES, [on_the_day], "lowest_cost").capable] == ["Just In Time"]


def test_a_renewed_accreditation_counts_even_if_an_older_one_expired():
    renewed = (HeldAccreditation(CE_PLUS, date(2025, 1, 1)), HeldAccreditation(CE_PLUS, date(2027, 1, 1)))
    result = shortlist(REQUIREMENT, QUANTITIES, [supplier(9, "Renewed", accreditations=renewed)], "lowest_cost")
    assert len(result.capable) == 1


def test_a_price_only_effective_after_the_start_date_does_not_count():
    late = supplier(10, "Late Prices", prices={**SOFTCAT.prices, TRAINING: (v(date(2026, 4, 2), 1),)})
    (entry,) = shortlist(REQUIREMENT, QUANTITIES, [late], "lowest_cost").not_capable
    assert [r.code for r in entry.reasons] == [ReasonCode.NO_PRICE]
    assert entry.reasons[0].subject == TRAINING


def test_a_supplier_not_yet_on_the_lot_or_on_an_expired_framework_is_not_capable():
    joins = Eligibility((Refusal(Ineligible.NOT_YET_JOINED, date(2026, 5, 1)),))
    expired = Eligibility((Refusal(Ineligible.FRAMEWORK_EXPIRED, date(2026, 3, 1)),))
    result = shortlist(REQUIREMENT, QUANTITIES, [supplier(11, "Soon", eligibility=joins),
                                                 supplier(12, "Late", eligibility=expired)], "lowest_cost")  # fmt: skip
    assert result.capable == ()
    reasons = {n.name: [(r.code, r.message) for r in n.reasons] for n in result.not_capable}
    assert reasons == {
        "Soon": [(ReasonCode.NOT_A_MEMBER, "Joins this lot on 1 May 2026")],
        "Late": [(ReasonCode.FRAMEWORK_NOT_LIVE, "The framework expired on 1 March 2026")],
    }


def test_a_cost_tie_is_broken_by_framework_ranking():
    a = supplier(20, "Alpha", framework_ranking=3)
    b = supplier(21, "Bravo", framework_ranking=2)
    result = shortlist(REQUIREMENT, QUANTITIES, [a, b], "lowest_cost", ["framework_ranking", "lower_cost"])
    assert [(s.name, s.rank) for s in result.capable] == [("Bravo", 1), ("Alpha", 2)]
    assert result.decided_by == "framework_ranking"
    assert selection_summary(result) == (
        "Bravo is selected from 2 capable suppliers: level with Alpha on whole-life cost, it wins the tie-break on "
        "framework ranking (£52,260.00)."
    )


def test_a_tie_left_after_every_tie_break_is_reported_and_selects_no_one():
    a, b, c = supplier(30, "Bravo"), supplier(31, "Alpha"), supplier(32, "Costly", framework_ranking=1)
    c = dataclasses.replace(c, prices={**c.prices, TRAINING: (v(date(2025, 1, 1), 40_001),)})
    result = shortlist(REQUIREMENT, QUANTITIES, [a, b, c], "lowest_cost", ["framework_ranking"])
    assert result.selected is None
    assert set(result.unresolved_tie) == {30, 31}
    assert [(s.name, s.rank) for s in result.capable] == [("Alpha", 1), ("Bravo", 1), ("Costly", 3)]
    assert result.decided_by is None
    assert selection_summary(result) == (
        "Alpha and Bravo are level on whole-life cost and on every tie-break, so the mechanism does not select a "
        "supplier."
    )


def test_unranked_suppliers_come_after_ranked_ones_under_highest_ranking():
    unranked = supplier(40, "Unranked Cheap", prices={**SOFTCAT.prices, LICENCE: (v(date(2025, 1, 1), 1),)})
    ranked = supplier(41, "Ranked Dear", framework_ranking=9)
    result = shortlist(REQUIREMENT, QUANTITIES, [unranked, ranked], "highest_ranking")
    assert result.selected.name == "Ranked Dear"


def test_no_capable_supplier():
    result = shortlist(REQUIREMENT, QUANTITIES, [SUSPENDED_CO, DELTA], "lowest_cost")
    assert (result.capable, result.selected, result.unresolved_tie) == ((), None, ())
    assert selection_summary(result) == "No supplier is capable of meeting this requirement."


def test_a_single_capable_supplier_is_selected():
    result = shortlist(REQUIREMENT, QUANTITIES, [SOFTCAT, DELTA], "lowest_cost")
    assert result.selected.name == "Softcat"
    assert selection_summary(result) == "Softcat is the only capable supplier (£52,260.00)."


def test_summary_for_a_mechanism_decision():
    result = shortlist(REQUIREMENT, QUANTITIES, EVERYONE, "highest_ranking")
    assert selection_summary(result) == (
        "Softcat is selected from 2 capable suppliers: it has the best framework ranking (£52,260.00)."
    )


@pytest.mark.parametrize(
    ("mechanism", "tie_breaks", "quantity", "term"),
    [
        ("cheapest_vibes", (), 1, 12),
        ("lowest_cost", ("coin_toss",), 1, 12),
        ("lowest_cost", (), -1, 12),
        ("lowest_cost", (), True, 12),
        ("lowest_cost", (), 1, 0),
    ],
)
def test_malformed_inputs_are_refused(mechanism, tie_breaks, quantity, term):
    requirement = dataclasses.replace(REQUIREMENT, term_months=term)
    quantities = [PriceItemQuantity(LICENCE, "User licence", PriceBasis.PER_MONTH, quantity)]
    with pytest.raises(ValueError):
        shortlist(requirement, quantities, [SOFTCAT], mechanism, tie_breaks)


def test_a_sound_requirement_has_no_errors():
    assert requirement_errors(REQUIREMENT, QUANTITIES, 36) == {}


@pytest.mark.parametrize(
    ("changes", "quantity", "field", "message"),
    [
        ({"essential_capability_ids": frozenset()}, 1, "essential_capability_ids", "Select at least one essential "
         "capability"),
        ({"term_months": 0}, 1, "term_months", "The contract term must be at least 1 month"),
        ({"term_months": 37}, 1, "term_months", "The contract term must be 36 months or fewer: the framework's "
         "maximum call-off term"),
        ({}, -1, "quantity_10", "The quantity for User licence must be a whole number, 0 or more"),
        ({}, 1.5, "quantity_10", "The quantity for User licence must be a whole number, 0 or more"),
        ({}, 0, "quantities", "Enter a quantity above 0 for at least one price item"),
    ],
)  # fmt: skip
def test_requirement_errors_are_keyed_by_field(changes, quantity, field, message):
    requirement = dataclasses.replace(REQUIREMENT, **changes)
    quantities = [PriceItemQuantity(LICENCE, "User licence", PriceBasis.PER_MONTH, quantity)]
    assert requirement_errors(requirement, quantities, 36) == {field: message}


def test_csv_rows_cover_capable_and_not_capable_suppliers():
    result = shortlist(REQUIREMENT, QUANTITIES, [ORLO, SOFTCAT, BETA], "lowest_cost")
    rows = csv_rows(result)
    assert rows[0] == list(CSV_HEADER)
    assert rows[1] == [
        "1",
        "Orlo",
        "Selected",
        "User licence",
        "per_month",
        "120",
        "16.00",
        "24",
        "46080.00",
        "49980.00",
        "",
    ]
    assert [r[2] for r in rows[1:]] == ["Selected"] * 3 + ["Capable"] * 3 + ["Not capable"] * 2
    assert (
        rows[-1][-1] == "Cyber Essentials Plus expires on 31 March 2026, before the planned start date (1 April 2026)"
    )
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    assert len(list(csv.reader(io.StringIO(buffer.getvalue())))) == 9


def test_csv_rows_neutralise_spreadsheet_formulas():
    sly = supplier(50, '=HYPERLINK("http://evil.example")')
    rows = csv_rows(shortlist(REQUIREMENT, QUANTITIES, [sly], "lowest_cost"))
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example")'


def test_csv_marks_suppliers_in_an_unresolved_tie():
    rows = csv_rows(shortlist(REQUIREMENT, QUANTITIES, [supplier(60, "A"), supplier(61, "B")], "lowest_cost"))
    assert {r[2] for r in rows[1:]} == {"Capable, tied"}


# --- Properties -------------------------------------------------------------------------------------------------

CAPABILITIES = [1, 2, 3, 4, 5]
ITEMS = [(LICENCE, PriceBasis.PER_MONTH), (ONBOARDING, PriceBasis.ONE_OFF), (TRAINING, PriceBasis.ONE_OFF)]


@st.composite
def candidates(draw, supplier_id: int) -> Candidate:
    return Candidate(
        supplier_id=supplier_id,
        name=draw(st.sampled_from(["Orlo", "Softcat", "Acme", "Beta"])),  # repeated names on purpose
        capability_ids=frozenset(draw(st.sets(st.sampled_from(CAPABILITIES)))),
        framework_ranking=draw(st.none() | st.integers(1, 4)),
        prices={item: (v(date(2025, 1, 1), draw(st.integers(0, 5_000))),) for item, _ in ITEMS},
    )


@st.composite
def scenarios(draw):
    count = draw(st.integers(1, 7))
    field = [draw(candidates(supplier_id)) for supplier_id in range(1, count + 1)]
    requirement = Requirement(
        essential_capability_ids=frozenset(draw(st.sets(st.sampled_from(CAPABILITIES), min_size=1))),
        required_schemes=frozenset(),
        term_months=draw(st.integers(1, 48)),
        starts_on=START,
    )
    quantities = [PriceItemQuantity(item, f"Item {item}", basis, draw(st.integers(0, 200))) for item, basis in ITEMS]
    mechanism = draw(st.sampled_from(["lowest_cost", "highest_ranking"]))
    tie_breaks = draw(st.permutations(["framework_ranking", "lower_cost"]))[: draw(st.integers(0, 2))]
    return requirement, quantities, field, mechanism, tie_breaks


@given(scenarios())
def test_a_supplier_is_capable_exactly_when_it_meets_every_essential_capability(scenario):
    requirement, quantities, field, mechanism, tie_breaks = scenario
    result = shortlist(requirement, quantities, field, mechanism, tie_breaks)
    meets_all = {c.supplier_id for c in field if requirement.essential_capability_ids <= c.capability_ids}
    assert {s.supplier_id for s in result.capable} == meets_all
    assert {n.supplier_id for n in result.not_capable} == {c.supplier_id for c in field} - meets_all


@given(scenarios(), st.data())
def test_raising_a_unit_price_never_improves_a_suppliers_rank(scenario, data):
    requirement, quantities, field, mechanism, tie_breaks = scenario
    index = data.draw(st.integers(0, len(field) - 1))
    item = data.draw(st.sampled_from([item for item, _ in ITEMS]))
    rise = data.draw(st.integers(1, 10_000))
    target = field[index]
    (old_version,) = target.prices[item]
    dearer = dataclasses.replace(
        target, prices={**target.prices, item: (v(old_version.effective_from, old_version.unit_price_pence + rise),)}
    )
    before = shortlist(requirement, quantities, field, mechanism, tie_breaks)
    after = shortlist(requirement, quantities, [*field[:index], dearer, *field[index + 1 :]], mechanism, tie_breaks)
    rank_before = {s.supplier_id: s.rank for s in before.capable}.get(target.supplier_id)
    rank_after = {s.supplier_id: s.rank for s in after.capable}.get(target.supplier_id)
    assert (rank_before is None) == (rank_after is None)  # a price never changes who is capable
    if rank_before is not None:
        assert rank_after >= rank_before


@given(scenarios(), st.data())
def test_the_order_suppliers_are_given_in_changes_nothing(scenario, data):
    requirement, quantities, field, mechanism, tie_breaks = scenario
    shuffled = data.draw(st.permutations(field))
    assert shortlist(requirement, quantities, shuffled, mechanism, tie_breaks) == shortlist(
        requirement, quantities, field, mechanism, tie_breaks
    )


@given(scenarios())
def test_the_selected_supplier_is_first_and_alone_at_the_top(scenario):
    result = shortlist(*scenario)
    if result.selected is not None:
        assert result.selected == result.capable[0]
        assert [s.rank for s in result.capable].count(1) == 1
    elif result.capable:
        assert len(result.unresolved_tie) >= 2


@given(
    versions=st.lists(
        st.builds(PriceVersion, st.dates(date(2024, 1, 1), date(2027, 12, 31)), st.integers(0, 10**6)),
        unique_by=lambda v: v.effective_from,  # one version per date, as the database enforces
    ),
    day=st.dates(date(2024, 1, 1), date(2027, 12, 31)),
)
def test_the_fast_price_lookup_follows_the_supplier_price_rule(versions, day):
    assert applicable_price(versions, day) == price_on(day, versions)
