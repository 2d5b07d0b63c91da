"""The mini-competition lifecycle: every transition, every refusal, derived states at their exact boundaries."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.competition_lifecycle import (
    BID_ACTIONS,
    LIFECYCLE,
    Action,
    CompetitionFacts,
    CompetitionState,
    TransitionError,
    apply,
    bids_opened,
    check_transition,
    standstill_over,
    state_of,
)

S, A = CompetitionState, Action
T0 = datetime(2026, 11, 20, 9, tzinfo=UTC)
DEADLINE = datetime(2026, 12, 5, 12, tzinfo=UTC)  # midday in London (GMT)
TICK = timedelta(microseconds=1)
RECOMMENDER, APPROVER, OPENER, WITNESS = 11, 12, 13, 14


@pytest.fixture(autouse=True)
def db():
    """Pure domain rules: no app and no database (overrides the suite's autouse database fixture)."""
    return None


# Inputs each forward action needs, and how long after the previous step it happens.
STEP_INPUTS = {
    A.PUBLISH: {},
    A.OPEN_BIDS: {"actor_id": OPENER, "confirmer_id": WITNESS},
    A.START_EVALUATION: {},
    A.COMPLETE_MODERATION: {},
    A.RECOMMEND_AWARD: {"actor_id": RECOMMENDER},
    A.APPROVE_AWARD: {"actor_id": APPROVER},
    A.START_STANDSTILL: {},
    A.CONFIRM_AWARD: {},
}
FORWARD = list(STEP_INPUTS)


def walk(steps: int) -> tuple[CompetitionFacts, datetime]:
    """A competition taken through the first `steps` forward actions; returns the facts and the last action's time."""
    facts, now = CompetitionFacts(deadline_at=DEADLINE), T0
    for action in FORWARD[:steps]:
        now = _time_for(action, facts, now)
        extra = {"standstill_ends_at": now + timedelta(days=10)} if action is A.START_STANDSTILL else {}
        facts = apply(facts, action, now, **STEP_INPUTS[action], **extra)
    return facts, now


def _time_for(action: Action, facts: CompetitionFacts, now: datetime) -> datetime:
    if action is A.OPEN_BIDS:
        return max(now, facts.deadline_at) + timedelta(hours=1)
    if action is A.CONFIRM_AWARD:
        return max(now, facts.standstill_ends_at) + timedelta(hours=1)
    return now + timedelta(hours=1)


def allowed_actions(facts: CompetitionFacts, now: datetime) -> tuple[Action, ...]:
    """The actions check_transition accepts now when each is given valid inputs: what the state alone allows."""
    inputs = {
        "actor_id": APPROVER,
        "confirmer_id": WITNESS,
        "new_deadline_at": (facts.deadline_at or now) + timedelta(days=7),
        "standstill_ends_at": now + timedelta(days=10),
        "reason": "A reason",
    }
    allowed = []
    for action in Action:
        try:
            check_transition(facts, action, now, **inputs)
        except TransitionError:
            continue
        allowed.append(action)
    return tuple(allowed)


def refusal(facts: CompetitionFacts, action: Action, now: datetime, **inputs) -> str:
    with pytest.raises(TransitionError) as info:
        check_transition(facts, action, now, **inputs)
    assert info.value.action is action
    return info.value.message


# --- Derived states ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("steps", "state"),
    [
        (0, S.DRAFT),
        (1, S.PUBLISHED),
        (2, S.OPENED),
        (3, S.IN_EVALUATION),
        (4, S.MODERATED),
        (5, S.AWARD_RECOMMENDED),
        (6, S.APPROVED),
        (7, S.STANDSTILL),
        (8, S.AWARDED),
    ],
)
def test_each_forward_action_moves_the_state_on(steps, state):
    facts, now = walk(steps)
    assert state_of(facts, now) is state


