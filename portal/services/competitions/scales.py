"""Scoring scales a buyer may choose for a quality criterion, and the default descriptor of each point.

Scales 0-4, 0-5 and 0-10 have a descriptor for every point. On 0-100 a descriptor per point would be
unreadable, so it is described in bands stored at their lowest score (0, 20, 40, 60, 80): a band runs up to
the next band's lowest score minus one, the last one to 100.
"""

from __future__ import annotations

from portal.models import ScoreDescriptor

SCALES = {4: "0 to 4", 5: "0 to 5", 10: "0 to 10", 100: "0 to 100 (in bands)"}
HUNDRED_BANDS = (0, 20, 40, 60, 80)

_DEFAULTS: dict[int, dict[int, str]] = {
    4: {
        0: "Unacceptable: no response, or the response does not meet the requirement",
        1: "Poor: meets the requirement only in part, with significant weaknesses or little evidence",
        2: "Satisfactory: meets the requirement with some minor weaknesses",
        3: "Good: fully meets the requirement, with clear evidence",
        4: "Excellent: exceeds the requirement, with strong evidence and added value",
    },
    5: {
        0: "Unacceptable: no response, or the response does not meet the requirement",
        1: "Poor: significant gaps or weaknesses, with little evidence",
        2: "Weak: meets some of the requirement, with notable weaknesses",
        3: "Satisfactory: meets the requirement, with adequate evidence",
        4: "Good: meets the requirement fully, with clear evidence and some added value",
        5: "Excellent: exceeds the requirement, with compelling evidence and clear added value",
    },
    10: {
        0: "Unacceptable: no response, or the response does not meet the requirement",
        1: "Very poor: addresses very little of the requirement",
        2: "Poor: significant gaps, with little evidence",
        3: "Weak: meets some of the requirement, with major weaknesses",
        4: "Below expectations: meets most of the requirement, with notable weaknesses",
        5: "Satisfactory: meets the requirement, with some weaknesses",
        6: "Satisfactory plus: meets the requirement, with minor weaknesses",
        7: "Good: meets the requirement fully, with clear evidence",
        8: "Very good: meets the requirement fully, with clear evidence and some added value",
        9: "Excellent: exceeds the requirement, with strong evidence",
        10: "Outstanding: exceeds the requirement, with compelling evidence and significant added value",
    },
    100: {
        0: "Unacceptable or poor: does not meet the requirement, or meets little of it",
        20: "Weak: meets some of the requirement, with major weaknesses",
        40: "Satisfactory: meets the requirement, with some weaknesses",
        60: "Good: meets the requirement fully, with clear evidence",
        80: "Excellent: exceeds the requirement, with compelling evidence and added value",
    },
}


def descriptor_points(scale_max: int) -> list[tuple[int, str]]:
    """(score stored, label shown) for each descriptor of a scale: '3', or '20 to 39' for a band."""
    if scale_max == 100:
        ends = [*HUNDRED_BANDS[1:], 101]
        return [(low, f"{low} to {end - 1}") for low, end in zip(HUNDRED_BANDS, ends, strict=True)]
    return [(score, str(score)) for score in range(scale_max + 1)]


def default_descriptors(scale_max: int | None) -> list[ScoreDescriptor]:
    texts = _DEFAULTS.get(scale_max or 0, {})
    return [
        ScoreDescriptor(score=score, descriptor=texts.get(score, "")) for score, _ in descriptor_points(scale_max or 0)
    ]
