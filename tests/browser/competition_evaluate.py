"""Journey step: the deadline passes, the buyer starts the opening and the approver confirms it signed in as herself
(dual control), the buyer assigns three evaluators to the quality criteria (the third first to all but one, then to
all), and each evaluator declares per bidding supplier and scores every bid on every criterion alone. The second
evaluator declares a conflict with Softcat, is kept from its bid and told why, until the buyer records a mitigation;
then she scores it too.

Time passing is a test shortcut: the server's clock decides, so the deadline is moved into the past in the
database the live server shares. Nothing else is written behind the UI's back.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.models import Bid, BidSubmission, Competition
from portal.models.base import utcnow
from tests.browser.competition_bids import BEACON, ORLO, SOFTCAT
from tests.browser.competition_build import QUALITY, SOCIAL, TITLE
from tests.browser.journey import Persona

APPROVER = ("approver@surrey.police.example", "Helen Marsh")
EVALUATORS = (
    ("evaluator1@surrey.police.example", "Daniel Osei"),
    ("evaluator2@surrey.police.example", "Rachel Kemp"),
    ("evaluator3@surrey.police.example", "Tom Hargreaves"),
)
CRITERIA = (*QUALITY, SOCIAL)  # what evaluators score, in the published order; all on a 0 to 5 scale
# Each evaluator's own scores per bidder, criterion by criterion. They agree closely except on Beacon Engage's
# critical incident answer (1, 2 and 4: a spread above 40 % of the scale), which moderation must discuss.
SCORES = {
    EVALUATORS[0][0]: {ORLO.name: (4, 4, 5, 4, 3), SOFTCAT.name: (3, 3, 3, 3, 3), BEACON.name: (3, 1, 3, 3, 4)},
    EVALUATORS[1][0]: {ORLO.name: (4, 4, 4, 4, 3), SOFTCAT.name: (3, 3, 3, 2, 3), BEACON.name: (3, 2, 3, 3, 4)},
    EVALUATORS[2][0]: {ORLO.name: (4, 5, 5, 4, 3), SOFTCAT.name: (3, 3, 3, 3, 3), BEACON.name: (3, 4, 3, 3, 4)},
}


def justification(email: str, bidder: str, criterion: str, score: int) -> str:
    """Words only this evaluator wrote about this answer, so a page showing them can be caught."""
    return f"{email.split('@')[0]} on {bidder}, {criterion}: scored {score} against the descriptors."


def pass_the_deadline(db, competition_id: int) -> None:
    """The shortcut for time passing: every submission is in, and now the deadline is behind the server's clock."""
    competition = db.session.get(Competition, competition_id)
    now = utcnow()
    latest = db.session.scalar(
        select(BidSubmission.submitted_at)
        .join(Bid, Bid.id == BidSubmission.bid_id)
        .where(Bid.competition_id == competition_id)
        .order_by(BidSubmission.submitted_at.desc())
    )
    assert latest < now, "a bid was submitted after the moment chosen as the deadline"
    competition.clarification_deadline_at = now - timedelta(seconds=2)
    competition.submission_deadline_at = now - timedelta(seconds=1)
    db.session.commit()


def sealed_until_opened(supplier: Persona) -> None:
    supplier.visit("/bids").follow(TITLE)
    supplier.sees("The submission deadline passed on", "Bids can no longer be changed")
    assert "Closed" in supplier.tags()
    assert not supplier.page.get_by_role("link", name="Prices").count()  # nothing left to edit


def declare_as(officer: Persona, competition_id: int, role: str) -> None:
    """An officer who influences the decision answers "No" for each supplier before acting in `role`."""
    officer.visit(f"/evaluation/{competition_id}/declare/{role}")
    answer_no_conflict(officer, role)


def answer_no_conflict(officer: Persona, role: str) -> None:
    assert officer.h1 == "Declare any conflict of interest"
    questions = officer.page.locator("main [data-supplier-question]").all()
    assert questions, f"nothing to declare as {role}"
    for question in questions:
        question.get_by_label("No", exact=True).check()
    officer.press("Submit declaration")
    assert "Declaration recorded" in officer.success()


def open_bids(buyer: Persona, competition_id: int, colleague: Persona) -> None:
    """Dual control: the buyer starts the opening, the approver confirms it signed in as herself."""
    declare_as(buyer, competition_id, "opener")
    declare_as(colleague, competition_id, "opener")  # the confirming officer declares too, in their own session
    buyer.visit("/evaluation/")
    row = buyer.page.locator("tbody tr").filter(has_text=TITLE)
    assert "Closed" in row.inner_text(), row.inner_text()
    buyer.follow(f"{TITLE}")
    assert buyer.h1 == "Evaluation and award"
    buyer.follow("Open the bids (two officers)")
    buyer.sees("The submission deadline was").does_not_see("3 bids", "bids were submitted", "witness")  # sealed
    buyer.press("Start the opening")
    assert "a colleague must now confirm it" in buyer.success()
    buyer.sees("Waiting for a colleague to confirm", "Must be confirmed by")
    assert not buyer.page.get_by_role("button", name="Confirm and open", exact=False).count()
    name = APPROVER[1]
    colleague.visit(f"/evaluation/{competition_id}")  # the work comes to her: the task list asks her to confirm
    colleague.follow("Confirm the opening of bids")
    assert colleague.h1 == "Confirm the opening of bids"
    colleague.press("Confirm and open the bids started by Sam Whitfield")
    assert "Bids opened" in colleague.success()
    colleague.sees(f"by Sam Whitfield, confirmed by {name}")
    buyer.visit(f"/evaluation/{competition_id}")
    buyer.sees(f"by Sam Whitfield, confirmed by {name}")