def test_a_published_competition_is_closed_from_the_deadline_instant():
    facts, _ = walk(1)
    assert state_of(facts, DEADLINE - TICK) is S.PUBLISHED
    assert state_of(facts, DEADLINE) is S.CLOSED
    assert state_of(facts, DEADLINE + timedelta(days=30)) is S.CLOSED


@pytest.mark.parametrize(("steps", "opened"), [(0, False), (1, False), *((n, True) for n in range(2, 9))])
def test_bids_are_opened_from_the_opening_on_through_every_later_state(steps, opened):
    facts, now = walk(steps)
    assert bids_opened(facts, now) is opened
    if steps >= 2:
        assert not bids_opened(facts, facts.opened_at - TICK)  # not before the opening itself


def test_bids_of_a_cancelled_competition_are_not_opened():
    facts, now = walk(3)
    cancelled = apply(facts, A.CANCEL, now + TICK, reason="Requirement withdrawn")
    assert bids_opened(facts, now + TICK) and not bids_opened(cancelled, now + TICK)


def test_an_opening_stamp_before_the_deadline_does_not_open_the_bids():
    facts, _ = walk(1)
    stray = dataclasses.replace(facts, opened_at=DEADLINE - timedelta(hours=2))
    assert not bids_opened(stray, DEADLINE - TICK)
    assert bids_opened(stray, DEADLINE)


def test_a_draft_stays_a_draft_after_its_planned_deadline():
    assert state_of(CompetitionFacts(deadline_at=DEADLINE), DEADLINE + TICK) is S.DRAFT


def test_facts_stamped_after_now_have_not_happened_yet():
    facts, _ = walk(4)
    assert state_of(facts, facts.moderated_at - TICK) is S.IN_EVALUATION
    assert state_of(facts, facts.moderated_at) is S.MODERATED
    assert state_of(facts, facts.published_at - TICK) is S.DRAFT


def test_standstill_remains_the_state_after_it_ends_until_the_award_is_confirmed():
    facts, started = walk(7)
    ends = facts.standstill_ends_at
    assert (state_of(facts, ends - TICK), standstill_over(facts, ends - TICK)) == (S.STANDSTILL, False)
    assert (state_of(facts, ends), standstill_over(facts, ends)) == (S.STANDSTILL, True)
    assert standstill_over(facts, started) is False


def test_a_cancelled_competition_is_cancelled_whatever_else_happened():
    facts, now = walk(5)
    cancelled_at = now + timedelta(hours=1)
    cancelled = apply(facts, A.CANCEL, cancelled_at, reason="  Budget withdrawn  ")
    assert state_of(cancelled, cancelled_at) is S.CANCELLED
    assert cancelled.cancel_reason == "Budget withdrawn"
    assert state_of(cancelled, cancelled_at - TICK) is S.AWARD_RECOMMENDED


def test_state_labels_are_for_people():
    assert S.PUBLISHED.label == "Open for bids"
    assert S.AWARD_RECOMMENDED.label == "Award recommended"


# --- Allowed actions --------------------------------------------------------------------------------------------

CANCEL = {A.CANCEL}


@pytest.mark.parametrize(
    ("steps", "offset", "expected"),
    [
        (0, timedelta(0), {A.PUBLISH} | CANCEL),
        (1, timedelta(0), {A.EXTEND_DEADLINE, *BID_ACTIONS} | CANCEL),
        (2, timedelta(0), {A.START_EVALUATION} | CANCEL),
        (3, timedelta(0), {A.COMPLETE_MODERATION} | CANCEL),
        (4, timedelta(0), {A.RECOMMEND_AWARD} | CANCEL),
        (5, timedelta(0), {A.APPROVE_AWARD, A.RETURN_AWARD} | CANCEL),
        (6, timedelta(0), {A.START_STANDSTILL} | CANCEL),
        (7, timedelta(0), CANCEL),  # standstill running
        (7, timedelta(days=10), {A.CONFIRM_AWARD} | CANCEL),  # standstill ended
        (8, timedelta(0), set()),
    ],
)
def test_allowed_actions_follow_the_state(steps, offset, expected):
    facts, now = walk(steps)
    assert set(allowed_actions(facts, now + offset)) == expected


