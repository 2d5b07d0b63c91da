"""Bid receipts stored only sealed, under their competition's data key

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 20:30:00

A bid receipt lists the bid's prices, so its PDF is stored like the bid's attachments: encrypted under the
competition's data key at FILE_STORE_PATH/sealed/<competition>/ab/cd/<sha256>, the register row saying which
competition (`document.sealed_for_competition_id`). Existing receipts are encrypted there and their plain copy
removed (unless a notice uses the same bytes). Run with the production SEAL_MASTER_KEY configured, as for 0017.
Downgrading writes them back to the plain store.

The envelope and associated data are the ones portal/services/bids/crypto.py reads for files, spelled out here so
later changes there cannot change this step.
"""
import hashlib
import os
import tempfile
from pathlib import Path

from alembic import op
import sqlalchemy as sa
from flask import current_app

from portal.domain import envelope


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def _store_root() -> Path:
    configured = current_app.config.get("FILE_STORE_PATH")
    return Path(configured) if configured else Path(current_app.instance_path) / "files"


def _plain_path(sha256: str) -> Path:
    return _store_root() / sha256[:2] / sha256[2:4] / sha256


def _sealed_path(competition_id: int, sha256: str) -> Path:
    return _store_root() / "sealed" / str(int(competition_id)) / sha256[:2] / sha256[2:4] / sha256


def _aad(competition_id: int, sha256: str) -> bytes:
    return envelope.associated_data("bid_file", competition_id, sha256)


def _write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, target)


def _keys(conn) -> dict:
    """{competition id: (key id, data key)} (a receipt's competition has bids, so 0017 or its first draft made one)."""
    master = envelope.parse_master_key(str(current_app.config["SEAL_MASTER_KEY"]))
    return {
        competition_id: (key_id, envelope.unwrap(master, bytes(wrapped), competition_id, key_id))
        for key_id, competition_id, wrapped in conn.execute(
            sa.text("SELECT id, competition_id, wrapped_key FROM competition_data_key")
        )
    }


def _key(keys: dict, competition_id: int):
    if competition_id not in keys:
        raise RuntimeError(f"Competition {competition_id} has a bid receipt but no data key")
    return keys[competition_id]


def _notice_copies(conn) -> set:
    return {row[0] for row in conn.execute(sa.text(
        "SELECT contract_copy_sha256 FROM transparency_notice WHERE contract_copy_sha256 IS NOT NULL"
    ))}


def upgrade():
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sealed_for_competition_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_document_sealed_for_competition_id_competition'), 'competition', ['sealed_for_competition_id'], ['id'])

    conn = op.get_bind()
    conn.execute(sa.text(
        "UPDATE document SET sealed_for_competition_id = (SELECT b.competition_id FROM bid_submission s "
        "JOIN bid b ON b.id = s.bid_id WHERE s.id = document.subject_id) "
        "WHERE kind = 'bid_receipt' AND subject_type = 'bid_submission'"
    ))
    keys = _keys(conn)
    plain_copies = set()
    for competition_id, sha256 in conn.execute(sa.text(
        "SELECT sealed_for_competition_id, file_sha256 FROM document WHERE sealed_for_competition_id IS NOT NULL"
    )).all():
        plain = _plain_path(sha256)
        if not plain.is_file():
            continue  # a store that lost it before: downloads already failed
        data = plain.read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise RuntimeError(f"{plain} does not hold the content its name says; check the store first")
        key_id, key = _key(keys, competition_id)
        _write(_sealed_path(competition_id, sha256), envelope.seal(key, key_id, data, _aad(competition_id, sha256)))
        plain_copies.add(sha256)
    # Last, once every receipt is sealed: the plain copies go (a notice's same bytes stay).
    for sha256 in plain_copies - _notice_copies(conn):
        _plain_path(sha256).unlink(missing_ok=True)


def downgrade():
    conn = op.get_bind()
    keys = _keys(conn)
    attached = {tuple(row) for row in conn.execute(sa.text(
        "SELECT b.competition_id, a.file_sha256 FROM bid_attachment a JOIN bid b ON b.id = a.bid_id"
    ))}
    sealed_copies = []
    for competition_id, sha256 in conn.execute(sa.text(
        "SELECT sealed_for_competition_id, file_sha256 FROM document WHERE sealed_for_competition_id IS NOT NULL"
    )).all():
        sealed = _sealed_path(competition_id, sha256)
        if not sealed.is_file():
            continue
        key_id, key = _key(keys, competition_id)
        if envelope.key_id_of(sealed.read_bytes()) != key_id:
            raise RuntimeError(f"{sealed} was sealed with another key than competition {competition_id}'s")
        data = envelope.open_sealed(key, sealed.read_bytes(), _aad(competition_id, sha256))
        if not _plain_path(sha256).is_file():
            _write(_plain_path(sha256), data)
        if (competition_id, sha256) not in attached:
            sealed_copies.append(sealed)

    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_document_sealed_for_competition_id_competition'), type_='foreignkey')
        batch_op.drop_column('sealed_for_competition_id')
    for path in sealed_copies:
        path.unlink(missing_ok=True)
