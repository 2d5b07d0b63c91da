"""Bid content encrypted at rest: competition data keys; answers, prices, submitted versions and attachment files
stored only sealed

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-08 20:00:00

Every competition with bids gets a random data key, wrapped by the app's SEAL_MASTER_KEY (so run this with the
production key configured: the data is unreadable under any other). Existing answers, unit prices, submitted
versions (canonical JSON and total) are encrypted into `*_sealed` columns and the plaintext columns dropped; each
bid attachment's file is written encrypted under FILE_STORE_PATH/sealed/<competition>/ab/cd/<sha256>, and its plain
copy removed unless an issued document or notice uses the same bytes. Downgrading decrypts everything back.

The envelope (portal/domain/envelope.py, format version 1) and the associated data written here are the ones
portal/services/bids/crypto.py reads; they are spelled out here so later changes there cannot change this step.
"""
import hashlib
import json
import os
import tempfile
from pathlib import Path

from alembic import op
import sqlalchemy as sa
from flask import current_app

from portal.domain import envelope


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def _aad(*parts):
    return envelope.associated_data(*parts)


def _store_root() -> Path:
    configured = current_app.config.get("FILE_STORE_PATH")
    return Path(configured) if configured else Path(current_app.instance_path) / "files"


def _plain_path(sha256: str) -> Path:
    return _store_root() / sha256[:2] / sha256[2:4] / sha256


def _sealed_path(competition_id: int, sha256: str) -> Path:
    return _store_root() / "sealed" / str(int(competition_id)) / sha256[:2] / sha256[2:4] / sha256


def _write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, target)


class _Keys:
    """The competitions' data keys, created on first use (upgrade) or read (downgrade)."""

    def __init__(self, conn):
        self.conn = conn
        self.master = envelope.parse_master_key(str(current_app.config["SEAL_MASTER_KEY"]))
        self.by_competition = {}
        for key_id, competition_id, wrapped in conn.execute(
            sa.text("SELECT id, competition_id, wrapped_key FROM competition_data_key")
        ):
            self.by_competition[competition_id] = (key_id, envelope.unwrap(self.master, bytes(wrapped), competition_id, key_id))

    def key(self, competition_id):
        if competition_id not in self.by_competition:
            key_id = max([k for k, _ in self.by_competition.values()], default=0) + 1
            data_key = envelope.new_key()
            self.conn.execute(
                sa.text(
                    "INSERT INTO competition_data_key (id, competition_id, wrapped_key, master_key_id, created_at) "
                    "VALUES (:id, :competition_id, :wrapped, :master_key_id, CURRENT_TIMESTAMP)"
                ),
                {
                    "id": key_id,
                    "competition_id": competition_id,
                    "wrapped": envelope.wrap(self.master, data_key, competition_id, key_id),
                    "master_key_id": envelope.master_key_id(self.master),
                },
            )
            self.by_competition[competition_id] = (key_id, data_key)
        return self.by_competition[competition_id]

    def seal(self, competition_id, plain: bytes, aad: bytes) -> bytes:
        key_id, key = self.key(competition_id)
        return envelope.seal(key, key_id, plain, aad)

    def seal_text(self, competition_id, text: str, aad: bytes) -> str:
        return envelope.to_text(self.seal(competition_id, text.encode("utf-8"), aad))

    def open(self, competition_id, sealed: bytes, aad: bytes) -> bytes:
        key_id, key = self.by_competition[competition_id]
        if envelope.key_id_of(sealed) != key_id:
            raise envelope.EnvelopeError(f"a value of competition {competition_id} sealed with another key")
        return envelope.open_sealed(key, sealed, aad)

    def open_text(self, competition_id, stored: str, aad: bytes) -> str:
        return self.open(competition_id, envelope.from_text(stored), aad).decode("utf-8")


def _files_by_competition(conn, submissions):
    """{competition id: {sha256}}: files attached to drafts, and those listed in submitted versions."""
    wanted = {}
    for competition_id, sha256 in conn.execute(
        sa.text("SELECT b.competition_id, a.file_sha256 FROM bid_attachment a JOIN bid b ON b.id = a.bid_id")
    ):
        wanted.setdefault(competition_id, set()).add(sha256)
    for competition_id, content in submissions:
        for item in json.loads(content).get("attachments", []):
            wanted.setdefault(competition_id, set()).add(item["sha256"])
    return wanted