def test_closed_allows_only_opening_and_cancelling():
    facts, _ = walk(1)
    assert set(allowed_actions(facts, DEADLINE)) == {A.OPEN_BIDS, A.CANCEL}


def test_a_cancelled_competition_allows_nothing():
    facts, now = walk(3)
    assert allowed_actions(apply(facts, A.CANCEL, now, reason="No longer needed"), now) == ()


# --- Bids: the server clock decides -----------------------------------------------------------------------------


@pytest.mark.parametrize("action", sorted(BID_ACTIONS))
def test_bids_are_accepted_until_just_before_the_deadline(action):
    facts, _ = walk(1)
    check_transition(facts, action, DEADLINE - TICK)


@pytest.mark.parametrize(
    ("action", "word"), [(A.SUBMIT_BID, "submitted"), (A.AMEND_BID, "amended"), (A.WITHDRAW_BID, "withdrawn")]
)
@pytest.mark.parametrize("late_by", [timedelta(0), TICK, timedelta(days=20)])
def test_bids_at_or_after_the_deadline_are_refused(action, word, late_by):
    facts, _ = walk(1)
    message = refusal(facts, action, DEADLINE + late_by)
    assert (
        message == f"The submission deadline has passed (it was 5 December 2026, midday): bids can no longer be {word}"
    )


def test_bids_are_refused_on_a_draft_and_a_cancelled_competition():
    draft = CompetitionFacts(deadline_at=DEADLINE)
    assert refusal(draft, A.SUBMIT_BID, T0) == "This competition is not open for bids"
    facts, now = walk(1)
    cancelled = apply(facts, A.CANCEL, now, reason="Requirement changed")
    assert refusal(cancelled, A.SUBMIT_BID, now) == "This competition has been cancelled"


def test_bids_are_refused_once_opened():
    facts, now = walk(2)
    assert refusal(facts, A.AMEND_BID, now).startswith("The submission deadline has passed")


# --- Publishing and the deadline --------------------------------------------------------------------------------


def test_publishing_needs_a_deadline_in_the_future():
    assert refusal(CompetitionFacts(), A.PUBLISH, T0) == "Set a submission deadline before publishing"
    message = refusal(CompetitionFacts(deadline_at=DEADLINE), A.PUBLISH, DEADLINE)
    assert message == "The submission deadline has passed (it was 5 December 2026, midday): set a later one"


def test_publishing_twice_is_refused():
    facts, now = walk(1)
    assert (
        refusal(facts, A.PUBLISH, now) == "You cannot publish the competition because the competition is open for bids"
    )


def test_extending_the_deadline_moves_it_and_keeps_the_competition_open():
    facts, now = walk(1)
    later = DEADLINE + timedelta(days=7)
    extended = apply(facts, A.EXTEND_DEADLINE, now, new_deadline_at=later, reason="Clarification answered late")
    assert extended.deadline_at == later
    assert state_of(extended, DEADLINE) is S.PUBLISHED
    check_transition(extended, A.SUBMIT_BID, later - TICK)


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"reason": "Late answer"}, "Enter a new submission deadline"),
        (
            {"new_deadline_at": DEADLINE, "reason": "Late answer"},
            "The new deadline must be later than the current one (5 December 2026, midday)",
        ),
        (
            {"new_deadline_at": DEADLINE - timedelta(days=1), "reason": "Late answer"},
            "The new deadline must be later than the current one (5 December 2026, midday)",
        ),
        (
            {"new_deadline_at": DEADLINE + timedelta(days=1), "reason": "   "},
            "Enter a reason for extending the deadline",
        ),
    ],
)
def test_extending_the_deadline_needs_a_later_deadline_and_a_reason(inputs, message):
    facts, now = walk(1)
    assert refusal(facts, A.EXTEND_DEADLINE, now, **inputs) == message


