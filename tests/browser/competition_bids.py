"""Journey step: invited suppliers bid, one asks a clarification question that the buyer answers to all, and one
amends and resubmits its bid before the deadline.

Prices are chosen so the outcome is known in advance (see competition_evaluate for the scores): Softcat is
cheapest, Orlo is 9.5 % dearer, Beacon Engage dearest; none is more than 20 % below the mean of the others.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from tests.browser.competition_build import QUALITY, REFINED, REFINED_QUESTION, SOCIAL, TITLE, WORD_LIMIT
from tests.browser.journey import Persona

PASS_FAIL = "Cyber Essentials Plus certification"
QUESTION = "Must the platform keep direct messages to force accounts for disclosure requests, and for how long?"
ANSWER = "Yes: direct messages must be kept for seven years and be exportable for disclosure."
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SHA256 = re.compile(r"\b[0-9a-f]{64}\b")


@dataclass(frozen=True)
class Bidder:
    email: str
    name: str  # the supplier's short name, as buyers and evaluators see it
    licence: str  # unit prices in pounds, as typed
    onboarding: str
    training: str
    total: str  # the schedule total shown: 40 licences x 24 months, 1 onboarding, 2 training sessions

    def prices(self) -> dict[str, str]:
        return {
            "User licence": self.licence,
            "Onboarding and configuration": self.onboarding,
            "Training session": self.training,
        }


ORLO = Bidder("bids@orlo.example", "Orlo", "9.50", "2500", "400", "£12,420.00")
SOFTCAT = Bidder(
    "bids@softcat.example", "Softcat (in partnership with Salesforce)", "9.00", "2000", "350", "£11,340.00"
)
BEACON = Bidder("bids@beaconengage.example", "Beacon Engage", "12.00", "3000", "500", "£15,520.00")
BEACON_AMENDED = Bidder(BEACON.email, BEACON.name, "11.00", "3000", "500", "£14,560.00")
BIDDERS = (ORLO, SOFTCAT, BEACON)


def open_invitation(supplier: Persona) -> None:
    supplier.visit("/bids")
    row = supplier.page.locator("tbody tr").filter(has_text=TITLE)
    assert all(word in row.inner_text() for word in ("Open for bids", "Not decided", "No bid")), row.inner_text()
    supplier.follow(TITLE)
    assert supplier.h1 == TITLE
    supplier.sees(REFINED_QUESTION.split(",")[0], "Submit by")


def decide_to_bid(supplier: Persona) -> None:
    supplier.follow("Decide whether to bid")
    supplier.choose("Yes, we will bid").press("Save decision")
    assert "You are bidding" in supplier.success()


def answer_quality(supplier: Persona, title: str, text: str) -> None:
    supplier.follow(title, exact=True)
    supplier.fill("#text", text)
    supplier.press("Save draft")
    assert f"Draft saved: {title}" in supplier.success()


def answer_refined_over_the_limit(supplier: Persona) -> None:
    """The word limit, as the character count shows it while typing and as the server enforces it."""
    supplier.follow(REFINED, exact=True)
    supplier.sees(REFINED_QUESTION, f"Up to {WORD_LIMIT} words")
    too_long = " ".join(["pause"] * (WORD_LIMIT + 5))
    supplier.page.fill("#text", too_long)
    status = supplier.page.locator(".govuk-character-count__status")
    assert "5 words too many" in status.inner_text(), status.inner_text()
    supplier.press("Save draft")
    assert f"Answer for {REFINED} must be {WORD_LIMIT} words or fewer" in supplier.errors()
    assert supplier.page.input_value("#text") == too_long  # what was typed is kept
    text = (
        "One switch pauses every scheduled post on all accounts; a named duty officer resumes them account by account."
    )
    supplier.page.fill("#text", text)
    assert f"You have {WORD_LIMIT - len(text.split())} words remaining" in status.inner_text()
    supplier.press("Save draft")
    assert f"Draft saved: {REFINED}" in supplier.success()


def answer_pass_fail(supplier: Persona) -> None:
    supplier.follow(PASS_FAIL, exact=True)
    supplier.choose("Yes").fill("#text", "Certificate CE-PLUS-2026-0412, valid until 30 June 2027.")
    supplier.press("Save draft")
    assert f"Draft saved: {PASS_FAIL}" in supplier.success()


def price(supplier: Persona, bidder: Bidder) -> None:
    supplier.follow("Prices", exact=True)
    for item, value in bidder.prices().items():
        supplier.page.get_by_label(f"Unit price for {item}", exact=True).fill(value)
    supplier.press("Save draft")
    assert f"Draft prices saved: total {bidder.total}" in supplier.success()


def attach(supplier: Persona, filename: str) -> None:
    supplier.follow("Attachments", exact=True)
    supplier.page.set_input_files("#file", {"name": filename, "mimeType": "application/pdf", "buffer": PDF})
    supplier.page.select_option("#criterion", label=QUALITY[2])
    supplier.press("Upload file")
    assert f"{filename} uploaded" in supplier.success()


def submit(supplier: Persona, bidder: Bidder, version: int) -> str:
    """Check and submit; returns the SHA-256 shown on the receipt."""
    supplier.follow("Check and resubmit your bid" if version > 1 else "Check and submit your bid")
    supplier.sees(bidder.total)
    supplier.press("Submit bid")
    assert supplier.h1.startswith(f"Bid received: version {version}"), supplier.h1
    row = supplier.page.locator(".govuk-summary-list__row").filter(has_text="SHA-256 of the submitted content")
    digest = SHA256.search(row.inner_text())
    assert digest, row.inner_text()
    supplier.sees("This is the version of your bid that counts", bidder.total)
    files = supplier.page.locator("table").filter(has_text="Attachments").inner_text()
    assert hashlib.sha256(PDF).hexdigest() in files, files  # the attachment, by the hash of what was uploaded
    return digest.group(0)


def bid(supplier: Persona, bidder: Bidder) -> str:
    open_invitation(supplier)
    decide_to_bid(supplier)
    for title in (*QUALITY, SOCIAL):
        if title == REFINED:
            answer_refined_over_the_limit(supplier)
        else:
            answer_quality(supplier, title, f"{bidder.name} on {title.lower()}: see our method statement.")
    answer_pass_fail(supplier)
    price(supplier, bidder)
    attach(supplier, f"{bidder.email.split('@')[1].removesuffix('.example')}-security.pdf")
    return submit(supplier, bidder, 1)


def amend(supplier: Persona, first_digest: str) -> str:
    """From the bid's page: a lower licence price, resubmitted as version 2 with a new receipt."""
    price(supplier, BEACON_AMENDED)
    digest = submit(supplier, BEACON_AMENDED, 2)
    assert digest != first_digest
    supplier.follow("Back to your bid")
    versions = supplier.page.locator("table").filter(has_text="Submitted versions").inner_text()
    assert "Replaced by a later version" in versions and "Counts" in versions, versions
    return digest


def ask(supplier: Persona) -> None:
    supplier.follow("Ask a question or read the buyer's answers to clarification questions")
    supplier.fill("#question", QUESTION).press("Send question")
    assert "Question sent to the buyer" in supplier.success()
    supplier.sees(QUESTION, "Not answered yet")


def answer_to_all(buyer: Persona, competition_id: int, asker: str) -> None:
    buyer.visit(f"/competitions/{competition_id}").follow("Clarification questions")
    buyer.sees(QUESTION)
    buyer.follow("Answer question 1")
    buyer.sees(f"Asked by {asker}")
    buyer.fill("#answer", ANSWER).choose("All invited suppliers").press("Send answer")
    assert "Answer sent" in buyer.success()
    assert "Answered to all" in buyer.tags()


def read_answer(supplier: Persona, *, asked: bool) -> None:
    supplier.visit("/bids").follow(TITLE)
    supplier.follow("Ask a question or read the buyer's answers to clarification questions")
    supplier.sees(QUESTION, ANSWER)
    if asked:
        assert "Your question, answered to all" in supplier.tags()
    else:
        supplier.does_not_see(SOFTCAT.name, "Your question, answered to all")