def _used_elsewhere(conn) -> set:
    """Hashes an issued document or a notice also stores: their plain copy stays."""
    used = {row[0] for row in conn.execute(sa.text("SELECT file_sha256 FROM document"))}
    used |= {row[0] for row in conn.execute(sa.text("SELECT contract_copy_sha256 FROM transparency_notice WHERE contract_copy_sha256 IS NOT NULL"))}
    return used


def upgrade():
    op.create_table('competition_data_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('wrapped_key', sa.LargeBinary(), nullable=False),
    sa.Column('master_key_id', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rewrapped_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], name=op.f('fk_competition_data_key_competition_id_competition'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_data_key')),
    # One data key per competition: two first drafts at once end up with the same key.
    sa.UniqueConstraint('competition_id', name=op.f('uq_competition_data_key_competition_id'))
    )
    with op.batch_alter_table('bid_answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text_sealed', sa.Text(), nullable=True))
    with op.batch_alter_table('bid_price', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_price_sealed', sa.Text(), nullable=True))
    with op.batch_alter_table('bid_submission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_sealed', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('total_price_sealed', sa.Text(), nullable=True))

    conn = op.get_bind()
    keys = _Keys(conn)
    for row_id, bid_id, criterion_id, text, competition_id in conn.execute(sa.text(
        "SELECT a.id, a.bid_id, a.criterion_id, a.text, b.competition_id FROM bid_answer a JOIN bid b ON b.id = a.bid_id"
    )).all():
        sealed = keys.seal_text(competition_id, text or "", _aad("bid_answer", bid_id, criterion_id, "text"))
        conn.execute(sa.text("UPDATE bid_answer SET text_sealed = :s WHERE id = :id"), {"s": sealed, "id": row_id})
    for row_id, bid_id, line_id, pence, competition_id in conn.execute(sa.text(
        "SELECT p.id, p.bid_id, p.line_id, p.unit_price_pence, b.competition_id FROM bid_price p JOIN bid b ON b.id = p.bid_id"
    )).all():
        sealed = keys.seal_text(competition_id, str(int(pence)), _aad("bid_price", bid_id, line_id, "unit_price_pence"))
        conn.execute(sa.text("UPDATE bid_price SET unit_price_sealed = :s WHERE id = :id"), {"s": sealed, "id": row_id})
    submissions = []
    for row_id, bid_id, version, content, total, competition_id in conn.execute(sa.text(
        "SELECT s.id, s.bid_id, s.version, s.content_json, s.total_price_pence, b.competition_id "
        "FROM bid_submission s JOIN bid b ON b.id = s.bid_id"
    )).all():
        submissions.append((competition_id, content))
        conn.execute(
            sa.text("UPDATE bid_submission SET content_sealed = :c, total_price_sealed = :t WHERE id = :id"),
            {
                "c": keys.seal_text(competition_id, content, _aad("bid_submission", bid_id, version, "content_json")),
                "t": keys.seal_text(competition_id, str(int(total)), _aad("bid_submission", bid_id, version, "total")),
                "id": row_id,
            },
        )
    plain_copies = set()
    for competition_id, hashes in _files_by_competition(conn, submissions).items():
        for sha256 in hashes:
            plain = _plain_path(sha256)
            if not plain.is_file():
                continue  # a store that lost it before: downloads already answered 404
            data = plain.read_bytes()
            if hashlib.sha256(data).hexdigest() != sha256:
                raise RuntimeError(f"{plain} does not hold the content its name says; check the store first")
            _write(_sealed_path(competition_id, sha256), keys.seal(competition_id, data, _aad("bid_file", competition_id, sha256)))
            plain_copies.add(sha256)

    with op.batch_alter_table('bid_answer', schema=None) as batch_op:
        batch_op.alter_column('text_sealed', existing_type=sa.Text(), nullable=False)
        batch_op.drop_column('text')
    with op.batch_alter_table('bid_price', schema=None) as batch_op:
        batch_op.alter_column('unit_price_sealed', existing_type=sa.Text(), nullable=False)
        batch_op.drop_constraint(batch_op.f('ck_bid_price_price_positive'), type_='check')
        batch_op.drop_column('unit_price_pence')
    with op.batch_alter_table('bid_submission', schema=None) as batch_op:
        batch_op.alter_column('content_sealed', existing_type=sa.Text(), nullable=False)
        batch_op.alter_column('total_price_sealed', existing_type=sa.Text(), nullable=False)
        batch_op.drop_column('content_json')
        batch_op.drop_column('total_price_pence')
    # Last, once everything else has worked: the plain copies of bid files go (a document's or notice's stays).
    for sha256 in plain_copies - _used_elsewhere(conn):
        _plain_path(sha256).unlink(missing_ok=True)


def downgrade():
    with op.batch_alter_table('bid_answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text', sa.Text(), nullable=True))
    with op.batch_alter_table('bid_price', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_price_pence', sa.BigInteger(), nullable=True))
    with op.batch_alter_table('bid_submission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_json', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('total_price_pence', sa.BigInteger(), nullable=True))

    conn = op.get_bind()
    keys = _Keys(conn)
    for row_id, bid_id, criterion_id, sealed, competition_id in conn.execute(sa.text(
        "SELECT a.id, a.bid_id, a.criterion_id, a.text_sealed, b.competition_id FROM bid_answer a JOIN bid b ON b.id = a.bid_id"
    )).all():
        text = keys.open_text(competition_id, sealed, _aad("bid_answer", bid_id, criterion_id, "text"))
        conn.execute(sa.text("UPDATE bid_answer SET text = :t WHERE id = :id"), {"t": text, "id": row_id})
    for row_id, bid_id, line_id, sealed, competition_id in conn.execute(sa.text(
        "SELECT p.id, p.bid_id, p.line_id, p.unit_price_sealed, b.competition_id FROM bid_price p JOIN bid b ON b.id = p.bid_id"
    )).all():
        pence = int(keys.open_text(competition_id, sealed, _aad("bid_price", bid_id, line_id, "unit_price_pence")))
        conn.execute(sa.text("UPDATE bid_price SET unit_price_pence = :p WHERE id = :id"), {"p": pence, "id": row_id})
    submissions = []
    for row_id, bid_id, version, content_sealed, total_sealed, competition_id in conn.execute(sa.text(
        "SELECT s.id, s.bid_id, s.version, s.content_sealed, s.total_price_sealed, b.competition_id "
        "FROM bid_submission s JOIN bid b ON b.id = s.bid_id"
    )).all():
        content = keys.open_text(competition_id, content_sealed, _aad("bid_submission", bid_id, version, "content_json"))
        total = int(keys.open_text(competition_id, total_sealed, _aad("bid_submission", bid_id, version, "total")))
        submissions.append((competition_id, content))
        conn.execute(
            sa.text("UPDATE bid_submission SET content_json = :c, total_price_pence = :t WHERE id = :id"),
            {"c": content, "t": total, "id": row_id},
        )
    sealed_copies = []
    for competition_id, hashes in _files_by_competition(conn, submissions).items():
        for sha256 in hashes:
            sealed_path = _sealed_path(competition_id, sha256)
            if not sealed_path.is_file():
                continue
            data = keys.open(competition_id, sealed_path.read_bytes(), _aad("bid_file", competition_id, sha256))
            if not _plain_path(sha256).is_file():
                _write(_plain_path(sha256), data)
            sealed_copies.append(sealed_path)

    with op.batch_alter_table('bid_answer', schema=None) as batch_op:
        batch_op.alter_column('text', existing_type=sa.Text(), nullable=False)
        batch_op.drop_column('text_sealed')
    with op.batch_alter_table('bid_price', schema=None) as batch_op:
        batch_op.alter_column('unit_price_pence', existing_type=sa.BigInteger(), nullable=False)
        # A price of nothing is not a tender: drafting refuses it, and the price formulas divide by the total.
        batch_op.create_check_constraint(batch_op.f('ck_bid_price_price_positive'), 'unit_price_pence > 0')
        batch_op.drop_column('unit_price_sealed')
    with op.batch_alter_table('bid_submission', schema=None) as batch_op:
        batch_op.alter_column('content_json', existing_type=sa.Text(), nullable=False)
        batch_op.alter_column('total_price_pence', existing_type=sa.BigInteger(), nullable=False)
        batch_op.drop_column('content_sealed')
        batch_op.drop_column('total_price_sealed')
    op.drop_table('competition_data_key')
    for path in sealed_copies:
        path.unlink(missing_ok=True)