def test_the_deadline_cannot_be_extended_once_passed():
    facts, _ = walk(1)
    message = refusal(facts, A.EXTEND_DEADLINE, DEADLINE, new_deadline_at=DEADLINE + timedelta(days=7), reason="x")
    assert message == "The deadline cannot be extended after it has passed (it was 5 December 2026, midday)"


def test_a_draft_deadline_is_not_extended_but_edited():
    message = refusal(CompetitionFacts(deadline_at=DEADLINE), A.EXTEND_DEADLINE, T0)
    assert message == "You cannot extend the deadline because the competition is still a draft"


# --- Opening, evaluation, moderation ----------------------------------------------------------------------------


def test_bids_cannot_be_opened_before_the_deadline():
    facts, _ = walk(1)
    message = refusal(facts, A.OPEN_BIDS, DEADLINE - TICK, actor_id=OPENER, confirmer_id=WITNESS)
    assert message == "Bids cannot be opened before the submission deadline (it is 5 December 2026, midday)"


def test_bids_can_be_opened_at_the_deadline_with_a_confirmer():
    facts, _ = walk(1)
    opened = apply(facts, A.OPEN_BIDS, DEADLINE, actor_id=OPENER, confirmer_id=WITNESS)
    assert opened.opened_at == DEADLINE
    assert state_of(opened, DEADLINE) is S.OPENED


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"actor_id": OPENER}, "A second officer must confirm the opening of the bids"),
        ({}, "A second officer must confirm the opening of the bids"),
        (
            {"actor_id": OPENER, "confirmer_id": OPENER},
            "You started this opening, so a different officer must confirm it",
        ),
    ],
)
def test_opening_the_bids_needs_a_different_confirmer(inputs, message):
    facts, _ = walk(1)
    assert refusal(facts, A.OPEN_BIDS, DEADLINE, **inputs) == message


def test_bids_cannot_be_opened_twice():
    facts, now = walk(3)
    assert (
        refusal(facts, A.OPEN_BIDS, now, actor_id=OPENER, confirmer_id=WITNESS) == "The bids have already been opened"
    )


def test_bids_of_a_draft_cannot_be_opened():
    message = refusal(CompetitionFacts(deadline_at=DEADLINE), A.OPEN_BIDS, DEADLINE, actor_id=1, confirmer_id=2)
    assert message == "You cannot open the bids because the competition is still a draft"


@pytest.mark.parametrize(
    ("steps", "action", "message"),
    [
        (1, A.START_EVALUATION, "You cannot start the evaluation because the competition is open for bids"),
        (2, A.COMPLETE_MODERATION, "You cannot complete moderation because the competition is opened and evaluation "
         "has not started"),
        (3, A.RECOMMEND_AWARD, "You cannot recommend an award because the competition is in evaluation"),
        (4, A.APPROVE_AWARD, "You cannot approve the award because the competition is moderated and no award has "
         "been recommended"),
        (5, A.START_STANDSTILL, "You cannot start the standstill period because the competition is waiting for the "
         "recommended award to be approved"),
        (8, A.START_EVALUATION, "You cannot start the evaluation because the competition is awarded"),
    ],
)  # fmt: skip
def test_steps_cannot_be_skipped(steps, action, message):
    facts, now = walk(steps)
    assert refusal(facts, action, now, actor_id=APPROVER) == message


def test_a_closed_competition_cannot_start_evaluation_before_opening():
    facts, _ = walk(1)
    message = refusal(facts, A.START_EVALUATION, DEADLINE)
    assert (
        message == "You cannot start the evaluation because the competition is closed and its bids have not been opened"
    )


# --- Award, approval, standstill --------------------------------------------------------------------------------


