"""Journey step: the buyer moderates and recommends, a different person approves, the standstill runs (moved into the
past in the database: the server's clock decides) and the buyer confirms the award; bidders read their outcome.

Expected result (Quality 60 %: four criteria of 15 % each, Social value 5 %, Price 35 % relative to the lowest):
Orlo 51 + 3 + 35 x 11,340 / 12,420 = 85.96; Softcat 36 + 3 + 35 = 74.00; Beacon Engage 33 + 4 + 27.26 = 64.26.
"""

from __future__ import annotations

import re
from datetime import timedelta

from portal.models import Competition
from portal.models.base import utcnow
from tests.browser.competition_bids import BEACON, ORLO, SOFTCAT
from tests.browser.competition_build import TITLE
from tests.browser.competition_evaluate import APPROVER, CRITERIA, EVALUATORS, answer_no_conflict, declare_as
from tests.browser.journey import Persona

MODERATED = {ORLO.name: (4, 4, 5, 4, 3), SOFTCAT.name: (3, 3, 3, 3, 3), BEACON.name: (3, 2, 3, 3, 4)}
TOTALS = {ORLO.name: "85.96", SOFTCAT.name: "74.00", BEACON.name: "64.26"}


def rationale(bidder: str, criterion: str, score: int) -> str:
    return f"Panel consensus for {bidder} on {criterion}: {score}, after discussing the three evaluators' notes."


def moderate(buyer: Persona, competition_id: int) -> None:
    declare_as(buyer, competition_id, "moderator")
    buyer.visit(f"/evaluation/{competition_id}").follow("Moderate the scores")
    cells = len(CRITERIA) * len(MODERATED)
    buyer.sees(f"0 of {cells} moderated scores recorded. 1 score needs discussion")
    for bidder, scores in MODERATED.items():
        for criterion, score in zip(CRITERIA, scores, strict=True):
            buyer.follow(f"Moderate {bidder}: {criterion}", exact=True)
            assert buyer.h1 == f"Moderate: {criterion}"
            table = buyer.page.locator("table").filter(has_text="Evaluators' scores").inner_text()
            assert all(name in table for _, name in EVALUATORS), table
            if bidder == BEACON.name and criterion == CRITERIA[1]:
                buyer.sees("The evaluators disagree: their scores range from 1 to 4")
            buyer.page.check(f"input[name=score][value='{score}']")
            buyer.fill("#rationale", rationale(bidder, criterion, score)).press("Save moderated score")
            assert f"Moderated score saved for {bidder}: {criterion}" in buyer.success()
    buyer.sees(f"{cells} of {cells} moderated scores recorded")
    buyer.follow("Complete moderation")
    assert buyer.h1 == "Are you sure you want to complete moderation?"
    buyer.sees("Once completed, moderated scores cannot be changed.")
    buyer.press("Complete moderation")
    assert "Moderation complete" in buyer.success()


def results(buyer: Persona) -> None:
    assert buyer.h1 == "Results"
    buyer.sees(f"Highest-scoring compliant bid: {ORLO.name}", f"Total {TOTALS[ORLO.name]} out of 100")
    robustness = buyer.page.locator("h2:has-text('How robust is the result?') + .govuk-inset-text").inner_text()
    # Quality would have to fall from 60 % to 23.33 % before Softcat's lower price won (36.66, rounded down).
    assert robustness == (
        "The result stands unless the Quality weight moves down by more than 36.66 points (from 60 %, with the other "
        f"weights rescaled to keep 100 %); beyond that, {SOFTCAT.name} would win."
    ), robustness
    chart = buyer.page.locator("figure.app-chart-figure svg")
    assert chart.count() == 1 and all(name in chart.inner_html() for name in MODERATED), "chart missing a bidder"
    # Rank, bid and total come first, visible without scrolling; the per-criterion matrix scrolls in its region.
    rows = buyer.page.locator("table.app-results-summary tbody tr")
    for rank, (name, total) in enumerate(TOTALS.items(), start=1):
        cells = [c.strip() for c in rows.nth(rank - 1).locator("th, td").all_inner_texts()]
        assert cells[:3] == [str(rank), name, total], cells
        assert rows.nth(rank - 1).locator("strong").is_visible()
    assert buyer.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def recommend(buyer: Persona) -> None:
    buyer.follow("Recommend the award")
    # Whoever recommends declares first: the page says so and links to the declaration, which comes back here.
    buyer.follow("Declare any conflict of interest")
    answer_no_conflict(buyer, "recommender")
    assert buyer.h1 == "Recommend the award"
    buyer.choose(f"{ORLO.name} (rank 1, total {TOTALS[ORLO.name]})")
    buyer.fill("#note", "Highest total under the published criteria; the result holds under any plausible weights.")
    buyer.press("Recommend award")
    assert "Award recommended" in buyer.success()
    assert "Award recommended" in buyer.tags()


