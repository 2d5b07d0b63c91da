"""Pasted moderation rationales (portal.domain.scoring.pasted): the same reasons given to different bids."""

from __future__ import annotations

import pytest

from portal.domain.scoring.pasted import PastedRationale, Rationale, find_pasted_rationales, normalised


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Good response.", "good response"),
        ("  Good\n\tresponse  ", "good response"),
        ("GOOD RESPONSE ..", "good response"),
        ("", ""),
        ("Strong: see 3.2", "strong: see 3.2"),
    ],
)
def test_normalised(text, expected):
    assert normalised(text) == expected


R = Rationale


@pytest.mark.parametrize(
    ("rationales", "expected"),
    [
        ([], []),
        # Different texts on one criterion: fine.
        ([R("1", "c", "Clear plan in 2.1"), R("2", "c", "No plan for onboarding")], []),
        # The same text on one criterion for two bids: flagged, whitespace and case aside.
        (
            [R("1", "c", "Meets the requirement."), R("2", "c", "meets  the\nrequirement")],
            [PastedRationale("c", "Meets the requirement.", ("1", "2"))],
        ),
        # The same text for one bid on two criteria is not pasted across bids.
        ([R("1", "c", "Meets the requirement"), R("1", "d", "Meets the requirement")], []),
        # The same text on different criteria for different bids: not the same criterion.
        ([R("1", "c", "Meets the requirement"), R("2", "d", "Meets the requirement")], []),
        # Three bids, two criteria: one group per criterion, bids in order first given.
        (
            [
                R("3", "c", "Adequate"),
                R("1", "c", "Adequate"),
                R("2", "c", "Specific to bid 2"),
                R("2", "d", "Weak"),
                R("1", "d", "weak."),
                R("3", "d", "Weak"),
            ],
            [PastedRationale("c", "Adequate", ("3", "1")), PastedRationale("d", "Weak", ("2", "1", "3"))],
        ),
        # Empty texts are not compared.
        ([R("1", "c", " "), R("2", "c", "")], []),
        # The same bid twice (a repeated row) is one bid.
        ([R("1", "c", "Adequate"), R("1", "c", "Adequate")], []),
    ],
)
def test_find_pasted_rationales(rationales, expected):
    assert find_pasted_rationales(rationales) == expected