def test_the_recommender_is_recorded():
    facts, now = walk(4)
    assert refusal(facts, A.RECOMMEND_AWARD, now) == "The officer recommending the award must be recorded"
    assert apply(facts, A.RECOMMEND_AWARD, now, actor_id=RECOMMENDER).recommended_by == RECOMMENDER


def test_the_approver_must_not_be_the_recommender():
    facts, now = walk(5)
    message = refusal(facts, A.APPROVE_AWARD, now, actor_id=RECOMMENDER)
    assert message == "The person who recommended the award cannot also approve it: another officer must approve it"
    assert refusal(facts, A.APPROVE_AWARD, now) == "The officer approving the award must be recorded"
    assert apply(facts, A.APPROVE_AWARD, now, actor_id=APPROVER).approved_by == APPROVER


def test_approval_and_standstill_can_start_together():
    facts, now = walk(5)
    approved = apply(facts, A.APPROVE_AWARD, now, actor_id=APPROVER)
    ends = now + timedelta(days=12)
    in_standstill = apply(approved, A.START_STANDSTILL, now, standstill_ends_at=ends)
    assert state_of(in_standstill, now) is S.STANDSTILL
    assert in_standstill.standstill_ends_at == ends


@pytest.mark.parametrize(
    ("ends_offset", "message"),
    [
        (None, "The standstill period needs an end"),
        (-timedelta(days=1), "The standstill period cannot end before it starts"),
    ],
)
def test_standstill_needs_an_end_not_before_its_start(ends_offset, message):
    facts, now = walk(6)
    ends = None if ends_offset is None else now + ends_offset
    assert refusal(facts, A.START_STANDSTILL, now, standstill_ends_at=ends) == message


def test_a_standstill_that_ends_as_it_starts_means_none_applies_and_the_award_can_be_confirmed_at_once():
    facts, now = walk(6)
    started = apply(facts, A.START_STANDSTILL, now, standstill_ends_at=now)
    assert state_of(started, now) is S.STANDSTILL
    check_transition(started, A.CONFIRM_AWARD, now)  # allowed: raises nothing


def test_a_standstill_recorded_late_may_already_be_over():
    """The Act's standstill starts on the notice's publication, which the buyer may record days later."""
    facts, now = walk(6)
    started = apply(facts, A.START_STANDSTILL, now, standstill_ends_at=now + timedelta(days=10))
    check_transition(started, A.CONFIRM_AWARD, now + timedelta(days=11))  # allowed: raises nothing


def test_the_award_cannot_be_confirmed_during_standstill():
    facts, _ = walk(7)
    message = refusal(facts, A.CONFIRM_AWARD, facts.standstill_ends_at - TICK)
    assert message.startswith("The contract cannot be awarded until the standstill period ends (it ends ")


def test_the_award_is_confirmed_from_the_end_of_standstill():
    facts, _ = walk(7)
    awarded = apply(facts, A.CONFIRM_AWARD, facts.standstill_ends_at)
    assert state_of(awarded, facts.standstill_ends_at) is S.AWARDED


def test_the_award_cannot_be_confirmed_before_standstill_starts():
    facts, now = walk(6)
    assert refusal(facts, A.CONFIRM_AWARD, now) == "Start the standstill period before confirming the award"


# --- Cancelling -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("steps", range(8))
def test_a_competition_can_be_cancelled_with_a_reason_at_any_point_before_award(steps):
    facts, now = walk(steps)
    cancelled = apply(facts, A.CANCEL, now, reason="Requirement withdrawn")
    assert state_of(cancelled, now) is S.CANCELLED
    assert cancelled.cancelled_at == now


def test_cancelling_needs_a_reason():
    facts, now = walk(2)
    assert refusal(facts, A.CANCEL, now, reason=" ") == "Enter a reason for cancelling the competition"