def approve(approver: Persona, buyer: Persona, competition_id: int) -> str:
    """The approver approves; returns the standstill end as the buyer's page shows it."""
    buyer.refused(f"/evaluation/{competition_id}/approve")  # the officer who recommended cannot approve
    approver.visit("/evaluation/").follow(TITLE)
    approver.follow("Approval by an approver")
    approver.sees("Orlo Limited", f"{TOTALS[ORLO.name]} out of 100", ORLO.total)
    approver.press("Approve the award")
    assert "Award approved: send the assessment summaries to every bidder next" in approver.success()
    buyer.visit(f"/evaluation/{competition_id}")
    assert "Standstill" in buyer.tags()  # PCR 2015: the voluntary standstill runs from approval
    assert not buyer.page.get_by_role("button", name="Confirm the contract award").count()
    return standstill_ends(buyer)


def standstill_ends(buyer: Persona) -> str:
    """The standstill's end as the competition page's record says it: 'The standstill period started ... and
    ends <end>.'"""
    row = buyer.page.locator(".govuk-summary-list__row").filter(
        has=buyer.page.locator(".govuk-summary-list__key", has_text="Standstill")
    )
    sentence = row.locator("dd").inner_text().strip()
    match = re.fullmatch(r"The standstill period started .+ and ends (.+)\.", sentence)
    assert match, sentence
    return match.group(1)


def send_summaries(buyer: Persona, competition_id: int) -> str:
    """The buyer sends the assessment summaries (bidders see nothing before); returns the standstill end then shown."""
    buyer.visit(f"/evaluation/{competition_id}/letters")
    buyer.press("Send assessment summaries")
    assert "Assessment summaries sent" in buyer.success()
    buyer.visit(f"/evaluation/{competition_id}")
    return standstill_ends(buyer)


def end_standstill(db, competition_id: int) -> None:
    """The shortcut for the standstill running its course."""
    competition = db.session.get(Competition, competition_id)
    db.session.refresh(competition)
    assert competition.standstill_ends_at > utcnow()
    competition.standstill_ends_at = utcnow() - timedelta(seconds=1)
    db.session.commit()


def confirm(buyer: Persona, competition_id: int) -> None:
    buyer.visit(f"/evaluation/{competition_id}")
    buyer.press("Confirm the contract award")
    assert "Contract award confirmed" in buyer.success()
    assert "Awarded" in buyer.tags()


def read_outcome(supplier: Persona) -> None:
    supplier.visit("/bids").follow(TITLE)
    supplier.follow("Read the outcome and your assessment summary")
    assert supplier.h1 == "Outcome and assessment summary"


def loser_reads_summary(supplier: Persona, name: str, rank: int, standstill_ends: str) -> None:
    read_outcome(supplier)
    supplier.sees(
        f"Your bid was not successful. The contract is to be awarded to {ORLO.name}",
        f"Standstill period ends\t{standstill_ends}",
        f"Your total score\t{TOTALS[name]} out of 100",
        f"Your rank\t{rank}",
        f"Winning bid's total score\t{TOTALS[ORLO.name]} out of 100",
        "Quality (60 % of the marks)",
        "Price (35 % of the marks)",
        "Social value (5 % of the marks)",
    )
    quality = supplier.page.locator("table").filter(has_text="Quality (60 % of the marks)")
    for criterion, own, winner in zip(CRITERIA[:4], MODERATED[name], MODERATED[ORLO.name], strict=False):
        cells = [
            c.strip() for c in quality.locator("tr").filter(has_text=criterion).locator("th, td").all_inner_texts()
        ]
        assert cells[1] == "15.00", cells  # the criterion's weight: its share of the 100 marks
        assert cells[2].startswith(f"{own} out of 5") and rationale(name, criterion, own) in cells[2], cells
        assert cells[3:] == [f"{own * 3}.00", f"{winner} out of 5", f"{winner * 3}.00"], cells  # score / 5 x 15
    # The winning tender's scores and the panel's reasons about it (reg 31; PCR 2015: its relative advantages).
    supplier.sees(rationale(ORLO.name, CRITERIA[0], MODERATED[ORLO.name][0]))


def winner_reads_award(supplier: Persona) -> None:
    read_outcome(supplier)
    supplier.sees("Your bid was successful", "Surrey Police intends to award you the contract")
    supplier.sees(f"Your total score\t{TOTALS[ORLO.name]} out of 100", "Your rank\t1")


def award(buyer: Persona, cast, db, competition_id: int) -> str:
    moderate(buyer, competition_id)
    results(buyer)
    recommend(buyer)
    declare_as(cast(APPROVER[0]), competition_id, "approver")
    approve(cast(APPROVER[0]), buyer, competition_id)
    standstill_ends = send_summaries(buyer, competition_id)
    loser_reads_summary(cast(SOFTCAT.email), SOFTCAT.name, 2, standstill_ends)
    loser_reads_summary(cast(BEACON.email), BEACON.name, 3, standstill_ends)
    end_standstill(db, competition_id)
    confirm(buyer, competition_id)
    winner_reads_award(cast(ORLO.email))
    return standstill_ends
