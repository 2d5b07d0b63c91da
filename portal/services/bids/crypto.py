"""Bid content encrypted at rest: the competitions' data keys, and sealing and opening each kind of content.

Every competition has one random 256-bit data key (CompetitionDataKey), stored wrapped by SEAL_MASTER_KEY
(portal/config.py). Answers, unit prices, submitted versions (the whole bid as canonical JSON, and its total) and
attachment bytes are sealed with it in the envelope format of portal/domain/envelope.py, each bound by associated
data to its table, bid, row and field, so a ciphertext moved to another row does not open.

This module only encrypts and decrypts; who may read what, and the audit of reads after opening, belong to the seal
(portal/services/bids/seal.py and reads.py). Unwrapped keys are cached on the database session until its
transaction ends (commit or rollback), so a page reading a hundred bids of a competition unwraps its key once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import event, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from portal.domain import envelope
from portal.extensions import db
from portal.models import Bid, BidAnswer, BidPrice, BidSubmission, CompetitionDataKey
from portal.models.base import utcnow
from portal.services import audit

_CACHE = "bid_data_keys"


class ContentUnreadable(RuntimeError):
    """Sealed content that does not open: the wrong master key, or a ciphertext altered or moved."""


def master_key() -> bytes:
    return envelope.parse_master_key(str(current_app.config["SEAL_MASTER_KEY"]))


def _cache() -> dict[tuple[str, int], tuple[int, int, bytes]]:
    """(kind, id) -> (key id, competition id, key), kind 'c' by competition and 'k' by key id."""
    return db.session.info.setdefault(_CACHE, {})


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_keys(session: Session, *_args: Any) -> None:
    # A key created in a transaction that rolled back must not outlive it; and keys are not kept past a request.
    session.info.pop(_CACHE, None)


def _remember(row: CompetitionDataKey) -> tuple[int, int, bytes]:
    try:
        key = envelope.unwrap(master_key(), row.wrapped_key, row.competition_id, row.id)
    except envelope.EnvelopeError as error:
        raise ContentUnreadable(
            f"The data key of competition {row.competition_id} does not open with SEAL_MASTER_KEY "
            f"(it was wrapped by master key {row.master_key_id})"
        ) from error
    entry = (row.id, row.competition_id, key)
    cache = _cache()
    cache[("c", row.competition_id)] = entry
    cache[("k", row.id)] = entry
    return entry


def _key_for_competition(competition_id: int) -> tuple[int, bytes]:
    """The competition's data key (key id, key), created on first use."""
    cached = _cache().get(("c", competition_id))
    if cached is None:
        # No autoflush: the row being sealed is often pending, its sealed column not yet set.
        with db.session.no_autoflush:
            row = db.session.scalar(
                select(CompetitionDataKey).where(CompetitionDataKey.competition_id == competition_id)
            )
            if row is None:
                row = _create(competition_id)
        cached = _remember(row)
    return cached[0], cached[2]


def preload_keys(competition_ids: Iterable[int]) -> None:
    """Unwrap the data keys of several competitions in one query, for a page that opens drafts of many."""
    wanted = [c for c in set(competition_ids) if ("c", c) not in _cache()]
    if wanted:
        for row in db.session.scalars(select(CompetitionDataKey).where(CompetitionDataKey.competition_id.in_(wanted))):
            _remember(row)


def _create(competition_id: int) -> CompetitionDataKey:
    master = master_key()
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for _attempt in range(5):
        # The key id is part of the wrapping's associated data, so it is chosen before the insert: the next id.
        # Two first drafts of one competition at once: one insert wins (unique competition), the other reads it;
        # two competitions taking the same id at once: the loser tries the next one.
        next_id = (db.session.scalar(select(func.max(CompetitionDataKey.id))) or 0) + 1
        db.session.execute(
            insert(CompetitionDataKey)
            .values(
                id=next_id,
                competition_id=competition_id,
                wrapped_key=envelope.wrap(master, envelope.new_key(), competition_id, next_id),
                master_key_id=envelope.master_key_id(master),
                created_at=utcnow(),
            )
            .on_conflict_do_nothing()
        )
        row = db.session.scalar(select(CompetitionDataKey).where(CompetitionDataKey.competition_id == competition_id))
        if row is not None:
            return row
    raise ContentUnreadable(f"Could not create a data key for competition {competition_id}")


def _key_by_id(key_id: int, competition_id: int) -> bytes:
    cached = _cache().get(("k", key_id))
    if cached is None:
        with db.session.no_autoflush:
            row = db.session.get(CompetitionDataKey, key_id)
        if row is None:
            raise ContentUnreadable(f"No data key {key_id}")
        cached = _remember(row)
    if cached[1] != competition_id:
        raise ContentUnreadable(f"Data key {key_id} is not competition {competition_id}'s")
    return cached[2]


def seal_bytes(competition_id: int, plaintext: bytes, aad: bytes) -> bytes:
    key_id, key = _key_for_competition(competition_id)
    return envelope.seal(key, key_id, plaintext, aad)


def open_bytes(competition_id: int, sealed: bytes, aad: bytes) -> bytes:
    try:
        key = _key_by_id(envelope.key_id_of(sealed), competition_id)
        return envelope.open_sealed(key, sealed, aad)
    except envelope.EnvelopeError as error:
        raise ContentUnreadable(str(error)) from error


def _seal_text(competition_id: int, text: str, aad: bytes) -> str:
    return envelope.to_text(seal_bytes(competition_id, text.encode("utf-8"), aad))


def _open_text(competition_id: int, stored: str, aad: bytes) -> str:
    try:
        sealed = envelope.from_text(stored)
    except envelope.EnvelopeError as error:
        raise ContentUnreadable(str(error)) from error
    return open_bytes(competition_id, sealed, aad).decode("utf-8")