def test_an_awarded_or_cancelled_competition_cannot_be_cancelled():
    facts, now = walk(8)
    assert refusal(facts, A.CANCEL, now, reason="Too late") == "An awarded competition cannot be cancelled"
    facts, now = walk(2)
    cancelled = apply(facts, A.CANCEL, now, reason="First")
    assert refusal(cancelled, A.CANCEL, now, reason="Second") == "This competition has already been cancelled"


def test_a_transition_error_carries_the_state():
    facts, _ = walk(1)
    with pytest.raises(TransitionError) as info:
        check_transition(facts, "open_bids", DEADLINE - TICK, actor_id=OPENER, confirmer_id=WITNESS)
    assert info.value.state is S.PUBLISHED
    assert str(info.value) == info.value.message


def test_bid_actions_leave_the_competition_facts_unchanged():
    facts, now = walk(1)
    assert apply(facts, A.SUBMIT_BID, now) == facts


# --- Properties -------------------------------------------------------------------------------------------------

gaps = st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(days=20))


@st.composite
def histories(draw) -> CompetitionFacts:
    """Facts from a random walk: published at T0, random gaps, an optional extension and cancellation."""
    facts, now = CompetitionFacts(deadline_at=T0 + draw(gaps)), T0
    steps = draw(st.integers(0, len(FORWARD)))
    cancel_at = draw(st.none() | st.integers(0, steps))
    for index, action in enumerate(FORWARD[:steps]):
        if index == cancel_at:
            return apply(facts, A.CANCEL, now + draw(gaps), reason="Cancelled")
        now = T0 if action is A.PUBLISH else _time_for(action, facts, now) + draw(gaps)
        extra = {"standstill_ends_at": now + draw(gaps)} if action is A.START_STANDSTILL else {}
        facts = apply(facts, action, now, **STEP_INPUTS[action], **extra)
        if action is A.PUBLISH and draw(st.booleans()):
            later = facts.deadline_at + draw(gaps)
            facts = apply(facts, A.EXTEND_DEADLINE, now, new_deadline_at=later, reason="More time")
    return facts


def rank(state: CompetitionState) -> int:
    return len(LIFECYCLE) if state is S.CANCELLED else LIFECYCLE.index(state)


@given(facts=histories(), first=gaps, second=gaps)
def test_the_state_never_moves_backwards_as_time_passes(facts, first, second):
    earlier = T0 - timedelta(days=1) + first
    later = earlier + second
    before, after = state_of(facts, earlier), state_of(facts, later)
    assert rank(after) >= rank(before)
    if before is S.CANCELLED:
        assert after is S.CANCELLED


@given(facts=histories(), offset=gaps)
def test_bids_are_allowed_exactly_while_published_and_before_the_deadline(facts, offset):
    now = T0 - timedelta(days=1) + offset
    open_for_bids = facts.published_at is not None and facts.published_at <= now < facts.deadline_at
    open_for_bids = open_for_bids and state_of(facts, now) is S.PUBLISHED
    assert (A.SUBMIT_BID in allowed_actions(facts, now)) is open_for_bids


def test_returning_the_award_clears_the_recommendation_so_the_buyer_can_recommend_again():
    facts, now = walk(5)
    assert refusal(facts, A.RETURN_AWARD, now, actor_id=RECOMMENDER, reason="x").startswith(
        "The person who recommended the award cannot return it"
    )
    assert refusal(facts, A.RETURN_AWARD, now, actor_id=APPROVER) == (
        "Enter a comment saying what the buyer should change"
    )
    returned = apply(facts, A.RETURN_AWARD, now, actor_id=APPROVER, reason="Check the price")
    assert returned.recommended_at is None and returned.recommended_by is None
    assert state_of(returned, now) is S.MODERATED
    assert apply(returned, A.RECOMMEND_AWARD, now, actor_id=RECOMMENDER).recommended_by == RECOMMENDER
    approved, later = walk(6)
    assert "approved" in refusal(approved, A.RETURN_AWARD, later, actor_id=APPROVER, reason="x")
