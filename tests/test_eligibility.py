"""One eligibility rule (portal.domain.suppliers.eligibility_on), proven through every path that asks it.

The table gives, for each case, the reasons the pure function returns and the outcome expected on each service
path: a competition's invitation list, the direct award match (capable suppliers), recommendation and approval (a
mini-competition's and a direct award's alike). Every service path must agree with the pure function: that is the
point of having one rule. Days are counted from today: joins in 30 days, left yesterday, and so on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.domain.suppliers import (
    Eligibility,
    FrameworkTerm,
    Ineligible,
    Membership,
    MembershipStatus,
    Period,
    eligibility_on,
)
from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import Framework, LotMembership, Supplier
from portal.services.competitions.invitees import supplier_standings
from portal.services.direct_awards import decisions
from portal.services.direct_awards import shortlist as shortlists
from portal.services.errors import ConflictError
from portal.services.evaluation import award
from tests.factories import make_exclusion, make_framework, make_lot, make_membership, make_supplier
from tests.factories_competition import make_competition
from tests.test_award_services import moderated_world, recommended_world
from tests.test_direct_award_world import build_world, ready_award

I = Ineligible  # noqa: E741


@dataclass(frozen=True)
class Case:
    """A supplier's standing as day offsets from today (None: no such date)."""

    joined: int = -100
    left: int | None = None
    status: str = "active"
    exclusion: tuple[int, int | None] | None = None  # (starts, ends) of one exclusion
    framework: tuple[int, int] = (-400, 700)  # (start, current end) of the framework's term


# case id: (the standing, the pure function's reasons, invited, direct award capable, recommended, approved)
YES, NO = True, False
TABLE: dict[str, tuple[Case, tuple[Ineligible, ...], bool, bool, bool, bool]] = {
    "active": (Case(), (), YES, YES, YES, YES),
    "joins in the future": (Case(joined=30), (I.NOT_YET_JOINED,), NO, NO, NO, NO),
    "leaves today": (Case(left=0), (I.LEFT_LOT,), NO, NO, NO, NO),
    "left yesterday": (Case(left=-1), (I.LEFT_LOT,), NO, NO, NO, NO),
    "leaves tomorrow": (Case(left=1), (), YES, YES, YES, YES),
    "suspended": (Case(status="suspended"), (I.SUSPENDED,), NO, NO, NO, NO),
    "removed": (Case(status="removed"), (I.REMOVED,), NO, NO, NO, NO),
    "removed, leaving today": (Case(status="removed", left=0), (I.REMOVED, I.LEFT_LOT), NO, NO, NO, NO),
    "excluded until yesterday": (Case(exclusion=(-30, -1)), (), YES, YES, YES, YES),
    "excluded from tomorrow": (Case(exclusion=(1, None)), (), YES, YES, YES, YES),
    "excluded until today": (Case(exclusion=(-30, 0)), (I.EXCLUDED,), NO, NO, NO, NO),
    "excluded from today": (Case(exclusion=(0, None)), (I.EXCLUDED,), NO, NO, NO, NO),
    "framework expired yesterday": (Case(framework=(-400, -1)), (I.FRAMEWORK_EXPIRED,), NO, NO, NO, NO),
    "framework ends today": (Case(framework=(-400, 0)), (), YES, YES, YES, YES),
    "framework not started": (Case(framework=(1, 700)), (I.FRAMEWORK_NOT_STARTED,), NO, NO, NO, NO),
}
INVITED, CAPABLE, RECOMMENDED, APPROVED = 2, 3, 4, 5


def _on(today: date, offset: int | None) -> date | None:
    return None if offset is None else today + timedelta(days=offset)


def verdict(case: Case, today: date) -> Eligibility:
    """The pure function on the case's plain inputs."""
    membership = Membership(case.status, _on(today, case.joined), _on(today, case.left), "Test reason")
    exclusions = [Period(_on(today, case.exclusion[0]), _on(today, case.exclusion[1]))] if case.exclusion else []
    term = FrameworkTerm(_on(today, case.framework[0]), _on(today, case.framework[1]))
    return eligibility_on(today, membership, exclusions, term)


def apply(case: Case, supplier: Supplier, framework: Framework, today: date) -> None:
    """Give a supplier already on one of the framework's lots the case's standing, in the database."""
    membership = db.session.scalar(select(LotMembership).where(LotMembership.supplier_id == supplier.id))
    membership.joined_on, membership.left_on = _on(today, case.joined), _on(today, case.left)
    membership.status = case.status
    membership.status_reason = "" if case.status == MembershipStatus.ACTIVE else "Test reason"
    if case.exclusion:
        make_exclusion(supplier, _on(today, case.exclusion[0]), _on(today, case.exclusion[1]))
    framework.start_on, framework.initial_end_on = _on(today, case.framework[0]), _on(today, case.framework[1])
    db.session.commit()


@pytest.mark.parametrize(("case", "reasons"), [(row[0], row[1]) for row in TABLE.values()], ids=list(TABLE))
def test_the_pure_function(case, reasons):
    result = verdict(case, date(2026, 6, 15))
    assert result.reasons == reasons
    assert result.eligible is (not reasons)


# --- Each service path: returns whether the supplier got through, or raises ConflictError with the reason ----------


