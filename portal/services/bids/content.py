"""The canonical content of a submitted bid: what is frozen, hashed and put on the receipt.

Shape (canonical JSON, keys sorted, no insignificant whitespace; SHA-256 over its UTF-8 bytes):
    {
      "competition": {"id", "reference", "title"},
      "supplier": {"id", "legal_name"},
      "version": n,
      "answers": [ {"criterion_id", "title", "kind": "quality", "text"}
                 | {"criterion_id", "title", "kind": "pass_fail", "passed": bool, "text": evidence} ],
      "prices": [ {"line_id", "price_item", "unit", "basis", "quantity", "periods",
                   "unit_price_pence", "line_total_pence"} ],
      "total_price_pence": int,
      "attachments": [ {"filename", "sha256", "size_bytes", "media_type", "criterion_id"} ]
    }
`periods` is the contract term in months for monthly items and 1 for one-off items, so
line total = quantity x unit price x periods, and the total is their sum over the schedule.
"""

from __future__ import annotations

import hashlib
from typing import Any

from portal.domain.canonical import canonical_json
from portal.models import Bid, Competition
from portal.services.bids import crypto


def periods(competition: Competition, basis: str) -> int:
    return competition.term_months if basis == "per_month" else 1


def _criteria_in_order(competition: Competition):
    out = []

    def walk(nodes):
        for node in nodes:
            if node.kind in ("quality", "pass_fail") and not node.children:
                out.append(node)
            walk(node.children)

    walk([c for c in competition.criteria if c.parent_id is None])
    return out


def build_content(bid: Bid, version: int) -> dict[str, Any]:
    competition = bid.competition
    answers_by_criterion = {a.criterion_id: a for a in bid.answers}
    texts = crypto.answers_of(bid)
    answers = []
    for criterion in _criteria_in_order(competition):
        answer = answers_by_criterion.get(criterion.id)
        entry: dict[str, Any] = {
            "criterion_id": criterion.id,
            "title": criterion.title,
            "kind": criterion.kind,
            "text": texts.get(criterion.id, ""),
        }
        if criterion.kind == "pass_fail":
            entry["passed"] = bool(answer and answer.passed)
        answers.append(entry)
    prices_by_line = crypto.prices_of(bid)
    prices = []
    total = 0
    for line in competition.schedule_lines:
        unit = prices_by_line.get(line.id, 0)
        n = periods(competition, line.price_item.basis)
        line_total = line.quantity * unit * n
        total += line_total
        prices.append(
            {
                "line_id": line.id,
                "price_item": line.price_item.name,
                "unit": line.price_item.unit,
                "basis": line.price_item.basis,
                "quantity": line.quantity,
                "periods": n,
                "unit_price_pence": unit,
                "line_total_pence": line_total,
            }
        )
    attachments = [
        {
            "filename": a.filename,
            "sha256": a.file_sha256,
            "size_bytes": a.file.size_bytes,
            "media_type": a.file.media_type,
            "criterion_id": a.criterion_id,
        }
        for a in bid.attachments
    ]
    return {
        "competition": {"id": competition.id, "reference": competition.reference, "title": competition.title},
        "supplier": {"id": bid.supplier_id, "legal_name": bid.supplier.legal_name},
        "version": version,
        "answers": answers,
        "prices": prices,
        "total_price_pence": total,
        "attachments": attachments,
    }


def serialise(content: dict[str, Any]) -> tuple[str, str]:
    """(canonical JSON, its SHA-256 hex)."""
    text = canonical_json(content)
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


def for_criterion(content: dict[str, Any], criterion_id: int) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """A submitted version's answer to one criterion, and the files that support it or the bid as a whole."""
    answer = next((a for a in content.get("answers", []) if a.get("criterion_id") == criterion_id), None)
    files = [f for f in content.get("attachments", []) if f.get("criterion_id") in (criterion_id, None)]
    return answer, files
