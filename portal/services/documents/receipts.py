"""The bid receipt as a PDF: one per submitted version, for the supplier that bid and nobody else.

Its data comes from `bid_submission.receipt`, which reads through the seal (portal/services/bids/seal.py)
and answers "not found" to anyone but the bidding supplier. The receipt lists each answer by its SHA-256
and word count rather than its text, so the document proves what was submitted without repeating it. It does list
the prices, so its PDF is stored only encrypted under the competition's data key, like the bid itself.
"""

from __future__ import annotations

import hashlib

from portal.domain.word_count import count_words
from portal.models import Document, User
from portal.services.bids import submission as bid_submission
from portal.services.documents import register

# 2: hashes in groups that never break mid-group; each table's heading kept with it
TEMPLATE_VERSION = "2"


def receipt_data(receipt: bid_submission.Receipt) -> dict:
    submission, content, competition = receipt.submission, receipt.content, receipt.competition
    status = "withdrawn" if submission.withdrawn_at else ("counts" if receipt.counts else "replaced")
    return {
        "competition": {
            "reference": competition.reference,
            "title": competition.title,
            "buyer": competition.buyer_organisation.name,
            "submission_deadline_at": competition.submission_deadline_at,
        },
        "supplier": {"legal_name": content["supplier"]["legal_name"]},
        "version": submission.version,
        "status": status,
        "submitted_at": submission.submitted_at,
        "withdrawn_at": submission.withdrawn_at,
        "submitted_by": submission.submitted_by.name,
        "content_sha256": submission.content_sha256,
        "answers": [
            {
                "title": answer["title"],
                "kind": answer["kind"],
                "passed": answer.get("passed"),
                "words": count_words(answer["text"]),
                "sha256": hashlib.sha256(answer["text"].encode()).hexdigest(),
            }
            for answer in content["answers"]
        ],
        "attachments": [
            {"filename": f["filename"], "sha256": f["sha256"], "size_bytes": f["size_bytes"]}
            for f in content["attachments"]
        ],
        "prices": [
            {
                "price_item": p["price_item"],
                "quantity": p["quantity"],
                "periods": p["periods"],
                "unit_price_pence": p["unit_price_pence"],
                "line_total_pence": p["line_total_pence"],
            }
            for p in content["prices"]
        ],
        "total_price_pence": content["total_price_pence"],
    }


def issue_receipt(actor: User, submission_id: int) -> Document:
    """The receipt PDF of one of the actor's own submitted versions (404 for anyone else's)."""
    receipt = bid_submission.receipt(actor, submission_id)
    competition = receipt.competition
    return register.issue(
        actor,
        register.Issue(
            kind="bid_receipt",
            series_key=f"bid_receipt:bid_submission:{receipt.submission.id}",
            subject_type="bid_submission",
            subject_id=receipt.submission.id,
            reference=competition.reference,
            title=f"Bid receipt: {competition.reference} version {receipt.submission.version}",
            subject=f"Receipt for {receipt.content['supplier']['legal_name']}'s bid for {competition.title}",
            template="bid_receipt.html",
            data=receipt_data(receipt),
            template_version=TEMPLATE_VERSION,
            buyer_organisation_id=competition.buyer_organisation_id,
            supplier_id=receipt.bid.supplier_id,
            sealed_for_competition=competition.id,  # it lists the bid's prices: stored encrypted, like the bid
        ),
    )