def invite(case: Case, today: date) -> tuple[bool, str]:
    framework = make_framework(start_on=today - timedelta(days=400), initial_end_on=today + timedelta(days=700))
    lot = make_lot(framework)
    supplier = make_supplier(trading_name="Candidate")
    make_membership(supplier, lot)
    competition = make_competition(lot=lot, published=False)
    apply(case, supplier, framework, today)
    (standing,) = [s for s in supplier_standings(competition) if s.supplier.id == supplier.id]
    return standing.invitable, "; ".join(standing.reasons)


def direct_award_match(case: Case, today: date) -> tuple[bool, str]:
    world = build_world()
    alpha = world.suppliers["alpha"]
    da = ready_award(world)
    apply(case, alpha, world.lot.framework, today)
    result = shortlists.run(da)
    reasons = [r.message for n in result.not_capable if n.supplier_id == alpha.id for r in n.reasons]
    return alpha.id in {s.supplier_id for s in result.capable}, "; ".join(reasons)


def direct_award_recommend(case: Case, today: date) -> tuple[bool, str]:
    world = build_world()
    alpha = world.suppliers["alpha"]
    da = ready_award(world)
    shortlists.freeze(world.buyer, da)
    apply(case, alpha, world.lot.framework, today)
    return _outcome(lambda: decisions.recommend(world.buyer, da.id, alpha.id, "Lowest whole-life cost."))


def direct_award_approve(case: Case, today: date) -> tuple[bool, str]:
    world = build_world()
    alpha = world.suppliers["alpha"]
    da = ready_award(world)
    shortlists.freeze(world.buyer, da)
    decisions.recommend(world.buyer, da.id, alpha.id, "Lowest whole-life cost.")
    apply(case, alpha, world.lot.framework, today)
    return _outcome(lambda: decisions.approve(world.approver, da.id))


def competition_recommend(case: Case, today: date) -> tuple[bool, str]:
    world = moderated_world()
    bravo = world.suppliers["Bravo"]
    apply(case, bravo, world.competition.lot.framework, today)
    return _outcome(lambda: award.recommend(world.buyer, world.competition.id, world.bids["Bravo"].id))


def competition_approve(case: Case, today: date) -> tuple[bool, str]:
    world = recommended_world()
    apply(case, world.suppliers["Bravo"], world.competition.lot.framework, today)
    return _outcome(lambda: award.approve(world.approver, world.competition.id))


def _outcome(decide: Callable[[], object]) -> tuple[bool, str]:
    try:
        decide()
    except ConflictError as error:
        db.session.rollback()
        return False, error.message
    return True, ""


PATHS = {
    "invitation": (invite, INVITED, "messages"),
    "direct award match": (direct_award_match, CAPABLE, "messages"),
    "competition recommendation": (competition_recommend, RECOMMENDED, "sentence"),
    "direct award recommendation": (direct_award_recommend, RECOMMENDED, "sentence"),
    "competition approval": (competition_approve, APPROVED, "sentence"),
    "direct award approval": (direct_award_approve, APPROVED, "sentence"),
}


@pytest.mark.parametrize("path", list(PATHS))
@pytest.mark.parametrize("case_id", list(TABLE))
def test_every_path_follows_the_rule(case_id, path):
    case, _reasons, *_ = TABLE[case_id]
    run, column, wording = PATHS[path]
    today = today_london()
    passed, said = run(case, today)
    assert passed is TABLE[case_id][column]
    if passed:
        return
    # Refused for the rule's own reasons, worded for the page: list items (the detail after a colon, such as the
    # suspension's reason, only where the path reads it), or a sentence about the supplier.
    expected = verdict(case, today)
    if wording == "messages":
        wanted = [message.split(":")[0] for message in expected.messages]
    else:
        wanted = [expected.sentence("Alpha" if path.startswith("direct award") else "Bravo")]
    if case.status == MembershipStatus.REMOVED and path == "direct award match":
        assert said == ""  # a removed member is left out of the match altogether (lot_snapshot's pre-filter)
    else:
        assert all(part in said for part in wanted), (wanted, said)


def test_a_supplier_not_on_the_lot_is_not_eligible():
    term = FrameworkTerm(date(2026, 1, 1), date(2027, 1, 1))
    result = eligibility_on(date(2026, 6, 15), None, [], term)
    assert result.reasons == (I.NOT_ON_LOT,) and result.messages == ["Not on this lot"]


def test_every_reason_is_given_in_the_order_of_the_rules_with_its_date():
    day = date(2026, 6, 15)
    result = eligibility_on(
        day,
        Membership("suspended", date(2026, 7, 1), None, "Late management information"),
        [Period(date(2026, 6, 1), None, "Professional misconduct")],
        FrameworkTerm(date(2026, 7, 1), date(2027, 1, 1)),
    )
    assert result.messages == [
        "Suspended from this lot: Late management information",
        "Joins this lot on 1 July 2026",
        "Excluded: Professional misconduct",
        "The framework starts on 1 July 2026",
    ]
    assert result.sentence("Orlo") == (
        "Orlo is suspended from this lot; Orlo joins this lot only on 1 July 2026; Orlo is excluded: an exclusion is "
        "in force against it; the framework starts only on 1 July 2026"
    )


def test_the_status_may_be_passed_as_the_stored_string():
    term = FrameworkTerm(date(2026, 1, 1), date(2027, 1, 1))
    assert eligibility_on(date(2026, 6, 15), Membership("active", date(2026, 1, 1)), [], term).eligible
    assert not eligibility_on(date(2026, 6, 15), Membership("removed", date(2026, 1, 1)), [], term).eligible