# --- Where each value belongs (its associated data) ------------------------------------------------------------------


def _answer_aad(bid_id: int, criterion_id: int) -> bytes:
    return envelope.associated_data("bid_answer", bid_id, criterion_id, "text")


def _price_aad(bid_id: int, line_id: int) -> bytes:
    return envelope.associated_data("bid_price", bid_id, line_id, "unit_price_pence")


def _submission_aad(bid_id: int, version: int, field: str) -> bytes:
    return envelope.associated_data("bid_submission", bid_id, version, field)


def file_aad(competition_id: int, sha256: str) -> bytes:
    return envelope.associated_data("bid_file", competition_id, sha256)


# --- The draft ------------------------------------------------------------------------------------------------------


def set_answer_text(bid: Bid, answer: BidAnswer, text: str) -> None:
    answer.text_sealed = _seal_text(bid.competition_id, text, _answer_aad(bid.id, answer.criterion_id))


def answer_text(bid: Bid, answer: BidAnswer) -> str:
    return _open_text(bid.competition_id, answer.text_sealed, _answer_aad(bid.id, answer.criterion_id))


def answers_of(bid: Bid) -> dict[int, str]:
    """The draft's answer texts by criterion id."""
    return {a.criterion_id: answer_text(bid, a) for a in bid.answers}


def set_unit_price(bid: Bid, price: BidPrice, pence: int) -> None:
    if pence <= 0:  # the database cannot check a sealed amount, so the one writer does
        raise ValueError("A unit price must be more than nothing")
    price.unit_price_sealed = _seal_text(bid.competition_id, str(int(pence)), _price_aad(bid.id, price.line_id))


def unit_price(bid: Bid, price: BidPrice) -> int:
    return int(_open_text(bid.competition_id, price.unit_price_sealed, _price_aad(bid.id, price.line_id)))


def prices_of(bid: Bid) -> dict[int, int]:
    """The draft's unit prices in pence by schedule line id."""
    return {p.line_id: unit_price(bid, p) for p in bid.prices}


# --- Submitted versions ---------------------------------------------------------------------------------------------


def seal_submission(bid: Bid, submission: BidSubmission, content_json: str, total_price_pence: int) -> None:
    submission.content_sealed = _seal_text(
        bid.competition_id, content_json, _submission_aad(bid.id, submission.version, "content_json")
    )
    submission.total_price_sealed = _seal_text(
        bid.competition_id, str(int(total_price_pence)), _submission_aad(bid.id, submission.version, "total")
    )


def submission_json(competition_id: int, bid_id: int, version: int, content_sealed: str) -> str:
    """A submitted version's canonical JSON (from its columns, for readers that select them without the ORM row)."""
    return _open_text(competition_id, content_sealed, _submission_aad(bid_id, version, "content_json"))


def submission_content(bid: Bid, submission: BidSubmission) -> dict[str, Any]:
    """A submitted version's content, unfiltered. Callers are the seal and system code that reads no more than it
    must (contract value); people read through portal/services/bids/seal.py."""
    return json.loads(submission_json(bid.competition_id, bid.id, submission.version, submission.content_sealed))


def submission_total(bid: Bid, submission: BidSubmission) -> int:
    aad = _submission_aad(bid.id, submission.version, "total")
    return int(_open_text(bid.competition_id, submission.total_price_sealed, aad))


# --- Rotating the master key -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rotation:
    old_key_id: str
    new_key_id: str
    rewrapped: int
    already: int


def rotate_master_key(new_master_text: str) -> Rotation:
    """Re-wrap every data key under a new master key, in one transaction (the content itself is not touched).

    The old master key is the configured SEAL_MASTER_KEY. Safe to run again: keys already wrapped by the new
    master key are left as they are (a rerun after keys were created under the old one re-wraps just those). A key
    wrapped by neither stops the whole rotation with nothing changed. Audited; the caller then configures the new
    key as SEAL_MASTER_KEY and restarts."""
    try:
        new_master = envelope.parse_master_key(new_master_text)
    except envelope.EnvelopeError as error:
        raise ValueError(f"The new master key: {error}") from error
    old_master = master_key()
    old_id, new_id = envelope.master_key_id(old_master), envelope.master_key_id(new_master)
    if old_id == new_id:
        raise ValueError("The new master key is the one configured now")
    rows = db.session.scalars(select(CompetitionDataKey).order_by(CompetitionDataKey.id).with_for_update()).all()
    rewrapped = already = 0
    now = utcnow()
    for row in rows:
        master = {old_id: old_master, new_id: new_master}.get(row.master_key_id)
        if master is None:
            db.session.rollback()
            raise ContentUnreadable(f"Data key {row.id} was wrapped by master key {row.master_key_id}: neither")
        try:
            data_key = envelope.unwrap(master, row.wrapped_key, row.competition_id, row.id)
        except envelope.EnvelopeError as error:
            db.session.rollback()
            raise ContentUnreadable(f"Data key {row.id} does not open with master key {row.master_key_id}") from error
        if row.master_key_id == new_id:
            already += 1
            continue
        row.wrapped_key = envelope.wrap(new_master, data_key, row.competition_id, row.id)
        row.master_key_id, row.rewrapped_at = new_id, now
        rewrapped += 1
    audit.record(
        None,
        "seal.master_key_rotated",
        "seal",
        "master_key",
        summary=f"Data keys re-wrapped from master key {old_id} to {new_id}: {rewrapped} (already: {already})",
        before={"master_key_id": old_id},
        after={"master_key_id": new_id, "rewrapped": rewrapped, "already": already},
    )
    db.session.commit()
    return Rotation(old_id, new_id, rewrapped, already)
