"""Journey step: the buyer builds a mini-competition through the task list and publishes it.

Weights on the Surrey lot: Quality 60 % (four criteria at 25 % each), Price 35 %, Social value 5 % (one criterion).
"""

from __future__ import annotations

from datetime import date, timedelta

from tests.browser.journey import Persona

BUYER = "buyer@surrey.police.example"
LOT = "PDS-SMME-2024: Lot 1: Social media management platform"
TITLE = "Social media platform for the Surrey press office"
QUALITY = (
    "Managing all corporate channels in one place",
    "Critical incident content control",
    "Security and auditability",
    "Implementation and training",
)
SOCIAL = "Supporting communities and victims"
REFINED = QUALITY[1]
REFINED_QUESTION = (
    "Describe how the press office can pause every scheduled post across all 74 force accounts within five minutes "
    "of a critical incident being declared, and resume them safely."
)
WORD_LIMIT = 150
QUANTITIES = {"User licence": "40", "Onboarding and configuration": "1", "Training session": "2"}


def _task_status(buyer: Persona, task: str) -> str:
    item = buyer.page.locator(".govuk-task-list__item").filter(has_text=task)
    return item.locator(".govuk-task-list__status").inner_text().strip()


def start(buyer: Persona) -> int:
    buyer.visit("/competitions/").follow("Start a new competition")
    buyer.press("Start competition")  # nothing chosen
    assert "Select a framework lot" in buyer.errors()
    buyer.choose(LOT).fill("#title", TITLE).press("Start competition")
    assert "started" in buyer.success()
    assert buyer.h1 == TITLE
    assert "Draft" in buyer.tags()
    return buyer.id_in_url("competitions")


def details(buyer: Persona, planned_start: date) -> None:
    buyer.follow("Details", exact=True)
    buyer.fill("#statement_of_requirements", "A platform for the press office and 60 neighbourhood officers.")
    buyer.fill("#estimated_value", "75000").fill("#term_months", "24").fill_date("planned_start_on", planned_start)
    buyer.press("Save and continue")
    assert "Details saved" in buyer.success()
    assert _task_status(buyer, "Details") == "Completed"


def criteria(buyer: Persona) -> None:
    buyer.follow("Criteria and weights", exact=True)
    page = buyer.page
    # A refinement: the framework's question narrowed to the force's need, with a word limit.
    buyer.follow(f"Change question and scoring for {REFINED}")
    buyer.fill("#question", REFINED_QUESTION).fill("#word_limit", str(WORD_LIMIT)).choose("0 to 5")
    buyer.press("Save criterion")
    assert f"{REFINED} saved" in buyer.success()
    buyer.sees(f"Scale 0 to 5, up to {WORD_LIMIT} words")

    # Bad input first: the groups add up to 90 %, so nothing is saved and the typed values stay.
    weights = {"Quality": "60", "Price": "30", "Social value": "5", **dict.fromkeys(QUALITY, "25"), SOCIAL: "100"}
    for label, value in weights.items():
        page.get_by_label(label, exact=True).fill(value)
    buyer.press("Save weights")
    (message,) = [e for e in buyer.errors() if "they must add up to exactly 100 %" in e]
    assert "add up to 95 %" in message, message
    target = page.locator(".govuk-error-summary a").filter(has_text=message).get_attribute("href")
    assert page.locator(f"{target}.govuk-input--error").count() == 1, target  # the summary links to the field
    assert page.locator(".govuk-error-message").filter(has_text=message).count() == 1  # and the field says why
    for label, value in weights.items():
        assert page.get_by_label(label, exact=True).input_value() == value, label
    page.get_by_label("Price", exact=True).fill("35")
    buyer.press("Save weights")
    assert "Weights saved" in buyer.success()
    assert _task_status(buyer, "Criteria and weights") == "Completed"


def timetable(buyer: Persona, today: date) -> None:
    buyer.follow("Timetable", exact=True)
    buyer.fill_date("clarification_date", today + timedelta(days=20)).fill("#clarification_time", "12:00")
    buyer.fill_date("submission_date", today + timedelta(days=30)).fill("#submission_time", "12:00")
    buyer.fill_date("evaluation_on", today + timedelta(days=33)).fill_date("award_on", today + timedelta(days=60))
    buyer.press("Save and continue")
    assert "Timetable saved" in buyer.success()


def price(buyer: Persona) -> None:
    buyer.follow("Price", exact=True)
    page = buyer.page
    for label, value in QUANTITIES.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("Premium analytics module", exact=True).fill("0")
    buyer.choose("Relative to the lowest price")
    page.select_option("#tie_break_1", "higher_quality")
    page.select_option("#tie_break_2", "lower_price")
    buyer.fill("#abnormally_low_percent", "20")
    buyer.press("Save and continue")
    assert "Price schedule and scoring saved" in buyer.success()


def suppliers(buyer: Persona) -> list[str]:
    buyer.follow("Suppliers", exact=True)
    invited = [
        row.locator("th").inner_text().strip()
        for row in buyer.page.locator("tbody tr").all()
        if "Invited" in row.locator(".govuk-tag").inner_text()
    ]
    buyer.press("Save and continue")
    assert f"Supplier list saved: {len(invited)} to be invited" in buyer.success()
    return invited


def publish(buyer: Persona) -> None:
    buyer.follow("Review and publish", exact=True)
    buyer.sees(
        TITLE, f"{REFINED}\tScore 0 to 5; {WORD_LIMIT} words\t25 %\t15 %", "Price\tRelative to the lowest price\t35 %"
    )
    buyer.press("Publish competition")
    assert "published" in buyer.success()
    assert "Open for bids" in buyer.tags()


def build_and_publish(buyer: Persona, today: date) -> tuple[int, list[str]]:
    competition_id = start(buyer)
    details(buyer, today + timedelta(days=120))
    criteria(buyer)
    timetable(buyer, today)
    price(buyer)
    invited = suppliers(buyer)
    publish(buyer)
    return competition_id, invited