def assign_evaluators(buyer: Persona) -> None:
    buyer.follow("Assign evaluators and check their declarations")
    for email, name in EVALUATORS:
        buyer.page.select_option("#user_id", label=f"{name}, Evaluator ({email})")
        if email == EVALUATORS[2][0]:
            buyer.page.get_by_label(SOCIAL, exact=True).uncheck()  # every criterion is ticked to start with
        buyer.press("Assign evaluator")
        assert f"{name} assigned as an evaluator" in buyer.success()
    card = buyer.page.locator(".govuk-summary-card").filter(has_text=EVALUATORS[2][1])
    assert SOCIAL not in card.inner_text()
    buyer.follow(f"Change criteria for {EVALUATORS[2][1]}")
    buyer.choose(SOCIAL).press("Save criteria")
    assert f"Criteria saved for {EVALUATORS[2][1]}" in buyer.success()
    assert SOCIAL in buyer.page.locator(".govuk-summary-card").filter(has_text=EVALUATORS[2][1]).inner_text()
    main = buyer.main
    assert all(name in main for _, name in EVALUATORS) and main.count("Not declared yet") == 3 * 3, main


def declare(evaluator: Persona, conflict_with: str | None = None) -> None:
    """Answer for each bidding supplier: no, or yes with details for `conflict_with` (a short name)."""
    evaluator.visit("/evaluation/")
    evaluator.follow(TITLE)  # straight to the declaration: no bid is shown before it
    assert evaluator.h1 == "Declare any conflict of interest"
    evaluator.does_not_see(ORLO.name + " on")  # no answer text before the declaration
    if conflict_with:
        evaluator.press("Submit declaration")
        assert len(evaluator.errors()) == 3, "every bidding supplier must be answered"
    for question in evaluator.page.locator("main [data-supplier-question]").all():
        conflicted = conflict_with is not None and conflict_with.split()[0] in question.locator("legend").inner_text()
        question.get_by_label("Yes" if conflicted else "No", exact=True).check()
        if conflicted:
            question.locator("textarea").fill(CONFLICT)
    evaluator.press("Submit declaration")
    assert "Declaration recorded" in evaluator.success()
    assert evaluator.h1 == "Score the bids"
    if conflict_with:
        evaluator.sees(f"{conflict_with}: You declared a conflict of interest with this supplier")
        assert not evaluator.page.get_by_role("link", name=f"Score {conflict_with}:").count()


CONFLICT = "I worked for Softcat's public sector team until 2021; no shares, no contact since."
MITIGATION = "The employment ended over three years ago. Rachel scores Softcat; the moderator checks her scores."


def mitigate(buyer: Persona, competition_id: int, evaluator: str, supplier: str) -> None:
    buyer.visit(f"/evaluation/{competition_id}/evaluators")
    buyer.sees(CONFLICT, "Kept from this bid.")
    buyer.follow(f"Record mitigation for {evaluator} and {supplier}")
    buyer.press("Record mitigation")
    assert buyer.errors() == ["Enter how the conflict of interest is mitigated"]
    buyer.fill("#mitigation", MITIGATION).press("Record mitigation")
    assert f"{evaluator} may now score {supplier}" in buyer.success()
    buyer.sees(MITIGATION, "Recorded by Sam Whitfield")


def score_all(evaluator: Persona, others_written: list[str]) -> list[str]:
    """Score every bid on every criterion; `others_written` are the other evaluators' justifications so far,
    none of which may appear on any page this evaluator sees. Returns this evaluator's justifications."""
    total = len(CRITERIA) * 3
    evaluator.sees(f"You have scored 0 of {total}")
    written, done = [], 0
    for bidder, scores in SCORES[evaluator.email].items():
        for criterion, score in zip(CRITERIA, scores, strict=True):
            evaluator.follow(f"Score {bidder}: {criterion}", exact=True)
            assert evaluator.h1 == criterion
            evaluator.sees(f"{bidder} on {criterion.lower()}" if criterion != QUALITY[1] else "One switch pauses")
            evaluator.does_not_see(*others_written)
            text = justification(evaluator.email, bidder, criterion, score)
            evaluator.page.check(f"input[name=score][value='{score}']")
            evaluator.fill("#justification", text).press("Save score")
            assert f"Score saved for {bidder}: {criterion}" in evaluator.success()
            done += 1
            written.append(text)
    evaluator.sees(f"You have scored {total} of {total}")
    evaluator.does_not_see(*others_written)
    return written


def kept_out_of_moderation(evaluator: Persona, competition_id: int) -> None:
    """An evaluator cannot read the moderation board, where everyone's scores are."""
    evaluator.refused(f"/evaluation/{competition_id}/moderation")


def evaluate(buyer: Persona, cast, competition_id: int) -> None:
    open_bids(buyer, competition_id, cast(APPROVER[0]))
    assign_evaluators(buyer)
    written: list[str] = []
    for email, name in EVALUATORS:
        evaluator = cast(email)
        conflicted = SOFTCAT.name if email == EVALUATORS[1][0] else None
        declare(evaluator, conflicted)
        kept_out_of_moderation(evaluator, competition_id)
        if conflicted:
            mitigate(buyer, competition_id, name, conflicted)
        evaluator.visit(f"/evaluation/{competition_id}/scoring")
        written += score_all(evaluator, written)
